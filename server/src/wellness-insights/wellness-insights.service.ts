import { DateTime } from 'luxon';
import {
  AppError,
  INSIGHTS_TIME_ZONE,
  type GoalProgress,
  type HabitStreak,
  type InsightsQuery,
  type MoodTrendDay,
  type WellnessInsights,
} from '@therapy-field/sync';
import type { AuditLog } from '../audit/index.js';
import type { CareRelationships } from '../clinical/index.js';
import type { FieldCipher } from '../crypto/index.js';
import type { AuthenticatedUser } from '../http/index.js';
import { addDays, streaks } from './streaks.js';
import type { GoalRow, HabitRow, InsightsScope, MoodDayRow, WellnessInsightsRepository } from './wellness-insights.repository.js';

const DEFAULT_SPAN_DAYS = 30;

export interface WellnessInsightsDeps {
  repository: WellnessInsightsRepository;
  care: CareRelationships;
  cipher: FieldCipher;
  audit: AuditLog;
  /** Today's local date; a test sets its own. */
  today?: () => string;
}

/**
 * Mood trends, habit streaks and goal progress: a client's own, or for their therapist only what the
 * client shares (mood entries and goals marked shared, while their sharing consent stands). Every read
 * is audited like the sync's reads of the same rows.
 */
export class WellnessInsightsService {
  private readonly today: () => string;

  constructor(private readonly deps: WellnessInsightsDeps) {
    this.today = deps.today ?? (() => DateTime.now().setZone(INSIGHTS_TIME_ZONE).toISODate()!);
  }

  own(viewer: AuthenticatedUser, query: InsightsQuery): Promise<WellnessInsights> {
    return this.insights(viewer, viewer.id, 'own', query);
  }

  async ofClient(viewer: AuthenticatedUser, clientId: string, query: InsightsQuery): Promise<WellnessInsights> {
    const attempt = { entityType: 'wellness_insights', verb: 'read' as const };
    await this.deps.care.requireTherapistOf(viewer, clientId, 'Client', attempt);
    if (await this.deps.repository.sharingWithdrawn(clientId)) {
      await this.deps.audit.recordDenied({ actorId: viewer.id, entityType: attempt.entityType, entityIds: [clientId], verb: 'read' });
      throw new AppError('SHARING_WITHDRAWN', 'The client withdrew their consent to sharing with their therapist');
    }
    return this.insights(viewer, clientId, 'shared', query);
  }

  private async insights(viewer: AuthenticatedUser, clientId: string, scope: InsightsScope, query: InsightsQuery): Promise<WellnessInsights> {
    const to = query.to ?? (query.from ? addDays(query.from, DEFAULT_SPAN_DAYS - 1) : this.today());
    const from = query.from ?? addDays(to, -(DEFAULT_SPAN_DAYS - 1));
    const { repository } = this.deps;
    const days = await repository.moodDays(clientId, scope, from, to);
    // Habits have no sharing flag: a therapist never sees them.
    const habits = scope === 'own' ? await repository.habits(clientId) : [];
    const goals = await repository.goals(clientId, scope);
    await this.deps.audit.recordAll([
      { actorId: viewer.id, action: 'wellness_insights.read', entityType: 'wellness_insights', entityId: clientId, metadata: { scope, from, to } },
      ...habits.map((habit) => ({ actorId: viewer.id, action: 'habit_definition.read', entityType: 'habit_definition', entityId: habit.id, metadata: { via: 'insights' } })),
      ...goals.map((goal) => ({ actorId: viewer.id, action: 'goal.read', entityType: 'goal', entityId: goal.id, metadata: { via: 'insights' } })),
    ]);
    const today = this.today();
    return {
      clientId,
      scope,
      mood: { from, to, timeZone: INSIGHTS_TIME_ZONE, days: days.map(toMoodTrendDay) },
      habits: habits.map((habit) => this.toHabitStreak(habit, today)),
      goals: goals.map((goal) => this.toGoalProgress(goal)),
    };
  }

  private toHabitStreak(row: HabitRow, today: string): HabitStreak {
    const period = row.frequency === 'weekly' ? 'week' : 'day';
    const { current, longest } = streaks(row.periods, period, today);
    return {
      habitId: row.id,
      name: row.name ? this.deps.cipher.decrypt(row.name) : (row.name_plaintext ?? ''),
      frequency: row.frequency,
      period,
      targetCount: row.target_count,
      currentStreak: current,
      longestStreak: longest,
      lastCompletedPeriod: row.periods.at(-1) ?? null,
    };
  }

  private toGoalProgress(row: GoalRow): GoalProgress {
    const milestones: Array<{ done: boolean }> = row.milestones ? JSON.parse(this.deps.cipher.decrypt(row.milestones)) : (row.milestones_plaintext ?? []);
    const done = milestones.filter((milestone) => milestone.done).length;
    return {
      goalId: row.id,
      title: row.title ? this.deps.cipher.decrypt(row.title) : (row.title_plaintext ?? ''),
      progressType: row.progress_type,
      percent: goalPercent(row, done, milestones.length),
      milestonesDone: done,
      milestonesTotal: milestones.length,
      isCompleted: row.is_completed,
      targetDate: row.target_date,
    };
  }
}

function goalPercent(row: GoalRow, done: number, total: number): number {
  if (row.is_completed) return 100;
  if (row.progress_type === 'milestone') return total === 0 ? 0 : Math.round((done / total) * 10_000) / 100;
  if (row.progress_type === 'binary') return 0;
  return Math.min(100, Number(row.current_progress));
}

function toMoodTrendDay(row: MoodDayRow): MoodTrendDay {
  const week = Number(row.week_average);
  const previous = row.previous_week_average === null ? null : Number(row.previous_week_average);
  return {
    day: row.day,
    entries: row.entries,
    averageMood: Number(row.average_mood),
    volatility: row.volatility === null ? null : Number(row.volatility),
    weekAverage: week,
    previousWeekAverage: previous,
    trend: previous === null || week === previous ? 'stable' : week > previous ? 'improving' : 'declining',
    sleepCorrelation: row.sleep_correlation,
  };
}
