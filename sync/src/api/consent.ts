import { z } from 'zod';
import { isoDateTimeSchema, uuidSchema } from './common.js';
import { defineApi } from './route.js';

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

export const consentKindParamsSchema = z.object({ kind: consentKindSchema });

/** `/me/consents`: the caller's own consents only. */
export const consentApi = defineApi({
  components: { ConsentRecord: consentRecordSchema, ConsentOverview: consentOverviewSchema, GiveConsentRequest: giveConsentRequestSchema },
  routes: {
    listMyConsents: {
      method: 'get', path: '/me/consents', tag: 'consent', summary: 'My consents: each kind’s standing and every record, newest first',
      response: { status: 200, schema: consentOverviewSchema, description: 'My consents' },
    },
    giveConsent: {
      method: 'post', path: '/me/consents', tag: 'consent',
      summary: 'Give a consent to a version of its text (time and address recorded; a newer version replaces the standing one)',
      body: giveConsentRequestSchema,
      response: { status: 201, schema: consentRecordSchema, description: 'The record' },
      errors: ['CONSENT_ALREADY_GIVEN'],
    },
    withdrawConsent: {
      method: 'post', path: '/me/consents/{kind}/withdraw', tag: 'consent', summary: 'Withdraw a standing consent; what it allowed stops at once',
      params: consentKindParamsSchema,
      response: { status: 200, schema: consentRecordSchema, description: 'The withdrawn record' },
      errors: ['NOT_FOUND'],
    },
  },
});
