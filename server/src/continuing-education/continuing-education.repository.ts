import { QueryTypes, type Sequelize } from 'sequelize';
import type { CreateContinuingEducationRequest } from '@therapy-field/sync';

export interface CourseRow {
  id: string;
  course_name: string;
  provider: string | null;
  completion_date: string | null;
  credits_earned: string | null;
  certificate_url: string | null;
  expiry_date: string | null;
  created_at: Date;
}

const COLUMNS = `id, course_name, provider, completion_date::text AS completion_date, credits_earned, certificate_url, expiry_date::text AS expiry_date, created_at`;

export class ContinuingEducationRepository {
  constructor(private readonly sequelize: Sequelize) {}

  courses(therapistId: string): Promise<CourseRow[]> {
    return this.sequelize.query<CourseRow>(`SELECT ${COLUMNS} FROM continuing_education WHERE therapist_id = :therapistId ORDER BY completion_date DESC NULLS FIRST, created_at DESC`, {
      type: QueryTypes.SELECT,
      replacements: { therapistId },
    });
  }

  async licenceExpiry(therapistId: string): Promise<string | null> {
    const [row] = await this.sequelize.query<{ expiry: string | null }>(`SELECT license_expiry_date::text AS expiry FROM therapist_profiles WHERE user_id = :therapistId`, {
      type: QueryTypes.SELECT,
      replacements: { therapistId },
    });
    return row?.expiry ?? null;
  }

  async insert(therapistId: string, course: CreateContinuingEducationRequest): Promise<CourseRow> {
    const [row] = await this.sequelize.query<CourseRow>(
      `INSERT INTO continuing_education (therapist_id, course_name, provider, completion_date, credits_earned, certificate_url, expiry_date)
       VALUES (:therapistId, :courseName, :provider, :completionDate, :creditsEarned, :certificateUrl, :expiryDate) RETURNING ${COLUMNS}`,
      {
        type: QueryTypes.SELECT,
        replacements: {
          therapistId,
          courseName: course.courseName,
          provider: course.provider ?? null,
          completionDate: course.completionDate ?? null,
          creditsEarned: course.creditsEarned ?? null,
          certificateUrl: course.certificateUrl ?? null,
          expiryDate: course.expiryDate ?? null,
        },
      },
    );
    return row!;
  }

  async delete(id: string, therapistId: string): Promise<boolean> {
    const rows = await this.sequelize.query(`DELETE FROM continuing_education WHERE id = :id AND therapist_id = :therapistId RETURNING id`, {
      type: QueryTypes.SELECT,
      replacements: { id, therapistId },
    });
    return rows.length > 0;
  }
}

/**
 * The platform's daily reminder (on the system connection): every licence and every course's credits
 * lapsing within `days` not yet reminded of gets one reminder row and one notification, in the
 * therapist's language. Returns how many were sent.
 */
export async function remindLapsing(system: Sequelize, days: number): Promise<number> {
  const rows = await system.query<{ id: string }>(
    `WITH due AS (
       SELECT tp.user_id AS therapist_id, 'licence' AS subject, NULL::uuid AS course_id, tp.license_expiry_date AS lapses_on, NULL::text AS course_name
         FROM therapist_profiles tp
        WHERE tp.license_expiry_date BETWEEN current_date AND current_date + :days
       UNION ALL
       SELECT ce.therapist_id, 'credits', ce.id, ce.expiry_date, ce.course_name
         FROM continuing_education ce
        WHERE ce.expiry_date BETWEEN current_date AND current_date + :days
     ), fresh AS (
       INSERT INTO continuing_education_reminders (therapist_id, subject, continuing_education_id, lapses_on)
       SELECT therapist_id, subject, course_id, lapses_on FROM due
       ON CONFLICT DO NOTHING
       RETURNING therapist_id, subject, continuing_education_id, lapses_on
     )
     INSERT INTO notifications (user_id, type, title, message, data)
     SELECT f.therapist_id, 'continuing_education.lapsing',
            CASE WHEN coalesce(p.language, 'el') = 'en'
                 THEN CASE f.subject WHEN 'licence' THEN 'Your licence is about to lapse' ELSE 'Continuing education credits about to lapse' END
                 ELSE CASE f.subject WHEN 'licence' THEN 'Η άδειά σας λήγει σύντομα' ELSE 'Μονάδες συνεχιζόμενης εκπαίδευσης λήγουν σύντομα' END END,
            CASE WHEN coalesce(p.language, 'el') = 'en'
                 THEN CASE f.subject WHEN 'licence' THEN 'Your licence lapses on ' || to_char(f.lapses_on, 'YYYY-MM-DD') || '.'
                      ELSE 'The credits of “' || ce.course_name || '” lapse on ' || to_char(f.lapses_on, 'YYYY-MM-DD') || '.' END
                 ELSE CASE f.subject WHEN 'licence' THEN 'Η άδειά σας λήγει στις ' || to_char(f.lapses_on, 'DD/MM/YYYY') || '.'
                      ELSE 'Οι μονάδες του «' || ce.course_name || '» λήγουν στις ' || to_char(f.lapses_on, 'DD/MM/YYYY') || '.' END END,
            jsonb_build_object('subject', f.subject, 'lapsesOn', f.lapses_on, 'continuingEducationId', f.continuing_education_id)
       FROM fresh f
       LEFT JOIN user_profiles p ON p.user_id = f.therapist_id
       LEFT JOIN continuing_education ce ON ce.id = f.continuing_education_id
     RETURNING id`,
    { type: QueryTypes.SELECT, replacements: { days } },
  );
  return rows.length;
}
