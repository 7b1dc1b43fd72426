import { QueryTypes, type Sequelize } from 'sequelize';
import { NotFoundError } from '@therapy-field/sync';
import type { AuditLog } from '../audit/index.js';
import type { RequestOrigin } from '../http/index.js';

export class AdminService {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly audit: AuditLog,
  ) {}

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
