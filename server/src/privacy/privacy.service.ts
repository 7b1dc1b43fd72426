import { ForbiddenError, type EraseRequest, type ExportedData, type PrivacyExport, type Role } from '@therapy-field/sync';
import type { AuditLog } from '../audit/index.js';
import type { AuthService } from '../auth/index.js';
import type { FieldCipher } from '../crypto/index.js';
import type { RequestOrigin } from '../http/index.js';
import type { Logger } from '../logger/index.js';
import type { PrivacyRepository } from './privacy.repository.js';
import { openSealedValues } from './readable-export.js';

/**
 * The export's policy on clinical records, told to the user in the export itself: what the
 * therapist wrote about the client is personal data of the client, so the right of access covers
 * it and it is exported readable; the therapist's private notes on appointments are their working
 * notes, which `export_user_data` leaves out of a client's export.
 */
export const exportNotice =
  'This is all data Therapy Field holds about you (GDPR art. 15), with encrypted text decrypted. ' +
  'Your clinical record (session notes, treatment plans, assessments and medical, psychiatric and social history) is included. ' +
  "Your therapist's private working notes on appointments are not: to ask for them, write to your therapist, who must answer within one month (GDPR art. 12(3)).";

export interface PrivacyServiceDeps {
  repository: PrivacyRepository;
  auth: Pick<AuthService, 'confirmPassword'>;
  cipher: FieldCipher;
  audit: AuditLog;
  /** Ends the user's open sockets on every node. */
  disconnectUser: (userId: string) => void;
  logger: Logger;
}

/** The caller's GDPR rights on their own data: access (export) and erasure. */
export class PrivacyService {
  constructor(private readonly deps: PrivacyServiceDeps) {}

  async exportData(userId: string, origin: RequestOrigin): Promise<PrivacyExport> {
    const { export_date: exportedAt, ...exported } = await this.deps.repository.exportUserData(userId);
    const { data, reads } = openSealedValues(exported, this.deps.cipher, userId);
    await this.deps.audit.recordAll([
      { actorId: userId, action: 'gdpr.export', entityType: 'user', entityId: userId, ...origin, metadata: { sealedRowsOpened: reads.length } },
      ...reads.map((read) => ({ ...read, ...origin })),
    ]);
    return { exportedAt: new Date(exportedAt as string).toISOString(), notice: exportNotice, data: data as ExportedData };
  }

  /** Therapists keep clinical records by law, and business and admin accounts go through support. */
  async erase(user: { id: string; role: Role }, request: EraseRequest): Promise<void> {
    if (user.role !== 'client') {
      throw new ForbiddenError(
        user.role === 'therapist'
          ? 'Therapists keep clinical records by law and cannot erase their account here; contact support'
          : 'Business and admin accounts are erased by support; contact support',
      );
    }
    await this.deps.auth.confirmPassword(user.id, request.password);
    await this.deps.repository.eraseUserData(user.id);
    this.deps.disconnectUser(user.id);
    this.deps.logger.info({ userId: user.id }, 'account erased on request (GDPR art. 17)');
  }

  /** The daily retention run: erased clients' clinical records leave once their retention period is over. */
  async purgeExpiredClinicalRecords(): Promise<number> {
    const purged = await this.deps.repository.purgeExpiredClinicalRecords();
    if (purged > 0) this.deps.logger.info({ formerClients: purged }, 'clinical records past retention removed');
    return purged;
  }
}
