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

  async record(entry: AuditEntry, transaction?: Transaction): Promise<void> {
    await this.sequelize.query(
      `INSERT INTO audit_logs (user_id, action, entity_type, entity_id, ip_address, user_agent, metadata)
       VALUES (:actorId, :action, :entityType, :entityId, :ip, :userAgent, :metadata)`,
      {
        type: QueryTypes.INSERT,
        transaction,
        replacements: {
          actorId: entry.actorId,
          action: entry.action,
          entityType: entry.entityType ?? null,
          entityId: entry.entityId ?? null,
          ip: entry.ip ?? null,
          userAgent: entry.userAgent ?? null,
          metadata: JSON.stringify(entry.metadata ?? {}),
        },
      },
    );
  }
}
