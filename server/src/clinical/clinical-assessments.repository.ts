import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';

/** The columns a write sets: sealed findings and diagnoses, plain type, tool, score and date. */
// A type, not an interface, so a row of it passes as query replacements.
export type SealedAssessment = {
  assessment_type: string;
  assessment_tool: string | null;
  score: number | null;
  findings: Buffer | null;
  /** [{code, description, primary}] as JSON, sealed. */
  diagnoses: Buffer | null;
  administered_date: string;
  encryption_key_id: string;
};

export interface AssessmentRow extends Omit<SealedAssessment, 'encryption_key_id'> {
  id: string;
  client_id: string;
  therapist_id: string;
  created_at: Date;
  updated_at: Date;
  timezone: string;
}

const COLUMNS = `a.id, a.client_id, a.therapist_id, a.assessment_type, a.assessment_tool, a.score::float8 AS score, a.findings, a.diagnoses,
  a.administered_date::text AS administered_date, a.created_at, a.updated_at, coalesce(tp.timezone, 'Europe/Athens') AS timezone`;
const FROM = 'clinical_assessments a LEFT JOIN therapist_profiles tp ON tp.user_id = a.therapist_id';
const WRITTEN = ['assessment_type', 'assessment_tool', 'score', 'findings', 'diagnoses', 'administered_date', 'encryption_key_id'] as const;

/** Queries on `clinical_assessments`; every one is scoped to the assessment's therapist. */
export class ClinicalAssessmentsRepository {
  constructor(private readonly sequelize: Sequelize) {}

  transaction<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
    return this.sequelize.transaction(work);
  }

  private select(sql: string, replacements: Record<string, unknown>, transaction?: Transaction): Promise<AssessmentRow[]> {
    return this.sequelize.query<AssessmentRow>(sql, { type: QueryTypes.SELECT, replacements, transaction });
  }

  async insert(assessment: SealedAssessment & { client_id: string; therapist_id: string }, transaction: Transaction): Promise<AssessmentRow> {
    const [inserted] = await this.select(
      `INSERT INTO clinical_assessments (client_id, therapist_id, ${WRITTEN.join(', ')})
       VALUES (:client_id, :therapist_id, ${WRITTEN.map((column) => `:${column}`).join(', ')}) RETURNING id`,
      assessment,
      transaction,
    );
    return (await this.find(inserted!.id, assessment.therapist_id, transaction))!;
  }

  /** The therapist's assessment, or null (another's or missing); `lock` holds it for a change. */
  async find(id: string, therapistId: string, transaction?: Transaction, lock = false): Promise<AssessmentRow | null> {
    const [row] = await this.select(`SELECT ${COLUMNS} FROM ${FROM} WHERE a.id = :id AND a.therapist_id = :therapistId ${lock ? 'FOR UPDATE OF a' : ''}`, { id, therapistId }, transaction);
    return row ?? null;
  }

  /** Newest first. */
  forClient(clientId: string, therapistId: string): Promise<AssessmentRow[]> {
    return this.select(`SELECT ${COLUMNS} FROM ${FROM} WHERE a.client_id = :clientId AND a.therapist_id = :therapistId ORDER BY a.administered_date DESC, a.created_at DESC, a.id`, {
      clientId,
      therapistId,
    });
  }

  async update(id: string, therapistId: string, assessment: SealedAssessment, transaction: Transaction): Promise<AssessmentRow> {
    await this.sequelize.query(`UPDATE clinical_assessments SET ${WRITTEN.map((column) => `${column} = :${column}`).join(', ')} WHERE id = :id`, {
      replacements: { ...assessment, id },
      transaction,
    });
    return (await this.find(id, therapistId, transaction))!;
  }
}
