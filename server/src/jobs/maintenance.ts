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

export interface RetentionResult {
  table: string;
  strategy: 'hard_delete' | 'soft_delete' | 'anonymize';
  rows: number;
  partitionsDropped: string[];
}

/**
 * Applies every active `data_retention_policies` row as of `now` (hard delete, soft delete or
 * anonymise; expired monthly partitions dropped whole), through the database's `cleanup_old_data`.
 */
export async function applyRetentionPolicies(sequelize: Sequelize, now: Date = new Date()): Promise<RetentionResult[]> {
  const rows = await sequelize.query<{ policy_table: string; strategy: RetentionResult['strategy']; rows_affected: string; partitions_dropped: string[] }>(
    'SELECT * FROM cleanup_old_data(:now)',
    { replacements: { now: now.toISOString() }, type: QueryTypes.SELECT },
  );
  return rows.map((row) => ({ table: row.policy_table, strategy: row.strategy, rows: Number(row.rows_affected), partitionsDropped: row.partitions_dropped }));
}

/** The database's upkeep, run by the job runner on one node per tick. */
export function maintenanceJobs(sequelize: Sequelize): JobDefinition[] {
  return [
    { name: 'partitions-ahead', cron: '17 3 * * *', run: () => createPartitionsAhead(sequelize) },
    { name: 'analytics-views', cron: '23 */6 * * *', run: () => refreshAnalyticsViews(sequelize) },
    { name: 'data-retention', cron: '41 3 * * *', run: () => applyRetentionPolicies(sequelize) },
  ];
}
