import type { Transaction } from 'sequelize';
import type { AuditLog } from '../audit/index.js';
import type { AuthenticatedUser } from '../http/index.js';

export interface ClinicalAccess {
  /** The record kind, as key rotation names it too, e.g. `session_note`, `treatment_plan`. */
  entityType: string;
  verb: 'read' | 'write';
  ids: string[];
  /** What a write did, e.g. `create`, `update`. */
  change?: string;
}

/** One audit row per clinical record read or written (`<entityType>.<verb>`); the record's text never goes here. */
export function auditClinicalAccess(audit: AuditLog, viewer: AuthenticatedUser, access: ClinicalAccess, transaction?: Transaction): Promise<void> {
  const metadata = access.change ? { change: access.change } : {};
  return audit.recordAll(
    access.ids.map((entityId) => ({ actorId: viewer.id, action: `${access.entityType}.${access.verb}`, entityType: access.entityType, entityId, metadata })),
    transaction,
  );
}

/**
 * Refuses a clinical read or write: an `access_denied` audit row per id asked for (who, the record
 * kind, the verb) that the refusal's rollback does not remove, then throws `refusal` (mostly a 404
 * that does not reveal whether the record exists).
 */
export async function refuseClinicalAccess(audit: AuditLog, viewer: AuthenticatedUser, access: Omit<ClinicalAccess, 'change'>, refusal: Error): Promise<never> {
  await audit.recordDenied({ actorId: viewer.id, entityType: access.entityType, entityIds: access.ids, verb: access.verb });
  throw refusal;
}
