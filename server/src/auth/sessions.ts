import type { Transaction } from 'sequelize';
import type { DomainEventBus } from '../events/index.js';
import type { AuthRepository } from './auth.repository.js';

/**
 * Ends every session of an account at once, wherever it is: access tokens issued until now are
 * refused, and `account.sessions_revoked` makes the real-time hub close the account's sockets on
 * every node. Refresh tokens are the caller's to revoke (a password change does, a 2FA change
 * lets devices refresh and reconnect).
 */
export class SessionRevoker {
  constructor(
    private readonly repository: Pick<AuthRepository, 'revokeSessions'>,
    private readonly events: DomainEventBus,
  ) {}

  /**
   * `reason` is the audit action that ended the sessions. Inside `transaction`, the sockets close
   * once it commits.
   */
  async revoke(userId: string, reason: string, transaction?: Transaction): Promise<void> {
    await this.repository.revokeSessions(userId, new Date(), transaction);
    const announce = () => this.events.publish('account.sessions_revoked', { userId, reason });
    if (transaction) transaction.afterCommit(announce);
    else announce();
  }
}
