import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { MeasureSchedule } from '@therapy-field/sync';

/** A questionnaire_templates row as the seed's §14 document stores it. */
export interface TemplateRow {
  id: string;
  name: string;
  short_name: string;
  version: string;
  questions: Array<{ id: string; text: { el: string; en: string }; scale: { min: number; max: number; labels: { el: string[]; en: string[] } } }>;
  scoring: {
    max: number;
    percentage_multiplier?: number;
    prompt: { el: string; en: string };
    ranges: Array<{ min: number; max: number; interpretation: string; severity: string; alert: boolean; label: { el: string; en: string } }>;
  };
  created_at: Date;
}

export interface AssignmentRow {
  id: string;
  therapist_id: string;
  client_id: string;
  measure: string;
  schedule: MeasureSchedule['kind'];
  interval_weeks: number | null;
  template_id: string;
  due: boolean;
  last_answered_at: Date | null;
  created_at: Date;
  ended_at: Date | null;
}

export interface ResponseRow {
  id: string;
  assignment_id: string;
  client_id: string;
  questionnaire_id: string;
  responses: number[];
  client_comment: Buffer | null;
  calculated_score: number;
  interpretation: string;
  severity: string;
  completed_at: Date;
  template_version: string;
  template_scoring: TemplateRow['scoring'];
  measure: string;
}

export interface RiskAlertRow {
  id: string;
  therapist_id: string;
  client_id: string;
  response_id: string;
  measure: string;
  score: number;
  severity: string;
  reasons: string[];
  created_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
}

const TEMPLATE_COLUMNS = 'id, name, short_name, version, questions, scoring, created_at';

// Due: never answered (once); a confirmed session with the therapist in the coming week and no answer
// since the last session began (before_session); the last answer N weeks old (every_n_weeks).
const ASSIGNMENT_SELECT = `
  SELECT a.id, a.therapist_id, a.client_id, a.measure, a.schedule, a.interval_weeks, a.created_at, a.ended_at,
         current_measure_template(a.measure) AS template_id, last.completed_at AS last_answered_at,
         CASE
           WHEN a.ended_at IS NOT NULL THEN false
           WHEN a.schedule = 'once' THEN last.completed_at IS NULL
           WHEN a.schedule = 'every_n_weeks' THEN last.completed_at IS NULL OR last.completed_at <= now() - make_interval(weeks => a.interval_weeks)
           ELSE EXISTS (
             SELECT 1 FROM appointments ap
              WHERE ap.therapist_id = a.therapist_id AND ap.client_id = a.client_id AND ap.status = 'confirmed' AND ap.deleted_at IS NULL
                AND ap.scheduled_start > now() AND ap.scheduled_start <= now() + interval '7 days')
             AND (last.completed_at IS NULL OR last.completed_at < coalesce(
               (SELECT max(p.scheduled_start) FROM appointments p
                 WHERE p.therapist_id = a.therapist_id AND p.client_id = a.client_id AND p.status IN ('confirmed', 'completed')
                   AND p.deleted_at IS NULL AND p.scheduled_start <= now()),
               a.created_at))
         END AS due
    FROM measure_assignments a
    LEFT JOIN LATERAL (SELECT max(r.completed_at) AS completed_at FROM questionnaire_responses r WHERE r.assignment_id = a.id) last ON true`;

const RESPONSE_SELECT = `
  SELECT r.id, r.assignment_id, r.client_id, r.questionnaire_id, r.responses, r.client_comment, r.calculated_score::float8 AS calculated_score,
         r.interpretation, r.severity, r.completed_at, t.version AS template_version, t.scoring AS template_scoring, t.short_name AS measure
    FROM questionnaire_responses r
    JOIN questionnaire_templates t ON t.id = r.questionnaire_id`;

const ALERT_SELECT = `
  SELECT al.id, al.therapist_id, al.client_id, al.response_id, t.short_name AS measure, r.calculated_score::float8 AS score, r.severity,
         al.reasons, al.created_at, al.acknowledged_at, al.acknowledged_by
    FROM measure_risk_alerts al
    JOIN questionnaire_responses r ON r.id = al.response_id
    JOIN questionnaire_templates t ON t.id = r.questionnaire_id`;

/** Queries on measures: templates, assignments, answers and risk alerts. Row-level security narrows each to the asker. */
export class MeasuresRepository {
  constructor(private readonly sequelize: Sequelize) {}

  private select<Row extends object>(sql: string, replacements: Record<string, unknown> = {}, transaction?: Transaction): Promise<Row[]> {
    return this.sequelize.query<Row>(sql, { type: QueryTypes.SELECT, replacements, transaction });
  }

  /** The newest active version of each measure. */
  currentTemplates(): Promise<TemplateRow[]> {
    return this.select(
      `SELECT ${TEMPLATE_COLUMNS} FROM questionnaire_templates
        WHERE id IN (SELECT current_measure_template(m) FROM unnest(ARRAY['PHQ-9', 'GAD-7', 'WHO-5']) m)
        ORDER BY short_name`,
    );
  }

  async template(id: string): Promise<TemplateRow | null> {
    const [row] = await this.select<TemplateRow>(`SELECT ${TEMPLATE_COLUMNS} FROM questionnaire_templates WHERE id = :id AND type = 'clinical_assessment'`, { id });
    return row ?? null;
  }

  async currentTemplate(measure: string): Promise<TemplateRow | null> {
    const [row] = await this.select<TemplateRow>(`SELECT ${TEMPLATE_COLUMNS} FROM questionnaire_templates WHERE id = current_measure_template(:measure)`, { measure });
    return row ?? null;
  }

