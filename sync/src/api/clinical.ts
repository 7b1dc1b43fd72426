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
