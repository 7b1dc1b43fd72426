import { z } from 'zod';
import { clientHistorySchema, noteTypeSchema, sessionNoteContentSchema, sessionNoteSchema } from './clinical.js';
import { consentRecordSchema } from './consent.js';
import { isoDateTimeSchema, languageSchema, uuidSchema } from './common.js';

const clinicalText = z.string().trim().min(1).max(10_000);

/** An amendment corrects a signed note; an addendum adds to it. Neither changes the original. */
export const noteAmendmentKindSchema = z.enum(['amendment', 'addendum']);
export type NoteAmendmentKind = z.infer<typeof noteAmendmentKindSchema>;

/** `POST /session-notes/{id}/amendments`: only on a signed note (an unsigned one is edited). */
export const createNoteAmendmentRequestSchema = z
  .object({
    kind: noteAmendmentKindSchema,
    text: clinicalText,
    /** Why the record is corrected (encrypted like the text). */
    reason: clinicalText.optional(),
  })
  .strict();
export type CreateNoteAmendmentRequest = z.infer<typeof createNoteAmendmentRequestSchema>;

export const noteAmendmentSchema = z.object({
  id: uuidSchema,
  noteId: uuidSchema,
  authorId: uuidSchema,
  kind: noteAmendmentKindSchema,
  text: z.string(),
  reason: z.string().nullable(),
  createdAt: isoDateTimeSchema,
});
export type NoteAmendment = z.infer<typeof noteAmendmentSchema>;

/** An earlier version of a note, kept when its draft was edited. */
export const sessionNoteVersionSchema = z.object({
  version: z.number().int().positive(),
  noteType: noteTypeSchema,
  content: sessionNoteContentSchema,
  therapeuticApproach: z.string().nullable(),
  interventions: z.array(z.string()),
  homeworkAssigned: z.string().nullable(),
  progressIndicators: z.string().nullable(),
  riskAssessment: z.string().nullable(),
  nextSessionPlan: z.string().nullable(),
  /** When the next version replaced this one. */
  replacedAt: isoDateTimeSchema,
});
export type SessionNoteVersion = z.infer<typeof sessionNoteVersionSchema>;

/** `GET /session-notes/{id}/record`: the note as it stands, its earlier versions (oldest first) and its amendments (oldest first). */
export const sessionNoteRecordSchema = z.object({
  note: sessionNoteSchema,
  versions: z.array(sessionNoteVersionSchema),
  amendments: z.array(noteAmendmentSchema),
});
export type SessionNoteRecord = z.infer<typeof sessionNoteRecordSchema>;

/**
 * A note template: prompts for each section of its note type (`content` in that type's
 * structure, each section's text a prompt to replace). Platform templates have no therapist.
 */
export const noteTemplateSchema = z.object({
  id: uuidSchema,
  /** Null for a platform template. */
  therapistId: uuidSchema.nullable(),
  name: z.string(),
  noteType: noteTypeSchema,
  therapeuticApproach: z.string().nullable(),
  language: languageSchema,
  content: sessionNoteContentSchema,
  isDefault: z.boolean(),
  createdAt: isoDateTimeSchema,
});
export type NoteTemplate = z.infer<typeof noteTemplateSchema>;

export const noteTemplateListQuerySchema = z
  .object({
    noteType: noteTypeSchema.optional(),
    therapeuticApproach: z.string().trim().max(50).optional(),
    language: languageSchema.optional(),
  })
  .strict();

const templateFields = { name: z.string().trim().min(1).max(100), therapeuticApproach: z.string().trim().max(50).optional(), language: languageSchema.default('el') };
/** `POST /note-templates`: the therapist's own template; `content` has the structure of `noteType`. */
export const createNoteTemplateRequestSchema = z.discriminatedUnion('noteType', [
  z.object({ noteType: z.literal('soap'), content: sessionNoteContentSchema.options[0], ...templateFields }).strict(),
  z.object({ noteType: z.literal('dap'), content: sessionNoteContentSchema.options[1], ...templateFields }).strict(),
  z.object({ noteType: z.literal('birp'), content: sessionNoteContentSchema.options[2], ...templateFields }).strict(),
  z.object({ noteType: z.literal('custom'), content: sessionNoteContentSchema.options[3], ...templateFields }).strict(),
]);
export type CreateNoteTemplateRequest = z.infer<typeof createNoteTemplateRequestSchema>;

