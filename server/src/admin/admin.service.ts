import { QueryTypes, type Sequelize } from 'sequelize';
import { ForbiddenError, NotFoundError, type AccountSuspension } from '@therapy-field/sync';
import type { AuditLog } from '../audit/index.js';
import type { SessionRevoker } from '../auth/index.js';
import type { RequestOrigin } from '../http/index.js';

export class AdminService {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly audit: AuditLog,
    private readonly sessions: SessionRevoker,
  ) {}

  /** The account can no longer sign in, and every session it has ends now, sockets included. */
  async suspendUser(userId: string, adminId: string, origin: RequestOrigin): Promise<AccountSuspension> {
    if (userId === adminId) throw new ForbiddenError('You may not suspend your own account');
    await this.sequelize.transaction(async (transaction) => {
      const rows = await this.sequelize.query(`UPDATE users SET status = 'suspended' WHERE id = :userId AND deleted_at IS NULL AND status <> 'deleted' RETURNING id`, {
        type: QueryTypes.SELECT,
        replacements: { userId },
        transaction,
      });
      if (rows.length === 0) throw new NotFoundError('User');
      await this.sessions.revoke(userId, 'admin.user_suspended', transaction);
      await this.audit.record({ actorId: adminId, action: 'admin.user_suspended', entityType: 'user', entityId: userId, ...origin }, transaction);
    });
    return { userId, status: 'suspended' };
  }

  /** A therapist appears in the directory only after a super admin has checked their license. */
  async verifyTherapist(therapistId: string, adminId: string, origin: RequestOrigin) {
    const rows = await this.sequelize.query<{ verified_at: Date }>(
      `UPDATE therapist_profiles SET is_verified = true, verified_at = now(), verified_by = :adminId, updated_at = now()
       WHERE user_id = :therapistId RETURNING verified_at`,
      { type: QueryTypes.SELECT, replacements: { therapistId, adminId } },
    );
    if (rows.length === 0) throw new NotFoundError('Therapist');
    await this.audit.record({ actorId: adminId, action: 'therapist.verified', entityType: 'therapist_profile', entityId: therapistId, ...origin });
    return { therapistId, verifiedAt: rows[0]!.verified_at.toISOString(), verifiedBy: adminId };
  }
}
