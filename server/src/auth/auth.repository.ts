import { createHash } from 'node:crypto';
import { Op, QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { Models, RefreshToken, User, UserTokenPurpose } from '../database/index.js';

export interface NewAccount {
  email: string;
  passwordHash: string;
  role: 'client' | 'therapist';
  firstName: string;
  lastName: string;
  language: string;
  licenseNumber?: string;
}

/** The queries behind authentication, and nothing else. */
export class AuthRepository {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly models: Models,
  ) {}

  transaction<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
    return this.sequelize.transaction(work);
  }

  findUserByEmail(email: string): Promise<User | null> {
    return this.models.User.findOne({ where: { emailNormalized: normalizeEmail(email), deletedAt: null } });
  }

  findUserById(id: string, transaction?: Transaction): Promise<User | null> {
    return this.models.User.findOne({ where: { id, deletedAt: null }, transaction });
  }

  /**
   * The one query behind every authenticated request: primary key, status and the last revocation,
   * no row loaded. A token issued before the account's sessions were revoked is `revoked`.
   */
  async accessTokenStanding(id: string, tokenIssuedAt: Date): Promise<'valid' | 'inactive' | 'revoked'> {
    const [row] = await this.sequelize.query<{ revoked: boolean }>(
      `SELECT coalesce(sessions_revoked_at > :tokenIssuedAt, false) AS revoked FROM users WHERE id = :id AND status = 'active' AND deleted_at IS NULL`,
      { type: QueryTypes.SELECT, replacements: { id, tokenIssuedAt } },
    );
    if (!row) return 'inactive';
    return row.revoked ? 'revoked' : 'valid';
  }

  /** Refuses every access token of the account issued before `at` (see `accessTokenStanding`). */
  async revokeSessions(userId: string, at: Date, transaction?: Transaction): Promise<void> {
    await this.sequelize.query('UPDATE users SET sessions_revoked_at = :at WHERE id = :userId', { replacements: { userId, at }, transaction });
  }

  async emailTaken(email: string): Promise<boolean> {
    return (await this.models.User.count({ where: { emailNormalized: normalizeEmail(email) } })) > 0;
  }

  async createAccount(account: NewAccount, transaction: Transaction): Promise<User> {
    const user = await this.models.User.create(
      { email: account.email, emailNormalized: normalizeEmail(account.email), passwordHash: account.passwordHash, role: account.role },
      { transaction },
    );
    await this.models.UserProfile.create(
      { userId: user.id, firstName: account.firstName, lastName: account.lastName, language: account.language },
      { transaction },
    );
    const profileTable = account.role === 'therapist' ? 'therapist_profiles' : 'client_profiles';
    const columns = account.role === 'therapist' ? '(user_id, license_number)' : '(user_id)';
    const values = account.role === 'therapist' ? '(:userId, :licenseNumber)' : '(:userId)';
    await this.sequelize.query(`INSERT INTO ${profileTable} ${columns} VALUES ${values}`, {
      replacements: { userId: user.id, licenseNumber: account.licenseNumber ?? null },
      transaction,
    });
    return user;
  }

  async licenseNumberTaken(licenseNumber: string): Promise<boolean> {
    const rows = await this.sequelize.query('SELECT 1 FROM therapist_profiles WHERE license_number = :licenseNumber', {
      type: QueryTypes.SELECT,
      replacements: { licenseNumber },
    });
    return rows.length > 0;
  }

  async profileOf(userId: string) {
    return this.models.UserProfile.findByPk(userId);
  }

  /** The end of the latest lock on the account or on this address for it, if one holds now. */
  async loginLockedUntil(accountKey: string, address: string): Promise<Date | null> {
    const [row] = await this.sequelize.query<{ until: Date | null }>(
      `SELECT max(locked_until) AS until FROM login_throttles
        WHERE account_key = :accountKey AND scope IN ('account', :address) AND locked_until > now()`,
      { type: QueryTypes.SELECT, replacements: { accountKey, address } },
    );
    return row?.until ?? null;
  }

  /**
   * Counts a failed login on the account and on the address, atomically: the limit-th failure of
   * a scope locks it for 1, 2, 4… minutes (doubling per lock, capped) and starts its count over.
   * Returns the end of the lock it started, if any.
   */
  async recordFailedLogin(accountKey: string, address: string, rules: LoginThrottleRules): Promise<Date | null> {
    const scopeLimit = `CASE WHEN t.scope = 'account' THEN :accountLimit ELSE :addressLimit END`;
    const scopeCap = `CASE WHEN t.scope = 'account' THEN :accountCapMinutes ELSE :addressCapMinutes END`;
    const [rows] = (await this.sequelize.query(
      `INSERT INTO login_throttles AS t (account_key, scope, failures) VALUES (:accountKey, 'account', 1), (:accountKey, :address, 1)
       ON CONFLICT (account_key, scope) DO UPDATE SET
              failures = CASE WHEN t.failures + 1 >= ${scopeLimit} THEN 0 ELSE t.failures + 1 END,
              locks = t.locks + CASE WHEN t.failures + 1 >= ${scopeLimit} THEN 1 ELSE 0 END,
              locked_until = CASE WHEN t.failures + 1 >= ${scopeLimit}
                                  THEN now() + make_interval(mins => least(${scopeCap}, power(2, least(t.locks, 20))::int))
                                  ELSE t.locked_until END,
              updated_at = now()
       RETURNING CASE WHEN failures = 0 THEN locked_until END AS started`,
      { replacements: { accountKey, address, ...rules } },
    )) as [Array<{ started: Date | null }>, unknown];
    const started = rows.map((row) => row.started).filter((until): until is Date => until !== null);
    return started.length > 0 ? new Date(Math.max(...started.map((until) => until.getTime()))) : null;
  }

  /** After a good login: this address starts afresh on the account, and the account's count of failures too (its lock history stays). */
  async clearFailedLogins(accountKey: string, address: string): Promise<void> {
    const replacements = { accountKey, address };
    await this.sequelize.query(`DELETE FROM login_throttles WHERE account_key = :accountKey AND scope = :address`, { replacements });
    await this.sequelize.query(`UPDATE login_throttles SET failures = 0, updated_at = now() WHERE account_key = :accountKey AND scope = 'account'`, { replacements });
  }

  async recordSuccessfulLogin(userId: string, ip: string | null): Promise<void> {
    await this.models.User.update({ lastLoginAt: new Date(), lastLoginIp: ip }, { where: { id: userId } });
  }

  /** Confirms the email; a pending account becomes active, any other status (suspended…) stays as it is. */
  async markEmailVerified(userId: string, transaction: Transaction): Promise<void> {
    await this.sequelize.query(
      `UPDATE users SET email_verified = TRUE, email_verified_at = now(),
              status = CASE WHEN status = 'pending' THEN 'active' ELSE status END
        WHERE id = :userId AND deleted_at IS NULL`,
      { replacements: { userId }, transaction },
    );
  }

  /**
   * Accepts TOTP `step` once, atomically: false when that step or a later one was already used
   * (a replayed code) or, for a login, when `challengeId` is not the pending challenge (used already).
   */
  async useTwoFactorStep(userId: string, step: number, challengeId: string | null): Promise<boolean> {
    const [rows] = (await this.sequelize.query(
      `UPDATE users SET two_factor_last_step = :step, two_factor_challenge_id = NULL
        WHERE id = :userId
          AND (two_factor_last_step IS NULL OR two_factor_last_step < :step)
          AND (CAST(:challengeId AS uuid) IS NULL OR two_factor_challenge_id = CAST(:challengeId AS uuid))
        RETURNING id`,
      { replacements: { userId, step, challengeId } },
    )) as [unknown[], unknown];
    return rows.length > 0;
  }

  async createUserToken(userId: string, purpose: UserTokenPurpose, tokenHash: string, expiresAt: Date, transaction?: Transaction) {
    await this.models.UserToken.create({ userId, purpose, tokenHash, expiresAt }, { transaction });
  }

  /** Marks a valid single-use token used and returns its user, or null when it is unknown, used or expired. */
  async consumeUserToken(purpose: UserTokenPurpose, tokenHash: string, transaction: Transaction): Promise<string | null> {
    const [rows] = (await this.sequelize.query(
      `UPDATE user_tokens SET used_at = now()
       WHERE token_hash = :tokenHash AND purpose = :purpose AND used_at IS NULL AND expires_at > now()
       RETURNING user_id`,
      { replacements: { tokenHash, purpose }, transaction },
    )) as [Array<{ user_id: string }>, unknown];
    return rows[0]?.user_id ?? null;
  }

  async createRefreshToken(token: Pick<RefreshToken, 'userId' | 'familyId' | 'tokenHash' | 'expiresAt' | 'userAgent' | 'ip'>, transaction?: Transaction) {
    return this.models.RefreshToken.create(token, { transaction });
  }

  findRefreshToken(tokenHash: string, transaction?: Transaction): Promise<RefreshToken | null> {
    return this.models.RefreshToken.findOne({ where: { tokenHash }, transaction, lock: transaction ? true : undefined });
  }

  async markRefreshTokenReplaced(id: string, replacedBy: string, transaction: Transaction): Promise<void> {
    await this.models.RefreshToken.update({ revokedAt: new Date(), replacedBy }, { where: { id }, transaction });
  }

  async revokeRefreshFamily(familyId: string): Promise<void> {
    await this.models.RefreshToken.update({ revokedAt: new Date() }, { where: { familyId, revokedAt: null } });
  }

  async revokeAllRefreshTokens(userId: string, transaction?: Transaction): Promise<void> {
    await this.models.RefreshToken.update({ revokedAt: new Date() }, { where: { userId, revokedAt: null }, transaction });
  }

  async updateUser(userId: string, changes: Partial<Pick<User, 'passwordHash' | 'twoFactorEnabled' | 'twoFactorSecret' | 'twoFactorPendingSecret' | 'twoFactorChallengeId' | 'encryptionKeyId'>>, transaction?: Transaction) {
    await this.models.User.update(changes, { where: { id: userId, deletedAt: { [Op.is]: null } }, transaction });
  }
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** How many failures lock a scope, and the longest lock, in minutes. */
export interface LoginThrottleRules {
  accountLimit: number;
  accountCapMinutes: number;
  addressLimit: number;
  addressCapMinutes: number;
}

/** Throttles are kept by this, not by user id: an email without an account is throttled the same way. */
export function loginAccountKey(email: string): string {
  return createHash('sha256').update(normalizeEmail(email)).digest('hex');
}
