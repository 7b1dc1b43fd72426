import { z } from 'zod';
import { isoDateTimeSchema } from './common.js';

export const therapistVerificationSchema = z.object({
  therapistId: z.uuid(),
  verifiedAt: isoDateTimeSchema,
  verifiedBy: z.uuid(),
});
export type TherapistVerification = z.infer<typeof therapistVerificationSchema>;

export const accountSuspensionSchema = z.object({
  userId: z.uuid(),
  status: z.literal('suspended'),
});
export type AccountSuspension = z.infer<typeof accountSuspensionSchema>;

/** A therapist who registered and whose license no admin has checked yet (not listed in the directory). */
export const therapistAwaitingVerificationSchema = z.object({
  therapistId: z.uuid(),
  firstName: z.string(),
  lastName: z.string(),
  licenseNumber: z.string(),
  licenseType: z.string().nullable(),
  professionalTitle: z.string().nullable(),
  registeredAt: isoDateTimeSchema,
});
export const therapistsAwaitingVerificationSchema = z.object({ therapists: z.array(therapistAwaitingVerificationSchema) });
export type TherapistAwaitingVerification = z.infer<typeof therapistAwaitingVerificationSchema>;

/** One check of the database health function (`database_health()`, seed implementation §2). */
export const databaseHealthCheckSchema = z.object({
  name: z.string(),
  value: z.number(),
  unit: z.string(),
  status: z.enum(['ok', 'warning', 'critical']),
});
export type DatabaseHealthCheck = z.infer<typeof databaseHealthCheckSchema>;

/** The database's health: the worst status of its checks, and each check. */
export const databaseHealthSchema = z.object({
  status: z.enum(['ok', 'warning', 'critical']),
  checks: z.array(databaseHealthCheckSchema),
});
export type DatabaseHealth = z.infer<typeof databaseHealthSchema>;
