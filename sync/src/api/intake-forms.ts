import { z } from 'zod';
import { formFieldsSchema } from '../collections/intake-forms.js';
import { isoDateTimeSchema, uuidSchema } from './common.js';

const localizedTitle = z.object({ el: z.string().trim().min(1).max(300), en: z.string().trim().min(1).max(300) }).strict();

/**
 * A form template: the platform's (`therapistId` null, e.g. the default intake form) or a
 * therapist's own. Versions share a `formKey`; a version never changes once written.
 */
export const formTemplateSchema = z.object({
  id: uuidSchema,
  formKey: uuidSchema,
  version: z.number().int().positive(),
  therapistId: uuidSchema.nullable(),
  title: localizedTitle,
  fields: formFieldsSchema,
  isDefaultIntake: z.boolean(),
  createdAt: isoDateTimeSchema,
});
export type FormTemplate = z.infer<typeof formTemplateSchema>;

/** `POST /form-templates`: version 1 of a new form, or with `versionOf` the next version of one of mine. */
export const createFormTemplateRequestSchema = z
  .object({
    /** Any version of one of my forms: the new one follows its latest version. */
    versionOf: uuidSchema.optional(),
    title: localizedTitle,
    fields: formFieldsSchema,
    /** Sent automatically when a client books their first appointment with me, instead of the platform's. @default false */
    isDefaultIntake: z.boolean().default(false),
  })
  .strict();
export type CreateFormTemplateRequest = z.infer<typeof createFormTemplateRequestSchema>;

/** `POST /form-templates/{id}/send`: send the template (the platform's or mine) to my client. */
export const sendFormRequestSchema = z.object({ clientId: uuidSchema }).strict();
export type SendFormRequest = z.infer<typeof sendFormRequestSchema>;

/** `intake_form`: sent automatically at the first booking; `form`: sent by the therapist. */
export const sentFormTypeSchema = z.enum(['intake_form', 'form']);

/** A form I sent to my client, with the client's answers once submitted (decrypted, each read audited). */
export const sentFormSchema = z.object({
  id: uuidSchema,
  clientId: uuidSchema,
  therapistId: uuidSchema.nullable(),
  templateId: uuidSchema.nullable(),
  formType: sentFormTypeSchema,
  title: localizedTitle,
  fields: formFieldsSchema,
  sentAt: isoDateTimeSchema,
  submittedAt: isoDateTimeSchema.nullable(),
  response: z
    .object({
      id: uuidSchema,
      // By field id: text, a choice's value, yes/no or a number (formAnswerSchema). Left untyped here because
      // Swagger UI stops rendering the whole page on a map whose values are a union (`additionalProperties.anyOf`).
      answers: z.record(z.string(), z.unknown()).describe('by field id: text, a choice value, true/false or a number'),
      language: z.enum(['el', 'en']),
      submittedAt: isoDateTimeSchema,
      /** When the mapped answers became the client's histories. */
      appliedAt: isoDateTimeSchema.nullable(),
    })
    .nullable(),
});
export type SentForm = z.infer<typeof sentFormSchema>;