/** A supervision relationship between two therapists; the supervisee starts it. */
export const supervisionRelationshipSchema = z.object({
  id: uuidSchema,
  supervisorId: uuidSchema,
  superviseeId: uuidSchema,
  startDate: z.iso.date(),
  endDate: z.iso.date().nullable(),
  status: z.enum(['active', 'completed', 'terminated']),
  supervisionType: z.string().nullable(),
  frequency: z.string().nullable(),
  createdAt: isoDateTimeSchema,
});
export type SupervisionRelationship = z.infer<typeof supervisionRelationshipSchema>;

/** `POST /supervision/relationships`: I (the supervisee) choose my supervisor, a therapist. */
export const startSupervisionRequestSchema = z
  .object({
    supervisorId: uuidSchema,
    startDate: z.iso.date().optional(),
    supervisionType: z.string().trim().min(1).max(100).optional(),
    frequency: z.string().trim().min(1).max(50).optional(),
  })
  .strict();
export type StartSupervisionRequest = z.infer<typeof startSupervisionRequestSchema>;

/** A note marked for review, as its supervisor sees it: the note and the supervision of it. */
export const supervisedNoteSchema = z.object({
  note: sessionNoteSchema,
  reviewRequestedAt: isoDateTimeSchema,
  supervisorReviewed: z.boolean(),
  /** The supervisor's own notes on it (encrypted at rest). */
  supervisorNotes: z.string().nullable(),
  supervisorSignedAt: isoDateTimeSchema.nullable(),
});
export type SupervisedNote = z.infer<typeof supervisedNoteSchema>;

/** `POST /supervision/notes/{id}/co-sign`. */
export const coSignNoteRequestSchema = z.object({ supervisorNotes: clinicalText.optional() }).strict();
export type CoSignNoteRequest = z.infer<typeof coSignNoteRequestSchema>;

const actionItemSchema = z.object({ text: z.string().trim().min(1).max(500), done: z.boolean().default(false) }).strict();

/** `POST /supervision/relationships/{id}/sessions` (the supervisor). */
export const createSupervisionSessionRequestSchema = z
  .object({
    scheduledAt: isoDateTimeSchema,
    durationMinutes: z.number().int().min(1).max(600).optional(),
    status: z.enum(['scheduled', 'completed', 'cancelled']).default('scheduled'),
    topics: z.array(z.string().trim().min(1).max(200)).max(30).default([]),
    actionItems: z.array(actionItemSchema).max(50).default([]),
    /** Encrypted at rest; only the supervisor reads them. */
    supervisorNotes: clinicalText.optional(),
  })
  .strict();
export type CreateSupervisionSessionRequest = z.infer<typeof createSupervisionSessionRequestSchema>;

export const supervisionSessionSchema = z.object({
  id: uuidSchema,
  relationshipId: uuidSchema,
  scheduledAt: isoDateTimeSchema,
  durationMinutes: z.number().int().nullable(),
  status: z.enum(['scheduled', 'completed', 'cancelled']),
  topics: z.array(z.string()),
  actionItems: z.array(z.object({ text: z.string(), done: z.boolean() })),
  /** Null for the supervisee: the supervisor's notes are the supervisor's. */
  supervisorNotes: z.string().nullable(),
  createdAt: isoDateTimeSchema,
});
export type SupervisionSession = z.infer<typeof supervisionSessionSchema>;

