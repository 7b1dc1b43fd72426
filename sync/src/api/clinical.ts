import { z } from 'zod';
import { isoDateTimeSchema, pageQuerySchema, uuidSchema } from './common.js';

/** The `note_type` enum of the schema: how a note's `content` is structured. */
export const noteTypeSchema = z.enum(['soap', 'dap', 'birp', 'custom']);
export type NoteType = z.infer<typeof noteTypeSchema>;

const section = z.string().trim().max(20_000);
const clinicalText = z.string().trim().max(10_000);

/** A section left out is empty; an entirely empty note is refused. */
const sectioned = <Shape extends Record<string, z.ZodDefault<typeof section>>>(shape: Shape) =>
  z
    .object(shape)
    .strict()
    .refine((content) => Object.values(content).some((text) => typeof text === 'string' && text.length > 0), 'write at least one section');
const optionalSection = section.default('');

/** Subjective, Objective, Assessment, Plan. */
export const soapContentSchema = sectioned({ subjective: optionalSection, objective: optionalSection, assessment: optionalSection, plan: optionalSection });
/** Data, Assessment, Plan. */
export const dapContentSchema = sectioned({ data: optionalSection, assessment: optionalSection, plan: optionalSection });
/** Behavior, Intervention, Response, Plan. */
export const birpContentSchema = sectioned({ behavior: optionalSection, intervention: optionalSection, response: optionalSection, plan: optionalSection });
/** Free sections, each with its own heading. */
export const customContentSchema = z
  .object({ sections: z.array(z.object({ heading: z.string().trim().min(1).max(200), text: section }).strict()).min(1).max(30) })
  .strict();

/** `content` in the structure of one of the note types. */
export const sessionNoteContentSchema = z.union([soapContentSchema, dapContentSchema, birpContentSchema, customContentSchema]);
export type SessionNoteContent = z.infer<typeof sessionNoteContentSchema>;

/** The fields around the structured content; each text is encrypted at rest like the content. */
const noteDetails = {
  therapeuticApproach: z.string().trim().max(50).describe('e.g. CBT'),
  interventions: z.array(z.string().trim().min(1).max(50)).max(50).describe('intervention codes used'),
  homeworkAssigned: clinicalText,
  progressIndicators: clinicalText,
  riskAssessment: clinicalText,
  nextSessionPlan: clinicalText,
};

type NoteDetails = typeof noteDetails;
const detailsForCreate = Object.fromEntries(Object.entries(noteDetails).map(([key, schema]) => [key, schema.optional()])) as {
  [Key in keyof NoteDetails]: z.ZodOptional<NoteDetails[Key]>;
};
/** In an edit, a field left out stays as it is and null clears it. */
const detailsForUpdate = Object.fromEntries(Object.entries(noteDetails).map(([key, schema]) => [key, schema.nullable().optional()])) as {
  [Key in keyof NoteDetails]: z.ZodOptional<z.ZodNullable<NoteDetails[Key]>>;
};

/** `POST /appointments/{id}/session-notes`: `content` has the structure of `noteType`. */
export const createSessionNoteRequestSchema = z.discriminatedUnion('noteType', [
  z.object({ noteType: z.literal('soap'), content: soapContentSchema, ...detailsForCreate }).strict(),
  z.object({ noteType: z.literal('dap'), content: dapContentSchema, ...detailsForCreate }).strict(),
  z.object({ noteType: z.literal('birp'), content: birpContentSchema, ...detailsForCreate }).strict(),
  z.object({ noteType: z.literal('custom'), content: customContentSchema, ...detailsForCreate }).strict(),
]);
export type CreateSessionNoteRequest = z.infer<typeof createSessionNoteRequestSchema>;

const expectedVersion = z.number().int().positive().describe('the version the editor saw; a stale one is refused with NOTE_VERSION_CONFLICT');

/**
 * `PATCH /session-notes/{id}`: `noteType` says which structure `content` has (a new type needs new
 * content); fields left out stay as they are.
 */
