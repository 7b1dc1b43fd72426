import { z } from 'zod';
import { isoDateTimeSchema, uuidSchema } from './common.js';

/**
 * What a person consents to. A withdrawal is enforced: `telehealth` refuses video joins,
 * `therapist_sharing` stops their shared entries reaching their therapists, `business_analytics`
 * leaves them out of their employer's aggregates.
 */
export const consentKindSchema = z.enum(['terms', 'data_processing', 'therapist_sharing', 'telehealth', 'business_analytics']);
export type ConsentKind = z.infer<typeof consentKindSchema>;

/** One consent as given: the text's version, when and from where; and its withdrawal, if any. */
export const consentRecordSchema = z.object({
  id: uuidSchema,
  kind: consentKindSchema,
  textVersion: z.string(),
  givenAt: isoDateTimeSchema,
  givenIp: z.string().nullable(),
  withdrawnAt: isoDateTimeSchema.nullable(),
  withdrawnIp: z.string().nullable(),
  /** The newer acceptance of the same text that closed this one (not a withdrawal). */
  replacedBy: uuidSchema.nullable(),
});
export type ConsentRecord = z.infer<typeof consentRecordSchema>;

/** Each kind's standing: `given` (a record stands), `withdrawn`, or `none` (never asked). */
export const consentStateSchema = z.enum(['given', 'withdrawn', 'none']);
export type ConsentState = z.infer<typeof consentStateSchema>;

export const consentOverviewSchema = z.object({
  current: z.record(consentKindSchema, consentStateSchema),
  /** Every record, newest first. */
  records: z.array(consentRecordSchema),
});
export type ConsentOverview = z.infer<typeof consentOverviewSchema>;

export const giveConsentRequestSchema = z
  .object({
    kind: consentKindSchema,
    /** The version of the text the person read, e.g. `2026-11` or `v3`. */
    textVersion: z.string().trim().min(1).max(40),
  })
  .strict();
export type GiveConsentRequest = z.infer<typeof giveConsentRequestSchema>;
