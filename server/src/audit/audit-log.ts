import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';

export interface AuditEntry {
  /** Who acted; null for the system or an anonymous caller. */
  actorId: string | null;
  /** Dotted verb, e.g. `auth.login`, `two_factor_secret.read`, `session_note.write`. */
  action: string;
  entityType?: string;
  entityId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  metadata?: Record<string, unknown>;
}

/** Writes who read or changed what; clinical data is never written here, only that it was touched. */
export class AuditLog {
  constructor(private readonly sequelize: Sequelize) {}

  /**
   * Names who acts for the rest of `transaction` (`app.current_user_id`, transaction-local): the
   * audit trigger of migration 0011 records them as the actor of the rows it writes for the
   * tables it watches (appointments, session notes, …). Without it those rows have no actor.
   */
  async setActor(actorId: string, transaction: Transaction): Promise<void> {
    await this.sequelize.query(`SELECT set_config('app.current_user_id', :actorId, true)`, { type: QueryTypes.SELECT, transaction, replacements: { actorId } });
  }

  record(entry: AuditEntry, transaction?: Transaction): Promise<void> {
    return this.recordAll([entry], transaction);
  }

  /**
   * A refused attempt to read or write `entityType` rows (`access_denied`), one row per id asked
   * for. Written in the request's transaction, which a refusal (4xx) commits: call it outside any
   * explicit `transaction(...)` (a savepoint) the refusal's throw would roll back.
   */
  recordDenied(attempt: { actorId: string; entityType: string; entityIds: string[]; verb: 'read' | 'write' }): Promise<void> {
    return this.recordAll(
      attempt.entityIds.map((entityId) => ({ actorId: attempt.actorId, action: 'access_denied', entityType: attempt.entityType, entityId, metadata: { verb: attempt.verb } })),
    );
  }

  /** Many entries in one statement: a sync page or a rotation batch audits every row it touched. */
  async recordAll(entries: AuditEntry[], transaction?: Transaction): Promise<void> {
    if (entries.length === 0) return;
    const rows = entries.map((entry) => ({
      user_id: entry.actorId,
      action: entry.action,
      entity_type: entry.entityType ?? null,
      entity_id: entry.entityId ?? null,
      ip_address: entry.ip ?? null,
      user_agent: entry.userAgent ?? null,
      metadata: entry.metadata ?? {},
    }));
    await this.sequelize.query(
      `INSERT INTO audit_logs (user_id, action, entity_type, entity_id, ip_address, user_agent, metadata)
       SELECT user_id, action, entity_type, entity_id, ip_address, user_agent, metadata
         FROM jsonb_to_recordset(:rows::jsonb)
           AS r(user_id uuid, action text, entity_type text, entity_id uuid, ip_address inet, user_agent text, metadata jsonb)`,
      { type: QueryTypes.INSERT, transaction, replacements: { rows: JSON.stringify(rows) } },
    );
  }
}
