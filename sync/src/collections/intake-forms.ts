import { z } from 'zod';
import { historySectionRequestSchemas, type HistoryKind } from '../api/clinical.js';
import { defineCollection, type DocOf } from './define-collection.js';
import { checkLoggedAt, idField, timestampField } from './shapes.js';

const localizedText = (max: number) => z.object({ el: z.string().trim().min(1).max(max), en: z.string().trim().min(1).max(max) }).strict();

/** Where an answer goes in the client's histories: a kind and one of its fields. */
export const historyTargetSchema = z
  .object({ history: z.enum(['medical', 'psychiatric', 'social']), field: z.string().max(60) })
  .strict()
  .refine((target) => target.field in historySectionRequestSchemas[target.history as HistoryKind].shape, {
    message: 'not a field of that history',
    path: ['field'],
  });
export type HistoryTarget = z.infer<typeof historyTargetSchema>;

export const formFieldTypeSchema = z.enum(['text', 'textarea', 'choice', 'boolean', 'date', 'number']);

/** One question of a form, in Greek and English; `mapsTo` makes its answer part of the client's histories. */
export const formFieldSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]{0,59}$/, 'lower-case letters, digits and _'),
    type: formFieldTypeSchema,
    label: localizedText(300),
    isRequired: z.boolean(),
    options: z.array(z.object({ value: z.string().regex(/^[a-z0-9_]{1,60}$/), label: localizedText(200) }).strict()).min(2).max(30).optional(),
    mapsTo: historyTargetSchema.optional(),
  })
  .strict()
  .refine((field) => (field.type === 'choice') === (field.options !== undefined), { message: 'a choice has options, nothing else does', path: ['options'] });
export type FormField = z.infer<typeof formFieldSchema>;

export const formFieldsSchema = z
  .array(formFieldSchema)
  .min(1)
  .max(60)
  .refine((fields) => new Set(fields.map((field) => field.id)).size === fields.length, 'field ids must be unique')
  .refine((fields) => {
    const targets = fields.flatMap((field) => (field.mapsTo ? [`${field.mapsTo.history}.${field.mapsTo.field}`] : []));
    return new Set(targets).size === targets.length;
  }, 'two fields map to the same history field');

/** An answer: text, a choice's value, yes/no, a number, or a date as YYYY-MM-DD. */
export const formAnswerSchema = z.union([z.string().max(5000), z.number().min(-1e9).max(1e9), z.boolean()]);
export type FormAnswer = z.infer<typeof formAnswerSchema>;

/**
 * A form sent to the client (server-written, read on devices): the questions as sent, so a newer
 * version of the template changes nothing here. `submittedAt` is set once the answers arrived.
 */
export const intakeForms = defineCollection({
  name: 'intake_forms',
  access: 'read-only',
  serverFields: [],
  schema: z.object({
    id: idField,
    clientId: idField,
    therapistId: idField.nullish(),
    templateId: idField.nullish(),
    title: z.object({ el: z.string().max(300), en: z.string().max(300) }),
    fields: z.array(z.record(z.string(), z.unknown())).max(60),
    sentAt: timestampField,
    submittedAt: timestampField.nullish(),
    updatedAt: timestampField.nullish(),
  }),
});
export type IntakeFormDoc = DocOf<typeof intakeForms>;

/**
 * The client's answers to one sent form, keyed by field id. Written once from a device (offline
 * too; the id is the device's, so a retried push is the same submission) and never edited.
 */
export const formResponses = defineCollection({
  name: 'form_responses',
  access: 'read-write',
  schema: z.object({
    id: idField,
    formId: idField,
    userId: idField.nullish(),
    answers: z.record(z.string().max(60), formAnswerSchema),
    language: z.enum(['el', 'en']),
    submittedAt: timestampField,
    updatedAt: timestampField.nullish(),
  }),
  check: (doc, now) => [
    ...checkLoggedAt('submittedAt', doc.submittedAt, now),
    ...(Object.keys(doc.answers).length > 60 ? ['answers: at most 60'] : []),
  ],
});
export type FormResponseDoc = DocOf<typeof formResponses>;
