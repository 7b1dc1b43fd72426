import { QueryTypes, type Sequelize } from 'sequelize';

export interface VideoAppointment {
  id: string;
  therapistId: string;
  clientId: string;
  scheduledStart: Date;
  scheduledEnd: Date;
  status: string;
  isOnline: boolean;
  /** The therapist admitted the client to this call before (on any node). */
  clientAdmitted: boolean;
  /** The client withdrew their consent to telehealth (and has not given it again). */
  telehealthWithdrawn: boolean;
}

/** The appointment queries video sessions need; each update reaches both dashboards through the change log. */
export class VideoRepository {
  constructor(private readonly sequelize: Sequelize) {}

  async findAppointment(id: string): Promise<VideoAppointment | undefined> {
    const [row] = await this.sequelize.query<VideoAppointment>(
      `SELECT id, therapist_id AS "therapistId", client_id AS "clientId", scheduled_start AS "scheduledStart",
              scheduled_end AS "scheduledEnd", status, is_online AS "isOnline",
              client_admitted_at IS NOT NULL AS "clientAdmitted",
              consent_withdrawn(client_id, 'telehealth') AS "telehealthWithdrawn"
         FROM appointments WHERE id = :id AND deleted_at IS NULL`,
      { type: QueryTypes.SELECT, replacements: { id } },
    );
    return row;
  }

  /** Both parties are in: the first time sets actual_start; a session resumed after it ended clears actual_end. */
  async markStarted(id: string): Promise<void> {
    await this.sequelize.query(
      `UPDATE appointments SET actual_start = COALESCE(actual_start, now()), actual_end = NULL
        WHERE id = :id AND (actual_start IS NULL OR actual_end IS NOT NULL)`,
      { replacements: { id } },
    );
  }

  async markClientAdmitted(id: string): Promise<void> {
    await this.sequelize.query(`UPDATE appointments SET client_admitted_at = now() WHERE id = :id AND client_admitted_at IS NULL`, {
      replacements: { id },
    });
  }

  /** The session is over; a session that never started (one party alone) records nothing. */
  async markEnded(id: string): Promise<void> {
    await this.sequelize.query(`UPDATE appointments SET actual_end = now() WHERE id = :id AND actual_start IS NOT NULL`, {
      replacements: { id },
    });
  }
}
