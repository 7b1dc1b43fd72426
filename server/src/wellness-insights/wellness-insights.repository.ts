import { QueryTypes, type Sequelize } from 'sequelize';
import { INSIGHTS_TIME_ZONE } from '@therapy-field/sync';

export type InsightsScope = 'own' | 'shared';

export interface MoodDayRow {
  day: string;
  entries: number;
  average_mood: string;
  volatility: string | null;
  week_average: string;
  previous_week_average: string | null;
  sleep_correlation: number | null;
}

export interface HabitRow {
  id: string;
  name: Buffer | null;
  name_plaintext: string | null;
  frequency: 'daily' | 'weekly' | 'custom' | null;
  target_count: number;
  /** First day of every period whose completed logs reached the target, oldest first. */
  periods: string[];
}

export interface GoalRow {
  id: string;
  title: Buffer | null;
  title_plaintext: string | null;
  progress_type: 'percentage' | 'milestone' | 'binary' | null;
  current_progress: string;
  milestones: Buffer | null;
  milestones_plaintext: Array<{ title: string; done: boolean }> | null;
  is_completed: boolean;
  target_date: string | null;
}

/** Days before `from` that the windows reach back to: the 30-day correlation and the week before the 7 days. */
const LOOKBACK_DAYS = 29;

export class WellnessInsightsRepository {
  constructor(private readonly sequelize: Sequelize) {}

  /**
   * Daily mood from the rollups (1620, brought up to date first) with 7-day and 30-day windows over calendar days (a gap
   * is a day without entries, not a shorter window).
   */
  async moodDays(userId: string, scope: InsightsScope, from: string, to: string): Promise<MoodDayRow[]> {
    await this.refreshRollups(userId);
    return this.sequelize.query<MoodDayRow>(
      `WITH daily AS (
         SELECT day, entry_count,
                mood_sum::numeric / entry_count AS mood,
                CASE WHEN entry_count > 1
                     THEN sqrt(greatest(mood_square_sum - mood_sum::numeric * mood_sum / entry_count, 0) / (entry_count - 1)) END AS volatility,
                CASE WHEN sleep_count > 0 THEN sleep_sum::numeric / sleep_count END AS sleep
           FROM mood_daily_rollups
          WHERE user_id = :userId AND scope = :scope AND day BETWEEN CAST(:from AS date) - ${LOOKBACK_DAYS} AND CAST(:to AS date)
       ), windows AS (
         SELECT day, entry_count, mood, volatility,
                round(avg(mood) OVER (ORDER BY day RANGE BETWEEN INTERVAL '6 days' PRECEDING AND CURRENT ROW), 2) AS week_average,
                round(avg(mood) OVER (ORDER BY day RANGE BETWEEN INTERVAL '13 days' PRECEDING AND INTERVAL '7 days' PRECEDING), 2) AS previous_week_average,
                corr(mood::float8, sleep::float8) OVER (ORDER BY day RANGE BETWEEN INTERVAL '29 days' PRECEDING AND CURRENT ROW) AS sleep_correlation
           FROM daily
       )
       SELECT day::text AS day, entry_count AS entries, round(mood, 2) AS average_mood, round(volatility, 2) AS volatility,
              week_average, previous_week_average, round(sleep_correlation::numeric, 2)::float8 AS sleep_correlation
         FROM windows
        WHERE day BETWEEN CAST(:from AS date) AND CAST(:to AS date)
        ORDER BY day`,
      { type: QueryTypes.SELECT, replacements: { userId, scope, from, to } },
    );
  }

  /** Recomputes the person's days changed since the last refresh (migration 1620). */
  async refreshRollups(userId: string): Promise<void> {
    await this.sequelize.query(`SELECT refresh_mood_daily_rollups(:userId)`, { type: QueryTypes.SELECT, replacements: { userId } });
  }

  /** The client's active habits with the periods (local days, or ISO weeks for weekly habits) that reached the target. */
  habits(userId: string): Promise<HabitRow[]> {
    return this.sequelize.query<HabitRow>(
      `SELECT h.id, h.name, h.name_plaintext, h.frequency::text AS frequency, coalesce(h.target_count, 1) AS target_count,
              coalesce((
                SELECT array_agg(p.period::text ORDER BY p.period)
                  FROM (SELECT CASE WHEN h.frequency = 'weekly'
                                    THEN date_trunc('week', l.logged_at AT TIME ZONE '${INSIGHTS_TIME_ZONE}')::date
                                    ELSE (l.logged_at AT TIME ZONE '${INSIGHTS_TIME_ZONE}')::date END AS period
                          FROM habit_logs l
                         WHERE l.habit_id = h.id AND l.user_id = h.user_id AND l.completed AND l.deleted_at IS NULL
                         GROUP BY 1
                        HAVING count(*) >= coalesce(h.target_count, 1)) p
              ), '{}') AS periods
         FROM habit_definitions h
        WHERE h.user_id = :userId AND h.deleted_at IS NULL AND h.is_active
        ORDER BY h.created_at, h.id`,
      { type: QueryTypes.SELECT, replacements: { userId } },
    );
  }

  /** The client's live goals; with `shared`, only those they share with their therapist. */
  goals(userId: string, scope: InsightsScope): Promise<GoalRow[]> {
    return this.sequelize.query<GoalRow>(
      `SELECT id, title, title_plaintext, progress_type::text AS progress_type, current_progress, milestones, milestones_plaintext,
              is_completed, target_date::text AS target_date
         FROM goals
        WHERE user_id = :userId AND deleted_at IS NULL AND (:scope = 'own' OR shared_with_therapist)
        ORDER BY is_completed, target_date NULLS LAST, created_at, id`,
      { type: QueryTypes.SELECT, replacements: { userId, scope } },
    );
  }

  async sharingWithdrawn(clientId: string): Promise<boolean> {
    const [row] = await this.sequelize.query<{ withdrawn: boolean }>(`SELECT consent_withdrawn(:clientId, 'therapist_sharing') AS withdrawn`, {
      type: QueryTypes.SELECT,
      replacements: { clientId },
    });
    return row!.withdrawn;
  }
}

/** The job's work (on the system connection): every person's queued days. Returns how many people. */
export async function refreshAllMoodRollups(system: Sequelize): Promise<number> {
  const rows = await system.query<{ user_id: string }>(
    `SELECT user_id, refresh_mood_daily_rollups(user_id) FROM (SELECT DISTINCT user_id FROM mood_rollup_pending) queued`,
    { type: QueryTypes.SELECT },
  );
  return rows.length;
}
