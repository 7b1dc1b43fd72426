import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { TreatmentPlanStatus } from '@therapy-field/sync';
import { postgresArray } from './postgres-array.js';

/** The columns a write sets: sealed clinical values, plain dates and tools, and the sealing key's id. */
export interface SealedTreatmentPlan {
  status: TreatmentPlanStatus;
  /** YYYY-MM-DD. */
  start_date: string;
  review_date: string | null;
  presenting_problems: Buffer | null;
  /** The diagnosis list as JSON, sealed. */
  diagnoses: Buffer | null;
  treatment_goals: Buffer | null;
  interventions_planned: Buffer | null;
  measurement_tools: string[] | null;
  expected_duration: string | null;
  encryption_key_id: string;
}

/** A treatment plan as stored. */
export interface TreatmentPlanRow extends Omit<SealedTreatmentPlan, 'encryption_key_id'> {
  id: string;
  client_id: string;
  therapist_id: string;
  created_at: Date;
  updated_at: Date;
  /** The therapist's zone, for times written with an offset. */
  timezone: string;
}

const COLUMNS = `p.id, p.client_id, p.therapist_id, p.status, p.start_date::text AS start_date, p.review_date::text AS review_date,
  p.presenting_problems, p.diagnoses, p.treatment_goals, p.interventions_planned, p.measurement_tools, p.expected_duration,
  p.created_at, p.updated_at, coalesce(tp.timezone, 'Europe/Athens') AS timezone`;
const FROM = `treatment_plans p LEFT JOIN therapist_profiles tp ON tp.user_id = p.therapist_id`;
/** The columns a write sets, and how each is passed: the tool list as a text[] literal. */
const WRITTEN = ['status', 'start_date', 'review_date', 'presenting_problems', 'diagnoses', 'treatment_goals', 'interventions_planned', 'measurement_tools', 'expected_duration', 'encryption_key_id'] as const;
const placeholder = (column: (typeof WRITTEN)[number]) => (column === 'measurement_tools' ? 'CAST(:measurement_tools AS text[])' : `:${column}`);

/** Queries on `treatment_plans`; every one is scoped to the plan's therapist. */
export class TreatmentPlansRepository {
  constructor(private readonly sequelize: Sequelize) {}

  transaction<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
    return this.sequelize.transaction(work);
  }

  private select(sql: string, replacements: Record<string, unknown>, transaction?: Transaction): Promise<TreatmentPlanRow[]> {
    return this.sequelize.query<TreatmentPlanRow>(sql, { type: QueryTypes.SELECT, replacements, transaction });
  }

  async insert(plan: SealedTreatmentPlan & { client_id: string; therapist_id: string }, transaction: Transaction): Promise<TreatmentPlanRow> {
    const [inserted] = await this.select(
      `INSERT INTO treatment_plans (client_id, therapist_id, ${WRITTEN.join(', ')})
       VALUES (:client_id, :therapist_id, ${WRITTEN.map(placeholder).join(', ')})
       RETURNING id`,
      { ...plan, measurement_tools: postgresArray(plan.measurement_tools) },
      transaction,
    );
    return (await this.find(inserted!.id, plan.therapist_id, transaction))!;
  }

  /** The therapist's plan, or null (another's or missing); `lock` holds it for a change. */
  async find(id: string, therapistId: string, transaction?: Transaction, lock = false): Promise<TreatmentPlanRow | null> {
    const [row] = await this.select(`SELECT ${COLUMNS} FROM ${FROM} WHERE p.id = :id AND p.therapist_id = :therapistId ${lock ? 'FOR UPDATE OF p' : ''}`, { id, therapistId }, transaction);
    return row ?? null;
  }

  /** Newest start first. */
  forClient(clientId: string, therapistId: string): Promise<TreatmentPlanRow[]> {
    return this.select(`SELECT ${COLUMNS} FROM ${FROM} WHERE p.client_id = :clientId AND p.therapist_id = :therapistId ORDER BY p.start_date DESC, p.created_at DESC, p.id`, {
      clientId,
      therapistId,
    });
  }

  async update(id: string, therapistId: string, plan: SealedTreatmentPlan, transaction: Transaction): Promise<TreatmentPlanRow> {
    await this.sequelize.query(
      `UPDATE treatment_plans
          SET ${WRITTEN.map((column) => `${column} = ${placeholder(column)}`).join(', ')}
        WHERE id = :id`,
      { replacements: { ...plan, measurement_tools: postgresArray(plan.measurement_tools), id }, transaction },
    );
    return (await this.find(id, therapistId, transaction))!;
  }
}
