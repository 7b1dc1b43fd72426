import { NotFoundError } from '@therapy-field/sync';
import { QueryTypes, type Sequelize } from 'sequelize';
import type { AuditLog } from '../audit/index.js';
import type { AuthenticatedUser } from '../http/index.js';
import { refuseClinicalAccess } from './clinical-audit.js';

/**
 * Who may open a client's clinical record: a therapist with a confirmed or completed appointment
 * with them, past ones included (`is_current_therapist`, migration 0300, the definition RLS and
 * sharing use too). A therapist keeps the record of care they gave; one whose appointments were
 * only requested, declined or cancelled never treated the client and gets nothing.
 */
export class CareRelationships {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly audit: AuditLog,
  ) {}

  /**
   * The viewer's time zone, for the record's times, if they are the client's therapist; anyone else
   * is told `what` does not exist, so whether a record exists is not revealed, and the attempt on
   * `attempt` (the record kind and verb) is audited as denied.
   */
  async requireTherapistOf(
    viewer: AuthenticatedUser,
    clientId: string,
    what: string,
    attempt: { entityType: string; verb: 'read' | 'write' },
  ): Promise<{ timezone: string }> {
    const [row] = await this.sequelize.query<{ related: boolean; timezone: string }>(
      `SELECT is_current_therapist(:therapistId, :clientId) AS related,
              coalesce((SELECT timezone FROM therapist_profiles WHERE user_id = :therapistId), 'Europe/Athens') AS timezone`,
      { type: QueryTypes.SELECT, replacements: { therapistId: viewer.id, clientId } },
    );
    if (!row?.related) return refuseClinicalAccess(this.audit, viewer, { ...attempt, ids: [clientId] }, new NotFoundError(what));
    return { timezone: row.timezone };
  }
}
