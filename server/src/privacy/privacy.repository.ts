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
   * Erases wellness and clinical data, refresh and single-use tokens, and anonymises the account
   * and the audit values, all or nothing. The wellness tables' delete triggers tell the client's
   * therapists' devices through the change log.
   */
  async eraseUserData(userId: string): Promise<void> {
    await this.sequelize.transaction((transaction) =>
      this.sequelize.query('SELECT erase_own_data(:userId)', { type: QueryTypes.SELECT, replacements: { userId }, transaction }),
    );
  }
}
