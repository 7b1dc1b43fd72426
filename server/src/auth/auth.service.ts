import { randomUUID } from 'node:crypto';
import {
  AppError,
  ConflictError,
  ForbiddenError,
  UnauthenticatedError,
  type LoginResponse,
  type RegisterRequest,
  type RegisteredUser,
  type TokenPair,
  type TwoFactorSetup,
} from '@therapy-field/sync';
import type { Transaction } from 'sequelize';
import type { AuditLog } from '../audit/index.js';
import type { FieldCipher } from '../crypto/index.js';
import type { User } from '../database/index.js';
import type { EmailQueue, Language } from '../email/index.js';
import type { RequestOrigin } from '../http/index.js';
import { loginAccountKey, type AuthRepository, type LoginThrottleRules } from './auth.repository.js';
import { dummyPasswordHash, hashPassword, verifyPassword } from './passwords.js';
import type { SessionRevoker } from './sessions.js';
import { generateOpaqueToken, hashToken, type TokenSigner } from './tokens.js';
import { generateTotpSecret, matchTotpStep, totpUri } from './totp.js';

/**
 * Five failures from one address lock that address out of the account (1, 2, 4… minutes, at most
 * an hour); twenty from anywhere lock the whole account briefly (1, 2, 4… minutes, at most 15), so
 * an attacker slows themself down without locking the owner out for good.
 */
const LOGIN_THROTTLE: LoginThrottleRules = { addressLimit: 5, addressCapMinutes: 60, accountLimit: 20, accountCapMinutes: 15 };
const EMAIL_VERIFICATION_TTL_MS = 48 * 3600_000;
const PASSWORD_RESET_TTL_MS = 3600_000;

export interface AuthServiceDeps {
  repository: AuthRepository;
  tokens: TokenSigner;
  cipher: FieldCipher;
  audit: AuditLog;
  emails: EmailQueue;
  sessions: SessionRevoker;
  publicUrl: string;
  refreshTokenTtlDays: number;
}

/** A refresh either rotates the token or finds it was already rotated once (a leak). */
type Rotation = { user: User; refreshToken: string } | { reusedFamilyId: string };

export class AuthService {
  constructor(private readonly deps: AuthServiceDeps) {}

  /**
   * Answers the same whether or not the address has an account, after the same work (the
   * password is hashed either way): a new address gets its verification email, an existing
   * account's owner is told someone tried to register with it (at most once an hour).
   */
  async register(request: RegisterRequest & { language: Language }, origin: RequestOrigin): Promise<void> {
    const { repository } = this.deps;
    const passwordHash = await hashPassword(request.password);
    const owner = await repository.findUserByEmail(request.email);
    if (owner) return this.tellOwnerOfRegistrationAttempt(owner, origin);
    if (request.role === 'therapist' && (await repository.licenseNumberTaken(request.licenseNumber))) {
      throw new ConflictError('CONFLICT', 'This license number is already registered');
    }
    await repository.transaction(async (transaction) => {
      const created = await repository.createAccount(
        { ...request, passwordHash, licenseNumber: request.role === 'therapist' ? request.licenseNumber : undefined },
        transaction,
      );
      await this.mailSingleUseLink(created, request.firstName, request.language, 'email_verification', transaction);
      await this.deps.audit.record({ actorId: created.id, action: 'auth.register', entityType: 'user', entityId: created.id, ...origin }, transaction);
    });
  }

  private async tellOwnerOfRegistrationAttempt(owner: User, origin: RequestOrigin): Promise<void> {
    await this.deps.repository.transaction(async (transaction) => {
      const profile = await this.deps.repository.profileOf(owner.id);
      const hour = new Date().toISOString().slice(0, 13);
      await this.deps.emails.enqueue(
        {
          userId: owner.id,
          to: owner.email,
          template: 'registration_attempt',
          language: (profile?.language as Language) ?? 'el',
          data: { name: profile?.firstName ?? '', link: `${this.deps.publicUrl}/forgot-password` },
          dedupeKey: `registration_attempt:${owner.id}:${hour}`,
        },
        transaction,
      );
      await this.deps.audit.record({ actorId: null, action: 'auth.register_existing', entityType: 'user', entityId: owner.id, ...origin }, transaction);
    });
  }

  async verifyEmail(token: string): Promise<RegisteredUser> {
    const { repository } = this.deps;
    const user = await repository.transaction(async (transaction) => {
      const userId = await repository.consumeUserToken('email_verification', hashToken(token), transaction);
      if (!userId) throw new UnauthenticatedError('TOKEN_INVALID', 'This link is not valid or has expired');
      await repository.markEmailVerified(userId, transaction);
      return (await repository.findUserById(userId, transaction))!;
    });
    return toRegisteredUser(user);
  }

