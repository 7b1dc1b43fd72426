import { QueryTypes, type Sequelize } from 'sequelize';

/** The GDPR functions of the schema (migrations/sql/0013, called through 0901's own-data guards), and nothing else. */
export class PrivacyRepository {
  constructor(private readonly sequelize: Sequelize) {}

  /** Everything stored about the user, sealed (bytea) values as `\x…` hex strings. */
  async exportUserData(userId: string): Promise<Record<string, unknown>> {
    const [row] = await this.sequelize.query<{ data: Record<string, unknown> }>('SELECT export_own_data(:userId) AS data', {
      type: QueryTypes.SELECT,
      replacements: { userId },
    });
    return row!.data;
  }

  /**
   * Erases what the client wrote for themselves and their account's machinery, keeps the clinical
   * record under the anonymised account (migration 0650, README.md here), all or nothing. The
   * delete triggers tell the client's therapists' devices through the change log.
   */
  async eraseUserData(userId: string): Promise<void> {
    await this.sequelize.transaction((transaction) =>
      this.sequelize.query('SELECT erase_own_data(:userId)', { type: QueryTypes.SELECT, replacements: { userId }, transaction }),
    );
  }

  /** Removes the clinical records of erased clients whose retention has passed; returns how many clients. */
  async purgeExpiredClinicalRecords(): Promise<number> {
    const [row] = await this.sequelize.query<{ purged: string }>('SELECT purge_erased_clinical_records() AS purged', { type: QueryTypes.SELECT });
    return Number(row!.purged);
  }
}
