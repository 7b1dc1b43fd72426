import { athensDate } from './time';

/** Mood per Athens day over the last `days` days (null where nothing was logged), oldest first. */
export function dailyAverages(entries: Array<{ recordedAt: string; moodScore: number }>, days: number, now = new Date()): Array<{ day: string; average: number | null }> {
  const sums = new Map<string, { total: number; count: number }>();
  for (const entry of entries) {
    const day = athensDate(new Date(entry.recordedAt));
    const sum = sums.get(day) ?? { total: 0, count: 0 };
    sum.total += entry.moodScore;
    sum.count += 1;
    sums.set(day, sum);
  }
  return Array.from({ length: days }, (_, index) => {
    const day = athensDate(new Date(now.getTime() - (days - 1 - index) * 86_400_000));
    const sum = sums.get(day);
    return { day, average: sum ? Math.round((sum.total / sum.count) * 10) / 10 : null };
  });
}