  /** An unknown email is answered, throttled and timed like a wrong password: the same work runs. */
  async login(email: string, password: string, origin: RequestOrigin): Promise<LoginResponse> {
    await this.assertNotLocked(email, origin);
    const user = await this.deps.repository.findUserByEmail(email);
    const passwordMatches = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
    if (!user || !passwordMatches) return this.failLogin(email, user, origin, 'INVALID_CREDENTIALS', 'Email or password is wrong');
    if (user.status === 'suspended' || user.status === 'deleted') throw new ForbiddenError('This account is not active');
    if (!user.emailVerified) throw new AppError('EMAIL_NOT_VERIFIED', 'Confirm your email address first');
    if (user.twoFactorEnabled) {
      // Only the newest challenge is pending, and only until it is used.
      const challengeId = randomUUID();
      await this.deps.repository.updateUser(user.id, { twoFactorChallengeId: challengeId });
      return { twoFactorRequired: true, challengeToken: await this.deps.tokens.signTwoFactorChallenge(user.id, challengeId) };
    }
    return this.completeLogin(user, origin);
  }

  async loginWithTwoFactor(challengeToken: string, code: string, origin: RequestOrigin): Promise<TokenPair> {
    const { userId, challengeId } = await this.deps.tokens.verifyTwoFactorChallenge(challengeToken);
    const user = await this.deps.repository.findUserById(userId);
    if (!user?.twoFactorEnabled || !user.twoFactorSecret || user.twoFactorChallengeId !== challengeId) {
      throw new UnauthenticatedError('TOKEN_INVALID', 'Two-factor login is not pending');
    }
    await this.assertNotLocked(user.email, origin);
    if (!(await this.useTotp(user, 'twoFactorSecret', code, origin, challengeId))) {
      await this.failLogin(user.email, user, origin, 'TWO_FACTOR_INVALID', 'The code is wrong or expired');
    }
    return this.completeLogin(user, origin);
  }

  /** Rotates a refresh token. Presenting one that was already rotated means it leaked: the family is revoked. */
  async refresh(refreshToken: string, origin: RequestOrigin): Promise<TokenPair> {
    const { repository } = this.deps;
    const rotated = await repository.transaction(async (transaction): Promise<Rotation> => {
      const current = await repository.findRefreshToken(hashToken(refreshToken), transaction);
      if (!current) throw new UnauthenticatedError('TOKEN_INVALID', 'Refresh token is not valid');
      if (current.revokedAt) return { reusedFamilyId: current.familyId };
      if (current.expiresAt <= new Date()) throw new UnauthenticatedError('TOKEN_EXPIRED', 'Refresh token has expired');
      const user = await repository.findUserById(current.userId, transaction);
      if (!user || user.status !== 'active') throw new UnauthenticatedError('TOKEN_INVALID', 'Account is not active');
      const next = await this.issueRefreshToken(user.id, current.familyId, origin, transaction);
      await repository.markRefreshTokenReplaced(current.id, next.id, transaction);
      return { user, refreshToken: next.token };
    });
    if ('reusedFamilyId' in rotated) {
      await repository.revokeRefreshFamily(rotated.reusedFamilyId);
      await this.deps.audit.record({ actorId: null, action: 'auth.refresh_token_reused', metadata: { familyId: rotated.reusedFamilyId }, ...origin });
      throw new UnauthenticatedError('TOKEN_INVALID', 'Refresh token was already used; signed out everywhere it was shared');
    }
    return this.tokenPair(rotated.user, rotated.refreshToken);
  }

  async logout(refreshToken: string): Promise<void> {
    const current = await this.deps.repository.findRefreshToken(hashToken(refreshToken));
    if (current) await this.deps.repository.revokeRefreshFamily(current.familyId);
  }

  /** Every session of the account ends; the caller's device carries on with the new tokens returned. */
  async changePassword(userId: string, currentPassword: string, newPassword: string, origin: RequestOrigin): Promise<TokenPair> {
    const user = await this.confirmPassword(userId, currentPassword, 'Current password is wrong');
    await this.setPassword(userId, newPassword, 'auth.password_changed', origin);
    const refresh = await this.issueRefreshToken(user.id, randomUUID(), origin);
    return this.tokenPair(user, refresh.token);
  }

