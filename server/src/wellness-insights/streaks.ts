import { DateTime } from 'luxon';

export type StreakPeriod = 'day' | 'week';

/** `YYYY-MM-DD` plus whole calendar days (dates, not clock times: DST moves nothing). */
export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate()!;
}

/** The Monday of the ISO week holding `date`. */
export function weekStart(date: string): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).startOf('week').toISODate()!;
}

/**
 * Current and longest runs of consecutive periods in `completed` (period starts, oldest first).
 * The current run ends at `today`'s period, or at the one before while today's has not counted yet.
 */
export function streaks(completed: readonly string[], period: StreakPeriod, today: string): { current: number; longest: number } {
  const step = period === 'week' ? 7 : 1;
  let longest = 0;
  let run = 0;
  let previous: string | undefined;
  for (const start of completed) {
    run = previous !== undefined && addDays(previous, step) === start ? run + 1 : 1;
    longest = Math.max(longest, run);
    previous = start;
  }
  const currentPeriod = period === 'week' ? weekStart(today) : today;
  const endsNowOrJustBefore = previous === currentPeriod || (previous !== undefined && addDays(previous, step) === currentPeriod);
  return { current: endsNowOrJustBefore ? run : 0, longest };
}
