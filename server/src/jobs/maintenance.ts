import { QueryTypes, type Sequelize } from 'sequelize';
import type { JobDefinition } from './job-runner.js';

/** Months of partitions kept ready ahead of the clock: a missed month or two of runs loses nothing. */
export const PARTITION_MONTHS_AHEAD = 6;

/**
 * Creates the monthly partitions (audit_logs, mood_entries, habit_logs) from `now`'s month to
 * PARTITION_MONTHS_AHEAD after it, so rows never fall into the DEFAULT partitions; returns the
 * partitions it created. Idempotent, and safe on many nodes (pg-boss runs each tick once; a
 * second run finds the partitions there).
 */
export async function createPartitionsAhead(sequelize: Sequelize, now: Date = new Date()): Promise<string[]> {
  const rows = await sequelize.query<{ partition: string }>('SELECT create_monthly_partitions(:monthsAhead, :now) AS partition', {
    replacements: { monthsAhead: PARTITION_MONTHS_AHEAD, now: now.toISOString() },
    type: QueryTypes.SELECT,
  });
  return rows.map((row) => row.partition);
}

/** Refreshes therapist_analytics, mood_daily_avg and aggregated_analytics (concurrently once populated). */
export async function refreshAnalyticsViews(sequelize: Sequelize): Promise<void> {
  await sequelize.query('SELECT refresh_analytics_views()');
}

/** The database's upkeep, run by the job runner on one node per tick. */
export function maintenanceJobs(sequelize: Sequelize): JobDefinition[] {
  return [
    { name: 'partitions-ahead', cron: '17 3 * * *', run: () => createPartitionsAhead(sequelize) },
    { name: 'analytics-views', cron: '23 */6 * * *', run: () => refreshAnalyticsViews(sequelize) },
  ];
}
