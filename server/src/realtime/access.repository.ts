import { QueryTypes, type Sequelize } from 'sequelize';

/** Membership queries behind every room join and peer-to-peer event. */
export class AccessRepository {
  constructor(private readonly sequelize: Sequelize) {}

  private async exists(sql: string, replacements: Record<string, unknown>): Promise<boolean> {
    const rows = await this.sequelize.query(`SELECT EXISTS (${sql}) AS found`, { type: QueryTypes.SELECT, replacements });
    return (rows[0] as { found: boolean } | undefined)?.found === true;
  }

  isBusinessAdmin(userId: string, businessId: string): Promise<boolean> {
    return this.exists('SELECT 1 FROM business_admins WHERE business_id = :businessId AND user_id = :userId', { userId, businessId });
  }

  isAppointmentParticipant(userId: string, appointmentId: string): Promise<boolean> {
    return this.exists(
      'SELECT 1 FROM appointments WHERE id = :appointmentId AND (client_id = :userId OR therapist_id = :userId) AND deleted_at IS NULL',
      { userId, appointmentId },
    );
  }

  /** The two have a message thread: the rule of `may_message` (migration 0400), which messages follow too. */
  mayMessage(userId: string, peerId: string): Promise<boolean> {
    return this.exists('SELECT 1 WHERE may_message(:userId, :peerId)', { userId, peerId });
  }

  /** Those of `peerIds` who share an appointment with `userId`. */
  async relatedAmong(userId: string, peerIds: string[]): Promise<string[]> {
    if (peerIds.length === 0) return [];
    const rows = await this.sequelize.query<{ peer: string }>(
      `SELECT DISTINCT CASE WHEN client_id = :userId THEN therapist_id ELSE client_id END AS peer
       FROM appointments
       WHERE deleted_at IS NULL
         AND ((client_id = :userId AND therapist_id IN (:peerIds)) OR (therapist_id = :userId AND client_id IN (:peerIds)))`,
      { type: QueryTypes.SELECT, replacements: { userId, peerIds } },
    );
    return rows.map((row) => row.peer);
  }
}