  /** The signed-in user typed their password again before something grave (a password change, an erasure). */
  async confirmPassword(userId: string, password: string, message = 'Password is wrong'): Promise<User> {
    const user = await this.requireUser(userId);
    if (!(await verifyPassword(user.passwordHash, password))) throw new AppError('INVALID_CREDENTIALS', message);
    return user;
  }

  /** Always succeeds, so the answer never tells whether an account exists. */
  async requestPasswordReset(email: string): Promise<void> {
    const user = await this.deps.repository.findUserByEmail(email);
    if (!user || user.status === 'deleted') return;
    const profile = await this.deps.repository.profileOf(user.id);
    await this.mailSingleUseLink(user, profile?.firstName ?? '', (profile?.language as Language) ?? 'el', 'password_reset');
  }

  async resetPassword(token: string, newPassword: string, origin: RequestOrigin): Promise<void> {
    const { repository } = this.deps;
    const userId = await repository.transaction((transaction) =>
      repository.consumeUserToken('password_reset', hashToken(token), transaction),
    );
    if (!userId) throw new UnauthenticatedError('TOKEN_INVALID', 'This link is not valid or has expired');
    await this.setPassword(userId, newPassword, 'auth.password_reset', origin);
  }

  async setupTwoFactor(userId: string, origin: RequestOrigin): Promise<TwoFactorSetup> {
    const user = await this.requireUser(userId);
    if (user.twoFactorEnabled) throw new ConflictError('TWO_FACTOR_ALREADY_ENABLED', 'Two-factor authentication is already on');
    const secret = generateTotpSecret();
    await this.deps.repository.updateUser(userId, { twoFactorPendingSecret: this.deps.cipher.encrypt(secret), encryptionKeyId: this.deps.cipher.currentKeyId });
    await this.auditSecret(userId, 'two_factor_secret.write', origin);
    return { secret, otpauthUrl: totpUri(secret, user.email) };
  }

  async confirmTwoFactor(userId: string, code: string, origin: RequestOrigin): Promise<void> {
    const user = await this.requireUser(userId);
    if (user.twoFactorEnabled) throw new ConflictError('TWO_FACTOR_ALREADY_ENABLED', 'Two-factor authentication is already on');
    if (!user.twoFactorPendingSecret) throw new ConflictError('CONFLICT', 'Start two-factor setup first');
    if (!(await this.useTotp(user, 'twoFactorPendingSecret', code, origin, null))) {
      throw new AppError('TWO_FACTOR_INVALID', 'The code is wrong or expired');
    }
    await this.deps.repository.updateUser(userId, {
      twoFactorEnabled: true,
      twoFactorSecret: user.twoFactorPendingSecret,
      twoFactorPendingSecret: null,
    });
    await this.deps.sessions.revoke(userId, 'auth.two_factor_enabled');
    await this.auditSecret(userId, 'two_factor_secret.write', origin);
  }

  async disableTwoFactor(userId: string, password: string, code: string, origin: RequestOrigin): Promise<void> {
    const user = await this.requireUser(userId);
    if (!user.twoFactorEnabled || !user.twoFactorSecret) throw new ConflictError('TWO_FACTOR_NOT_ENABLED', 'Two-factor authentication is off');
    if (!(await verifyPassword(user.passwordHash, password))) throw new AppError('INVALID_CREDENTIALS', 'Password is wrong');
    if (!(await this.useTotp(user, 'twoFactorSecret', code, origin, null))) {
      throw new AppError('TWO_FACTOR_INVALID', 'The code is wrong or expired');
    }
    await this.deps.repository.updateUser(userId, { twoFactorEnabled: false, twoFactorSecret: null, twoFactorPendingSecret: null });
    await this.deps.sessions.revoke(userId, 'auth.two_factor_disabled');
    await this.auditSecret(userId, 'two_factor_secret.delete', origin);
  }

  private async assertNotLocked(email: string, origin: RequestOrigin): Promise<void> {
    const lockedUntil = await this.deps.repository.loginLockedUntil(loginAccountKey(email), throttledAddress(origin));
    if (lockedUntil) throw accountLocked(lockedUntil);
  }

  private async failLogin(email: string, user: User | null, origin: RequestOrigin, code: 'INVALID_CREDENTIALS' | 'TWO_FACTOR_INVALID', message: string): Promise<never> {
    const lockedUntil = await this.deps.repository.recordFailedLogin(loginAccountKey(email), throttledAddress(origin), LOGIN_THROTTLE);
    await this.deps.audit.record({ actorId: user?.id ?? null, action: 'auth.login_failed', entityType: 'user', entityId: user?.id ?? null, ...origin });
    if (lockedUntil) throw accountLocked(lockedUntil);
    throw new AppError(code, message);
  }

