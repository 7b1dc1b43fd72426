import { z } from 'zod';
import { isoDateTimeSchema, languageSchema, pageQuerySchema, uuidSchema } from './common.js';

export const REVIEW_COMMENT_MAX_LENGTH = 2000;

export const reviewStatusSchema = z.enum(['pending', 'approved', 'rejected', 'hidden']);
export type ReviewStatus = z.infer<typeof reviewStatusSchema>;

/** A client's review of the therapist of one of their completed appointments; it waits for moderation. */
export const createReviewRequestSchema = z
  .object({
    rating: z.number().int().min(1).max(5),
    comment: z.string().max(REVIEW_COMMENT_MAX_LENGTH).optional(),
    /** Shown as "Anonymous" / "Ανώνυμος" instead of the first name and last initial. @default false */
    anonymous: z.boolean().default(false),
  })
  .strict();

/** A review as its author and the moderators see it. */
export const reviewSchema = z.object({
  id: uuidSchema,
  appointmentId: uuidSchema,
  therapistId: uuidSchema,
  rating: z.number().int(),
  comment: z.string().nullable(),
  anonymous: z.boolean(),
  status: reviewStatusSchema,
  createdAt: isoDateTimeSchema,
  moderatedAt: isoDateTimeSchema.nullable(),
  moderationReason: z.string().nullable(),
});

/** An approved review as anyone reads it: no ids or contact details of its author. */
export const publicReviewSchema = z.object({
  id: uuidSchema,
  rating: z.number().int(),
  comment: z.string().nullable(),
  /** First name and last initial ("Μαρία Π."), or "Ανώνυμος" / "Anonymous". */
  author: z.string(),
  anonymous: z.boolean(),
  createdAt: isoDateTimeSchema,
});

export const publicReviewPageSchema = z.object({
  reviews: z.array(publicReviewSchema),
  nextCursor: z.string().nullable(),
});

/** `?cursor&limit`, and the language the anonymous author's label is in (default Greek). */
export const publicReviewListQuerySchema = pageQuerySchema.extend({ language: languageSchema.default('el') });

export const reviewModerationQuerySchema = pageQuerySchema.extend({ status: reviewStatusSchema.default('pending') });

export const reviewModerationPageSchema = z.object({
  reviews: z.array(reviewSchema),
  nextCursor: z.string().nullable(),
});

export const rejectReviewRequestSchema = z
  .object({ reason: z.string().trim().min(1).max(1000) })
  .strict();

export const reviewIdParamsSchema = z.object({ id: uuidSchema });

export type CreateReviewRequest = z.input<typeof createReviewRequestSchema>;
export type Review = z.infer<typeof reviewSchema>;
export type PublicReview = z.infer<typeof publicReviewSchema>;
export type PublicReviewPage = z.infer<typeof publicReviewPageSchema>;
export type ReviewModerationPage = z.infer<typeof reviewModerationPageSchema>;
