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

  /** Counts a failed attempt atomically; the fifth one locks the account and starts the count over. */
  async recordFailedLogin(userId: string, maxAttempts: number, lockMinutes: number): Promise<Date | null> {
    const [rows] = (await this.sequelize.query(
      `UPDATE users SET
         failed_login_attempts = CASE WHEN failed_login_attempts + 1 >= :maxAttempts THEN 0 ELSE failed_login_attempts + 1 END,
         locked_until = CASE WHEN failed_login_attempts + 1 >= :maxAttempts THEN now() + make_interval(mins => :lockMinutes) ELSE locked_until END
       WHERE id = :userId
       RETURNING locked_until`,
      { replacements: { userId, maxAttempts, lockMinutes } },
    )) as [Array<{ locked_until: Date | null }>, unknown];
    return rows[0]?.locked_until ?? null;
  }

  async recordSuccessfulLogin(userId: string, ip: string | null): Promise<void> {
    await this.models.User.update(
      { failedLoginAttempts: 0, lockedUntil: null, lastLoginAt: new Date(), lastLoginIp: ip },
      { where: { id: userId } },
    );
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

  async updateUser(userId: string, changes: Partial<Pick<User, 'passwordHash' | 'twoFactorEnabled' | 'twoFactorSecret' | 'twoFactorPendingSecret' | 'twoFactorChallengeId' | 'encryptionKeyId' | 'failedLoginAttempts' | 'lockedUntil'>>, transaction?: Transaction) {
    await this.models.User.update(changes, { where: { id: userId, deletedAt: { [Op.is]: null } }, transaction });
  }
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
