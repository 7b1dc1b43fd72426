import { z } from 'zod';
import { isoDateTimeSchema } from './common.js';

/** One database row as exported: its columns by their database names, sealed values decrypted to text. */
const exportedRowSchema = z.record(z.string(), z.unknown());
/** Every row of a kind, oldest first; null when there is none. */
const exportedRowsSchema = z.array(exportedRowSchema).nullable();

/** The sections of `export_user_data` (migrations/sql/0013): everything stored about the user. */
export const exportedDataSchema = z.object({
  /** The account, without the password hash and the 2FA secrets. */
  user: exportedRowSchema,
  profile: exportedRowSchema.nullable(),
  client_profile: exportedRowSchema.nullable(),
  therapist_profile: exportedRowSchema.nullable(),
  appointments: exportedRowsSchema,
  session_notes: exportedRowsSchema,
  treatment_plans: exportedRowsSchema,
  clinical_assessments: exportedRowsSchema,
  medical_history: exportedRowSchema.nullable(),
  psychiatric_history: exportedRowSchema.nullable(),
  social_history: exportedRowSchema.nullable(),
  mood_entries: exportedRowsSchema,
  journal_entries: exportedRowsSchema,
  habit_definitions: exportedRowsSchema,
  habit_logs: exportedRowsSchema,
  goals: exportedRowsSchema,
  questionnaire_responses: exportedRowsSchema,
  dynamic_forms: exportedRowsSchema,
  reviews: exportedRowsSchema,
  payment_methods: exportedRowsSchema,
  invoices: exportedRowsSchema,
  transactions: exportedRowsSchema,
  notifications: exportedRowsSchema,
  comments: exportedRowsSchema,
  forum_threads: exportedRowsSchema,
  forum_replies: exportedRowsSchema,
  business_memberships: exportedRowsSchema,
  /** Every consent given or withdrawn, with the text's version, time and address. */
  consent_records: exportedRowsSchema,
  /** Answers to sent forms, decrypted. */
  form_responses: exportedRowsSchema,
  /** A therapist's own form templates. */
  form_templates: exportedRowsSchema,
  /** Daily mood sums per Europe/Athens day behind the insights (`own`: every entry, `shared`: those shared). */
  mood_daily_rollups: exportedRowsSchema,
});
export type ExportedData = z.infer<typeof exportedDataSchema>;

/** `GET /me/export`: a copy of the caller's data (GDPR art. 15), served as a JSON download. */
export const privacyExportSchema = z.object({
  exportedAt: isoDateTimeSchema,
  /** What the export holds of the clinical record and how to ask for what it leaves out. */
  notice: z.string(),
  data: exportedDataSchema,
});
export type PrivacyExport = z.infer<typeof privacyExportSchema>;

/** `POST /me/erase` (GDPR art. 17, clients only): the password again, and `ERASE` typed out. */
export const eraseRequestSchema = z
  .object({
    password: z.string().min(1).max(200),
    confirm: z.literal('ERASE', { error: 'type ERASE to confirm that everything is deleted for good' }),
  })
  .strict();
export type EraseRequest = z.infer<typeof eraseRequestSchema>;
