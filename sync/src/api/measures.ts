import { z } from 'zod';
import { MEASURE_MAX_ITEM_VALUE, MEASURE_MAX_ITEMS } from '../collections/measures.js';
import { isoDateTimeSchema, uuidSchema } from './common.js';

/** The measures the platform carries; each has versioned templates in Greek and English. */
export const measureSchema = z.enum(['PHQ-9', 'GAD-7', 'WHO-5']);
export type Measure = z.infer<typeof measureSchema>;

const bilingual = z.object({ el: z.string(), en: z.string() });

/** A score band of a measure: what a total in [min, max] means. `alert` bands raise a risk alert. */
export const measureRangeSchema = z.object({
  min: z.number(),
  max: z.number(),
  /** e.g. `moderate_depression`. */
  interpretation: z.string(),
  /** minimal, mild, moderate, moderately_severe or severe. */
  severity: z.string(),
  alert: z.boolean(),
  label: bilingual,
});
export type MeasureRange = z.infer<typeof measureRangeSchema>;

/** One version of a questionnaire (the seed's §14 template document); a version never changes. */
export const measureTemplateSchema = z.object({
  id: uuidSchema,
  measure: measureSchema,
  name: z.string(),
  version: z.string(),
  prompt: bilingual,
  questions: z.array(
    z.object({
      id: z.string(),
      text: bilingual,
      min: z.number().int(),
      max: z.number().int(),
      labels: z.object({ el: z.array(z.string()), en: z.array(z.string()) }),
    }),
  ),
  maxScore: z.number(),
  /** WHO-5: the score as a percentage is this times the raw score; null elsewhere. */
  percentageMultiplier: z.number().nullable(),
  ranges: z.array(measureRangeSchema),
  createdAt: isoDateTimeSchema,
});
export type MeasureTemplate = z.infer<typeof measureTemplateSchema>;

/** Once, before every session with the therapist, or every N weeks. */
export const measureScheduleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('once') }).strict(),
  z.object({ kind: z.literal('before_session') }).strict(),
  z.object({ kind: z.literal('every_n_weeks'), weeks: z.number().int().min(1).max(52) }).strict(),
]);
export type MeasureSchedule = z.infer<typeof measureScheduleSchema>;

/** `POST /clients/{clientId}/measures`: the therapist gives one of their clients a measure. */
export const createMeasureAssignmentRequestSchema = z.object({ measure: measureSchema, schedule: measureScheduleSchema }).strict();
export type CreateMeasureAssignmentRequest = z.infer<typeof createMeasureAssignmentRequestSchema>;

export const measureAssignmentSchema = z.object({
  id: uuidSchema,
  therapistId: uuidSchema,
  clientId: uuidSchema,
  measure: measureSchema,
  schedule: measureScheduleSchema,
  /** The version a new answer uses. */
  templateId: uuidSchema,
  /** True when the client has an answer to give now (never answered, a session coming, N weeks passed). */
  due: z.boolean(),
  lastAnsweredAt: isoDateTimeSchema.nullable(),
  createdAt: isoDateTimeSchema,
  endedAt: isoDateTimeSchema.nullable(),
});
export type MeasureAssignment = z.infer<typeof measureAssignmentSchema>;

/**
 * `POST /measures/responses`: the client's answers to an assignment. The same `id` sent again
 * (a retry) stores nothing new. Devices push the same document to the `measure_responses` collection.
 */
export const answerMeasureRequestSchema = z
  .object({
    id: uuidSchema.optional(),
    assignmentId: uuidSchema,
    templateId: uuidSchema,
    answers: z.array(z.number().int().min(0).max(MEASURE_MAX_ITEM_VALUE)).min(1).max(MEASURE_MAX_ITEMS),
    comment: z.string().trim().max(2000).optional(),
    completedAt: isoDateTimeSchema.optional(),
  })
  .strict();
export type AnswerMeasureRequest = z.infer<typeof answerMeasureRequestSchema>;

/** A scored answer, as the client and the assigning therapist see it. */
export const measureResultSchema = z.object({
  id: uuidSchema,
  assignmentId: uuidSchema,
  clientId: uuidSchema,
  measure: measureSchema,
  templateId: uuidSchema,
  templateVersion: z.string(),
  answers: z.array(z.number().int()),
  comment: z.string().nullable(),
  score: z.number(),
  maxScore: z.number(),
  interpretation: z.string(),
  interpretationLabel: bilingual,
  severity: z.string(),
  completedAt: isoDateTimeSchema,
});
export type MeasureResult = z.infer<typeof measureResultSchema>;

export const measureSeriesQuerySchema = z.object({ measure: measureSchema }).strict();

/** Scores of one measure over time, oldest first, for a chart; bands from the newest version. */
export const measureSeriesSchema = z.object({
  clientId: uuidSchema,
  measure: measureSchema,
  maxScore: z.number(),
  ranges: z.array(measureRangeSchema),
  points: z.array(
    z.object({
      responseId: uuidSchema,
      completedAt: isoDateTimeSchema,
      score: z.number(),
      severity: z.string(),
      interpretation: z.string(),
      templateVersion: z.string(),
    }),
  ),
});
export type MeasureSeries = z.infer<typeof measureSeriesSchema>;

/** Why an answer raised an alert: `item:phq9_9` (an answer above its threshold) or `severity:severe`. */
export const riskAlertSchema = z.object({
  id: uuidSchema,
  clientId: uuidSchema,
  responseId: uuidSchema,
  measure: measureSchema,
  score: z.number(),
  severity: z.string(),
  reasons: z.array(z.string()),
  createdAt: isoDateTimeSchema,
  acknowledgedAt: isoDateTimeSchema.nullable(),
  acknowledgedBy: uuidSchema.nullable(),
});
export type RiskAlert = z.infer<typeof riskAlertSchema>;

export const riskAlertListQuerySchema = z.object({ unacknowledged: z.enum(['true', 'false']).optional() }).strict();