/** A treatment plan as its client sees it: the goals and where it stands, not the therapist's formulation. */
export const myTreatmentPlanSchema = z.object({
  id: uuidSchema,
  therapistId: uuidSchema,
  status: z.enum(['active', 'completed', 'terminated']),
  startDate: z.iso.date(),
  reviewDate: z.iso.date().nullable(),
  treatmentGoals: z.string().nullable(),
});
export type MyTreatmentPlan = z.infer<typeof myTreatmentPlanSchema>;

export const myAppointmentSchema = z.object({
  id: uuidSchema,
  therapistId: uuidSchema,
  scheduledStart: isoDateTimeSchema,
  scheduledEnd: isoDateTimeSchema,
  status: z.string(),
  isOnline: z.boolean(),
});

/**
 * `GET /me/record`: what the client may read of their own record: histories, treatment plan goals,
 * consents and appointments. Not the therapist's session or private notes.
 */
export const myRecordSchema = z.object({
  histories: clientHistorySchema,
  treatmentPlans: z.array(myTreatmentPlanSchema),
  consents: z.array(consentRecordSchema),
  appointments: z.array(myAppointmentSchema),
});
export type MyRecord = z.infer<typeof myRecordSchema>;

/** One read of my clinical data by someone else. */
export const recordReadSchema = z.object({
  at: isoDateTimeSchema,
  readerId: uuidSchema,
  readerRole: z.string(),
  readerName: z.string().nullable(),
  /** The kind of record read, e.g. `session_note`, `treatment_plan`, `patient_medical_history`, `client_record` (break-glass). */
  recordKind: z.string(),
  /** An emergency read by a platform admin. */
  breakGlass: z.boolean(),
});
export type RecordRead = z.infer<typeof recordReadSchema>;

export const recordReadsQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }).strict();

/** `POST /admin/break-glass/clients/{clientId}`: an emergency read needs a written reason. */
export const breakGlassRequestSchema = z.object({ reason: z.string().trim().min(20).max(2000) }).strict();
export type BreakGlassRequest = z.infer<typeof breakGlassRequestSchema>;

/** What an emergency read shows: the histories and the session notes (never supervision notes). */
export const breakGlassRecordSchema = z.object({
  clientId: uuidSchema,
  histories: clientHistorySchema,
  sessionNotes: z.array(sessionNoteSchema),
});
export type BreakGlassRecord = z.infer<typeof breakGlassRecordSchema>;

/** A course a therapist completed, with its credits and when they lapse. */
export const continuingEducationSchema = z.object({
  id: uuidSchema,
  courseName: z.string(),
  provider: z.string().nullable(),
  completionDate: z.iso.date().nullable(),
  creditsEarned: z.number().nullable(),
  certificateUrl: z.string().nullable(),
  expiryDate: z.iso.date().nullable(),
  createdAt: isoDateTimeSchema,
});
export type ContinuingEducation = z.infer<typeof continuingEducationSchema>;

export const createContinuingEducationRequestSchema = z
  .object({
    courseName: z.string().trim().min(1).max(500),
    provider: z.string().trim().min(1).max(200).optional(),
    completionDate: z.iso.date().optional(),
    creditsEarned: z.number().min(0).max(999.99).optional(),
    certificateUrl: z.url().max(500).optional(),
    expiryDate: z.iso.date().optional(),
  })
  .strict()
  .refine((course) => !course.expiryDate || !course.completionDate || course.expiryDate >= course.completionDate, { message: 'must not be before completionDate', path: ['expiryDate'] });
export type CreateContinuingEducationRequest = z.infer<typeof createContinuingEducationRequestSchema>;

/** `GET /continuing-education`: my courses (newest first), the credits still valid today, my licence's expiry. */
export const continuingEducationOverviewSchema = z.object({
  courses: z.array(continuingEducationSchema),
  validCredits: z.number(),
  licenceExpiryDate: z.iso.date().nullable(),
});
export type ContinuingEducationOverview = z.infer<typeof continuingEducationOverviewSchema>;
