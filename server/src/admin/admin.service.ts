import { QueryTypes, type Sequelize } from 'sequelize';
import { ForbiddenError, NotFoundError, type AccountSuspension, type TherapistAwaitingVerification } from '@therapy-field/sync';
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

  /** The queue of licenses to check: therapists not verified yet, oldest first. */
  async therapistsAwaitingVerification(): Promise<TherapistAwaitingVerification[]> {
    const rows = await this.sequelize.query<{
      user_id: string; first_name: string; last_name: string; license_number: string; license_type: string | null; professional_title: string | null; created_at: Date;
    }>(
      `SELECT tp.user_id, up.first_name, up.last_name, tp.license_number, tp.license_type, tp.professional_title, tp.created_at
         FROM therapist_profiles tp
         JOIN user_profiles up ON up.user_id = tp.user_id
        WHERE NOT tp.is_verified
        ORDER BY tp.created_at, tp.user_id
        LIMIT 200`,
      { type: QueryTypes.SELECT },
    );
    return rows.map((row) => ({
      therapistId: row.user_id,
      firstName: row.first_name,
      lastName: row.last_name,
      licenseNumber: row.license_number,
      licenseType: row.license_type,
      professionalTitle: row.professional_title,
      registeredAt: row.created_at.toISOString(),
    }));
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