export const updateSessionNoteRequestSchema = z.discriminatedUnion('noteType', [
  z.object({ version: expectedVersion, noteType: z.literal('soap'), content: soapContentSchema.optional(), ...detailsForUpdate }).strict(),
  z.object({ version: expectedVersion, noteType: z.literal('dap'), content: dapContentSchema.optional(), ...detailsForUpdate }).strict(),
  z.object({ version: expectedVersion, noteType: z.literal('birp'), content: birpContentSchema.optional(), ...detailsForUpdate }).strict(),
  z.object({ version: expectedVersion, noteType: z.literal('custom'), content: customContentSchema.optional(), ...detailsForUpdate }).strict(),
]);
export type UpdateSessionNoteRequest = z.infer<typeof updateSessionNoteRequestSchema>;

export const sessionNoteSchema = z.object({
  id: uuidSchema,
  appointmentId: uuidSchema.nullable(),
  therapistId: uuidSchema,
  clientId: uuidSchema,
  noteType: noteTypeSchema,
  content: sessionNoteContentSchema,
  therapeuticApproach: z.string().nullable(),
  interventions: z.array(z.string()),
  homeworkAssigned: z.string().nullable(),
  progressIndicators: z.string().nullable(),
  riskAssessment: z.string().nullable(),
  nextSessionPlan: z.string().nullable(),
  isSigned: z.boolean(),
  signedAt: isoDateTimeSchema.nullable(),
  /** 1 when written, one more on every change. */
  version: z.number().int().positive(),
  createdAt: isoDateTimeSchema,
  updatedAt: isoDateTimeSchema,
});
export type SessionNote = z.infer<typeof sessionNoteSchema>;

export const sessionNotePageSchema = z.object({
  notes: z.array(sessionNoteSchema),
  nextCursor: z.string().nullable(),
});
export type SessionNotePage = z.infer<typeof sessionNotePageSchema>;

export const sessionNoteListQuerySchema = pageQuerySchema;

/** The three intake histories of a client, one table each; a PUT replaces one whole section. */
export const historyKindSchema = z.enum(['medical', 'psychiatric', 'social']);
export type HistoryKind = z.infer<typeof historyKindSchema>;

/** A history field left out of a PUT is empty (null) afterwards. */
const historyText = clinicalText.min(1).nullable().default(null);

/** `PUT /clients/{clientId}/history/{kind}` bodies, by kind; every text is encrypted at rest. */
export const historySectionRequestSchemas = {
  medical: z
    .object({
      currentMedications: historyText,
      allergies: historyText,
      chronicConditions: historyText,
      previousHospitalizations: historyText,
      substanceUseHistory: historyText,
      familyMedicalHistory: historyText,
      primaryCarePhysician: historyText,
      lastPhysicalExam: z.iso.date().nullable().default(null),
    })
    .strict(),
  psychiatric: z
    .object({
      previousDiagnoses: historyText,
      previousTherapists: historyText,
      previousMedications: historyText,
      hospitalizationHistory: historyText,
      suicideAttempts: historyText,
      selfHarmHistory: historyText,
      traumaHistory: historyText,
    })
    .strict(),
  social: z
    .object({
      educationLevel: historyText,
      employmentStatus: historyText,
      occupationHistory: historyText,
      relationshipStatus: historyText,
      livingSituation: historyText,
      supportSystem: historyText,
      hobbiesInterests: historyText,
      culturalBackground: historyText,
      religiousSpiritual: historyText,
      legalHistory: historyText,
      militaryService: historyText,
    })
    .strict(),
} as const;
export type HistorySectionRequest<Kind extends HistoryKind> = z.infer<(typeof historySectionRequestSchemas)[Kind]>;

/** A stored section: the fields as written, and when they last changed. */
const storedSection = <Kind extends HistoryKind>(kind: Kind) => historySectionRequestSchemas[kind].extend({ updatedAt: isoDateTimeSchema });

