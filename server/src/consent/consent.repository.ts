import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { ConsentKind } from '@therapy-field/sync';

/** A consent record as stored, with the person's zone for its times. */
export interface ConsentRow {
  id: string;
  kind: ConsentKind;
  text_version: string;
  given_at: Date;
  given_ip: string | null;
  withdrawn_at: Date | null;
  withdrawn_ip: string | null;
  replaced_by: string | null;
  timezone: string;
}

const COLUMNS = `c.id, c.kind, c.text_version, c.given_at, host(c.given_ip) AS given_ip, c.withdrawn_at, host(c.withdrawn_ip) AS withdrawn_ip,
  c.replaced_by, coalesce(up.timezone, 'Europe/Athens') AS timezone`;
const FROM = `consent_records c LEFT JOIN user_profiles up ON up.user_id = c.user_id`;

/** Queries on `consent_records`, each scoped to one person. */
export class ConsentRepository {
  constructor(private readonly sequelize: Sequelize) {}

  transaction<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
    return this.sequelize.transaction(work);
  }

  private select(sql: string, replacements: Record<string, unknown>, transaction?: Transaction): Promise<ConsentRow[]> {
    return this.sequelize.query<ConsentRow>(sql, { type: QueryTypes.SELECT, replacements, transaction });
  }

  /** Newest first. */
  forUser(userId: string): Promise<ConsentRow[]> {
    return this.select(`SELECT ${COLUMNS} FROM ${FROM} WHERE c.user_id = :userId ORDER BY c.given_at DESC, c.id`, { userId });
  }

  /** The standing record of a kind, locked for its withdrawal or replacement. */
  async standing(userId: string, kind: ConsentKind, transaction: Transaction): Promise<ConsentRow | null> {
    const [row] = await this.select(`SELECT ${COLUMNS} FROM ${FROM} WHERE c.user_id = :userId AND c.kind = :kind AND c.withdrawn_at IS NULL FOR UPDATE OF c`, { userId, kind }, transaction);
    return row ?? null;
  }

  async find(id: string, transaction: Transaction): Promise<ConsentRow> {
    const [row] = await this.select(`SELECT ${COLUMNS} FROM ${FROM} WHERE c.id = :id`, { id }, transaction);
    return row!;
  }

  async insert(record: { id: string; userId: string; kind: ConsentKind; textVersion: string; ip: string | null; userAgent: string | null }, transaction: Transaction): Promise<void> {
    await this.sequelize.query(
      `INSERT INTO consent_records (id, user_id, kind, text_version, given_ip, given_user_agent)
       VALUES (:id, :userId, :kind, :textVersion, CAST(:ip AS inet), :userAgent)`,
      { replacements: record, transaction },
    );
  }

  /** Closes a standing record: a withdrawal, or (with `replacedBy`) the acceptance of a newer text. */
  async close(id: string, ip: string | null, replacedBy: string | null, transaction: Transaction): Promise<void> {
    await this.sequelize.query(
      `UPDATE consent_records SET withdrawn_at = now(), withdrawn_ip = CAST(:ip AS inet), replaced_by = :replacedBy WHERE id = :id`,
      { replacements: { id, ip, replacedBy }, transaction },
    );
  }
}
