import { z } from 'zod';
import { noteTypeSchema, sessionNoteContentSchema, sessionNoteSchema } from './clinical.js';
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