/** `GET /clients/{clientId}/history`: a section never written is null. */
export const clientHistorySchema = z.object({
  medical: storedSection('medical').nullable(),
  psychiatric: storedSection('psychiatric').nullable(),
  social: storedSection('social').nullable(),
});
export type ClientHistory = z.infer<typeof clientHistorySchema>;
export type HistorySection<Kind extends HistoryKind> = NonNullable<ClientHistory[Kind]>;

/**
 * The `treatment_plan_status` enum: a plan is `active` until it is `completed` (goals met) or
 * `terminated` (ended early); a closed plan is a record and changes no more.
 */
export const treatmentPlanStatusSchema = z.enum(['active', 'completed', 'terminated']);
export type TreatmentPlanStatus = z.infer<typeof treatmentPlanStatusSchema>;

/** The plan's clinical fields (encrypted at rest) and its plain ones; dates are YYYY-MM-DD. */
const planFields = {
  startDate: z.iso.date(),
  reviewDate: z.iso.date().describe('not before startDate'),
  presentingProblems: clinicalText,
  diagnoses: z.array(z.string().trim().min(1).max(200)).max(30).describe('ICD-10/DSM-5 codes with their names'),
  treatmentGoals: clinicalText,
  interventionsPlanned: clinicalText,
  measurementTools: z.array(z.string().trim().min(1).max(100)).max(30).describe('e.g. PHQ-9, GAD-7'),
  expectedDuration: z.string().trim().min(1).max(100).describe('e.g. 12 εβδομάδες'),
};

/** `POST /clients/{clientId}/treatment-plans`: a new plan is `active`. */
export const createTreatmentPlanRequestSchema = z
  .object({
    startDate: planFields.startDate,
    reviewDate: planFields.reviewDate.optional(),
    presentingProblems: planFields.presentingProblems.optional(),
    diagnoses: planFields.diagnoses.optional(),
    treatmentGoals: planFields.treatmentGoals.optional(),
    interventionsPlanned: planFields.interventionsPlanned.optional(),
    measurementTools: planFields.measurementTools.optional(),
    expectedDuration: planFields.expectedDuration.optional(),
  })
  .strict();
export type CreateTreatmentPlanRequest = z.infer<typeof createTreatmentPlanRequestSchema>;

/** `PATCH /treatment-plans/{id}`: fields left out stay as they are, null clears one. */
export const updateTreatmentPlanRequestSchema = z
  .object({
    status: treatmentPlanStatusSchema.optional(),
    startDate: planFields.startDate.optional(),
    reviewDate: planFields.reviewDate.nullable().optional(),
    presentingProblems: planFields.presentingProblems.nullable().optional(),
    diagnoses: planFields.diagnoses.nullable().optional(),
    treatmentGoals: planFields.treatmentGoals.nullable().optional(),
    interventionsPlanned: planFields.interventionsPlanned.nullable().optional(),
    measurementTools: planFields.measurementTools.nullable().optional(),
    expectedDuration: planFields.expectedDuration.nullable().optional(),
  })
  .strict()
  .refine((changes) => Object.values(changes).some((value) => value !== undefined), 'change at least one field');
export type UpdateTreatmentPlanRequest = z.infer<typeof updateTreatmentPlanRequestSchema>;

export const treatmentPlanSchema = z.object({
  id: uuidSchema,
  clientId: uuidSchema,
  therapistId: uuidSchema,
  status: treatmentPlanStatusSchema,
  startDate: z.iso.date(),
  reviewDate: z.iso.date().nullable(),
  presentingProblems: z.string().nullable(),
  diagnoses: z.array(z.string()),
  treatmentGoals: z.string().nullable(),
  interventionsPlanned: z.string().nullable(),
  measurementTools: z.array(z.string()),
  expectedDuration: z.string().nullable(),
  createdAt: isoDateTimeSchema,
  updatedAt: isoDateTimeSchema,
});
export type TreatmentPlan = z.infer<typeof treatmentPlanSchema>;
