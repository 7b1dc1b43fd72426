import { z } from 'zod';
import { defineCollection, type DocOf } from './define-collection.js';
import { checkLoggedAt, idField, timestampField } from './shapes.js';

/** The longest answer list of any questionnaire the platform carries, and the highest item value. */
export const MEASURE_MAX_ITEMS = 50;
export const MEASURE_MAX_ITEM_VALUE = 10;

/**
 * A client's answers to an assigned measure (PHQ-9, GAD-7, WHO-5…), written on the device (offline
 * too) with its own id, so a retried push stores it once. Append-only: once stored it never changes.
 * The server checks the answers against the template version (`templateId`) and scores them;
 * `score`, `interpretation` and `severity` come back from the server.
 */
export const measureResponses = defineCollection({
  name: 'measure_responses',
  access: 'read-write',
  // `score`, `interpretation` and `severity` are the server's too, but compared like content: a device
  // must take them when the stored answer comes back (RxDB writes a pulled state only if it differs).
  serverFields: ['clientId', 'updatedAt'],
  indexes: ['completedAt'],
  schema: z.object({
    id: idField,
    clientId: idField.nullish(),
    assignmentId: idField,
    templateId: idField,
    /** One whole number per question, in the template's order. */
    answers: z.array(z.number().int().min(0).max(MEASURE_MAX_ITEM_VALUE)).min(1).max(MEASURE_MAX_ITEMS),
    /** Anything the client wants their therapist to know; encrypted at rest. */
    comment: z.string().max(2000).nullish(),
    completedAt: timestampField,
    score: z.number().min(0).max(10_000).nullish(),
    interpretation: z.string().max(100).nullish(),
    severity: z.string().max(30).nullish(),
    updatedAt: timestampField.nullish(),
  }),
  check: (doc, now) => checkLoggedAt('completedAt', doc.completedAt, now),
});
export type MeasureResponseDoc = DocOf<typeof measureResponses>;
