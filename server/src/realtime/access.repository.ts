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

  /**
   * Those of `peerIds` in a current care relationship with `userId`, the rule of `may_message`: a
   * booking request alone (or a declined one) does not let either side watch the other.
   */
  async relatedAmong(userId: string, peerIds: string[]): Promise<string[]> {
    if (peerIds.length === 0) return [];
    const rows = await this.sequelize.query<{ peer: string }>(
      'SELECT DISTINCT peer FROM unnest(ARRAY[:peerIds]::uuid[]) AS peer WHERE may_message(:userId, peer)',
      { type: QueryTypes.SELECT, replacements: { userId, peerIds } },
    );
    return rows.map((row) => row.peer);
  }
}
