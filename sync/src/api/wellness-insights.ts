import { z } from 'zod';
import { uuidSchema } from './common.js';

/** Days are Europe/Athens calendar days: an entry at 00:30 local time counts for that day, summer or winter. */
export const INSIGHTS_TIME_ZONE = 'Europe/Athens';
/** The longest span one insights request covers. */
export const INSIGHTS_MAX_DAYS = 366;

// PostgreSQL has no year 0; ISO 8601 does.
const dateSchema = z.iso.date().refine((value) => !value.startsWith('0000'), 'year 0 does not exist');

/** `?from&to`: local dates, `to` inclusive; both default to the 30 days ending today. */
export const insightsQuerySchema = z
  .object({ from: dateSchema.optional(), to: dateSchema.optional() })
  .strict()
  .refine((query) => !query.from || !query.to || query.from <= query.to, { message: 'from must not be after to', path: ['from'] })
  .refine((query) => !query.from || !query.to || Date.parse(query.to) - Date.parse(query.from) < INSIGHTS_MAX_DAYS * 86_400_000, {
    message: `at most ${INSIGHTS_MAX_DAYS} days`,
    path: ['to'],
  });
export type InsightsQuery = z.infer<typeof insightsQuerySchema>;

/**
 * A week's average against the week before: the mean of the daily averages of the 7 days ending on
 * the day against that of the 7 days before them, both rounded to 2 decimals. `stable` when they are
 * equal or the earlier week has no entry.
 */
export const moodTrendDirectionSchema = z.enum(['improving', 'declining', 'stable']);
export type MoodTrendDirection = z.infer<typeof moodTrendDirectionSchema>;

/** One day with entries (days without any are left out), numbers rounded to 2 decimals. */
export const moodTrendDaySchema = z.object({
  day: dateSchema,
  entries: z.number().int().positive(),
  averageMood: z.number(),
  /** Sample standard deviation of the day's scores; null with one entry. */
  volatility: z.number().nullable(),
  weekAverage: z.number(),
  previousWeekAverage: z.number().nullable(),
  trend: moodTrendDirectionSchema,
  /** Pearson correlation of daily mood and sleep quality over the 30 days ending on the day; null below two days with both or without variation. */
  sleepCorrelation: z.number().nullable(),
});
export type MoodTrendDay = z.infer<typeof moodTrendDaySchema>;

export const moodTrendsSchema = z.object({
  from: dateSchema,
  to: dateSchema,
  timeZone: z.literal(INSIGHTS_TIME_ZONE),
  days: z.array(moodTrendDaySchema),
});
export type MoodTrends = z.infer<typeof moodTrendsSchema>;

/**
 * A habit's streaks in its own periods: local days for `daily` and `custom` habits, ISO weeks
 * (Monday to Sunday) for `weekly` ones. A period counts when its completed logs reach the habit's
 * target count (1 when it has none). The current streak ends at the current period, or at the one
 * before while the current one is still open.
 */
export const habitStreakSchema = z.object({
  habitId: uuidSchema,
  name: z.string(),
  frequency: z.enum(['daily', 'weekly', 'custom']).nullable(),
  period: z.enum(['day', 'week']),
  targetCount: z.number().int().positive(),
  currentStreak: z.number().int().nonnegative(),
  longestStreak: z.number().int().nonnegative(),
  /** First day of the latest period that counted. */
  lastCompletedPeriod: dateSchema.nullable(),
});
export type HabitStreak = z.infer<typeof habitStreakSchema>;

/** A goal's progress in percent: its own percentage, milestones done of all, or 0/100 when binary. */
export const goalProgressSchema = z.object({
  goalId: uuidSchema,
  title: z.string(),
  progressType: z.enum(['percentage', 'milestone', 'binary']).nullable(),
  percent: z.number().min(0).max(100),
  milestonesDone: z.number().int().nonnegative(),
  milestonesTotal: z.number().int().nonnegative(),
  isCompleted: z.boolean(),
  targetDate: dateSchema.nullable(),
});
export type GoalProgress = z.infer<typeof goalProgressSchema>;

/**
 * `GET /me/insights` (everything of the client's) and `GET /clients/{clientId}/insights` (a
 * therapist: only the mood entries and goals the client shares, never habits, which are not shared).
 */
export const wellnessInsightsSchema = z.object({
  clientId: uuidSchema,
  scope: z.enum(['own', 'shared']),
  mood: moodTrendsSchema,
  habits: z.array(habitStreakSchema),
  goals: z.array(goalProgressSchema),
});
export type WellnessInsights = z.infer<typeof wellnessInsightsSchema>;