  private async completeLogin(user: User, origin: RequestOrigin): Promise<TokenPair> {
    await this.deps.repository.clearFailedLogins(loginAccountKey(user.email), throttledAddress(origin));
    const refresh = await this.issueRefreshToken(user.id, randomUUID(), origin);
    await this.deps.repository.recordSuccessfulLogin(user.id, origin.ip);
    await this.deps.audit.record({ actorId: user.id, action: 'auth.login', entityType: 'user', entityId: user.id, ...origin });
    return this.tokenPair(user, refresh.token);
  }

  private async issueRefreshToken(userId: string, familyId: string, origin: RequestOrigin, transaction?: Transaction) {
    const token = generateOpaqueToken();
    const expiresAt = new Date(Date.now() + this.deps.refreshTokenTtlDays * 86_400_000);
    const row = await this.deps.repository.createRefreshToken({
      userId,
      familyId,
      tokenHash: hashToken(token),
      expiresAt,
      userAgent: origin.userAgent,
      ip: origin.ip,
    }, transaction);
    return { id: row.id, token };
  }

  private async tokenPair(user: User, refreshToken: string): Promise<TokenPair> {
    return {
      tokenType: 'Bearer',
      accessToken: await this.deps.tokens.signAccessToken({ id: user.id, role: user.role }),
      expiresIn: this.deps.tokens.accessTokenTtl,
      refreshToken,
      user: { id: user.id, role: user.role },
    };
  }

  private async setPassword(userId: string, newPassword: string, action: string, origin: RequestOrigin): Promise<void> {
    const passwordHash = await hashPassword(newPassword);
    await this.deps.repository.transaction(async (transaction) => {
      await this.deps.repository.updateUser(userId, { passwordHash }, transaction);
      await this.deps.repository.revokeAllRefreshTokens(userId, transaction);
      await this.deps.sessions.revoke(userId, action, transaction);
      await this.deps.audit.record({ actorId: userId, action, entityType: 'user', entityId: userId, ...origin }, transaction);
    });
  }

  private async mailSingleUseLink(
    user: User,
    name: string,
    language: Language,
    purpose: 'email_verification' | 'password_reset',
    transaction?: Transaction,
  ): Promise<void> {
    const token = generateOpaqueToken();
    const ttl = purpose === 'email_verification' ? EMAIL_VERIFICATION_TTL_MS : PASSWORD_RESET_TTL_MS;
    await this.deps.repository.createUserToken(user.id, purpose, hashToken(token), new Date(Date.now() + ttl), transaction);
    const path = purpose === 'email_verification' ? 'verify-email' : 'reset-password';
    await this.deps.emails.enqueue(
      { userId: user.id, to: user.email, template: purpose, language, data: { name, link: `${this.deps.publicUrl}/${path}?token=${token}` } },
      transaction,
    );
  }

  /**
   * A code is good once: its 30-second step must be later than the last one used (stored
   * atomically); for a login the pending challenge is consumed in the same statement.
   */
  private async useTotp(user: User, column: 'twoFactorSecret' | 'twoFactorPendingSecret', code: string, origin: RequestOrigin, challengeId: string | null): Promise<boolean> {
    const step = matchTotpStep(await this.readTwoFactorSecret(user, column, origin), code);
    return step !== null && (await this.deps.repository.useTwoFactorStep(user.id, step, challengeId));
  }

  private async readTwoFactorSecret(user: User, column: 'twoFactorSecret' | 'twoFactorPendingSecret', origin: RequestOrigin): Promise<string> {
    await this.auditSecret(user.id, 'two_factor_secret.read', origin);
    return this.deps.cipher.decrypt(user[column]!);
  }

  private auditSecret(userId: string, action: string, origin: RequestOrigin): Promise<void> {
    return this.deps.audit.record({ actorId: userId, action, entityType: 'user', entityId: userId, ...origin });
  }

  private async requireUser(userId: string): Promise<User> {
    const user = await this.deps.repository.findUserById(userId);
    if (!user) throw new UnauthenticatedError('TOKEN_INVALID', 'Account no longer exists');
    return user;
  }
}

const throttledAddress = (origin: RequestOrigin) => origin.ip ?? 'unknown';

const accountLocked = (lockedUntil: Date) =>
  new AppError('ACCOUNT_LOCKED', 'Too many failed attempts; try again later', { lockedUntil: lockedUntil.toISOString() });

function toRegisteredUser(user: User): RegisteredUser {
  return { id: user.id, email: user.email, role: user.role, status: user.status, emailVerified: user.emailVerified };
}
