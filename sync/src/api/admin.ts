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