  async mayMeasure(therapistId: string, clientId: string): Promise<boolean> {
    const [row] = await this.select<{ allowed: boolean }>('SELECT may_measure(:therapistId, :clientId) AS allowed', { therapistId, clientId });
    return Boolean(row?.allowed);
  }

  async insertAssignment(assignment: { therapistId: string; clientId: string; measure: string; schedule: MeasureSchedule }, transaction: Transaction): Promise<AssignmentRow> {
    const [inserted] = await this.select<{ id: string }>(
      `INSERT INTO measure_assignments (therapist_id, client_id, measure, schedule, interval_weeks)
       VALUES (:therapistId, :clientId, :measure, :kind, :weeks) RETURNING id`,
      {
        therapistId: assignment.therapistId,
        clientId: assignment.clientId,
        measure: assignment.measure,
        kind: assignment.schedule.kind,
        weeks: assignment.schedule.kind === 'every_n_weeks' ? assignment.schedule.weeks : null,
      },
      transaction,
    );
    return (await this.assignments({ id: inserted!.id }, transaction))[0]!;
  }

  /** Assignments matching every given column, newest first. */
  assignments(where: { id?: string; therapistId?: string; clientId?: string }, transaction?: Transaction): Promise<AssignmentRow[]> {
    const conditions = [
      where.id && 'a.id = :id',
      where.therapistId && 'a.therapist_id = :therapistId',
      where.clientId && 'a.client_id = :clientId',
    ].filter(Boolean);
    return this.select(`${ASSIGNMENT_SELECT} WHERE ${conditions.join(' AND ')} ORDER BY a.created_at DESC, a.id`, where, transaction);
  }

  async endAssignment(id: string, therapistId: string): Promise<boolean> {
    const [, count] = (await this.sequelize.query(
      'UPDATE measure_assignments SET ended_at = now() WHERE id = :id AND therapist_id = :therapistId AND ended_at IS NULL',
      { replacements: { id, therapistId } },
    )) as [unknown, number];
    return count > 0;
  }

  /**
   * Marks the open assignments that are due and whose client has not been told since they last
   * answered (or for a week) as told now; returns them, for their notices.
   */
  markDueNotices(): Promise<Array<{ id: string; therapist_id: string; client_id: string; measure: string }>> {
    return this.select(
      `UPDATE measure_assignments a SET due_notified_at = now()
         FROM (${ASSIGNMENT_SELECT}) d
        WHERE d.id = a.id AND d.due
          AND (a.due_notified_at < coalesce(d.last_answered_at, '-infinity') OR a.due_notified_at < now() - interval '7 days')
        RETURNING a.id, a.therapist_id, a.client_id, a.measure`,
    );
  }

  /** What refuses these answers (`measure_response_refusal`, migration 1600), or null. */
  async answerRefusal(writerId: string, assignmentId: string, templateId: string, answers: number[]): Promise<string | null> {
    const [row] = await this.select<{ refusal: string | null }>(
      'SELECT measure_response_refusal(:writerId, :assignmentId, :templateId, CAST(:answers AS jsonb)) AS refusal',
      { writerId, assignmentId, templateId, answers: JSON.stringify(answers) },
    );
    return row?.refusal ?? null;
  }

  async response(id: string): Promise<ResponseRow | null> {
    const [row] = await this.select<ResponseRow>(`${RESPONSE_SELECT} WHERE r.id = :id`, { id });
    return row ?? null;
  }

  /** One client's scored answers to a measure, oldest first; `therapistId` keeps those of that therapist's assignments. */
  series(clientId: string, measure: string, therapistId?: string): Promise<ResponseRow[]> {
    return this.select(
      `${RESPONSE_SELECT}
        WHERE r.client_id = :clientId AND t.short_name = :measure AND r.assignment_id IS NOT NULL
          ${therapistId ? 'AND EXISTS (SELECT 1 FROM measure_assignments a WHERE a.id = r.assignment_id AND a.therapist_id = :therapistId)' : ''}
        ORDER BY r.completed_at, r.id`,
      { clientId, measure, therapistId: therapistId ?? null },
    );
  }

  async alertForResponse(responseId: string): Promise<RiskAlertRow | null> {
    const [row] = await this.select<RiskAlertRow>(`${ALERT_SELECT} WHERE al.response_id = :responseId`, { responseId });
    return row ?? null;
  }

  /** The therapist's alerts, newest first. */
  alerts(therapistId: string, unacknowledgedOnly: boolean): Promise<RiskAlertRow[]> {
    return this.select(
      `${ALERT_SELECT} WHERE al.therapist_id = :therapistId ${unacknowledgedOnly ? 'AND al.acknowledged_at IS NULL' : ''}
        ORDER BY al.created_at DESC, al.id LIMIT 200`,
      { therapistId },
    );
  }

  /**
   * Records the therapist's acknowledgement once: the alert as it stands and whether this call
   * recorded it, or null when it is not theirs.
   */
  async acknowledge(id: string, therapistId: string, transaction: Transaction): Promise<{ alert: RiskAlertRow; recorded: boolean } | null> {
    const recorded = await this.select<{ id: string }>(
      `UPDATE measure_risk_alerts SET acknowledged_at = now(), acknowledged_by = :therapistId
        WHERE id = :id AND therapist_id = :therapistId AND acknowledged_at IS NULL RETURNING id`,
      { id, therapistId },
      transaction,
    );
    const [row] = await this.select<RiskAlertRow>(`${ALERT_SELECT} WHERE al.id = :id AND al.therapist_id = :therapistId`, { id, therapistId }, transaction);
    return row ? { alert: row, recorded: recorded.length > 0 } : null;
  }

  transaction<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
    return this.sequelize.transaction(work);
  }
}
