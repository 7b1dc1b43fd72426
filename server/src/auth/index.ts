import type { Redis } from 'ioredis';
import type { Sequelize } from 'sequelize';
import type { Role } from '@therapy-field/sync';
import type { AuditLog } from '../audit/index.js';
import type { Config } from '../config/index.js';
import type { FieldCipher } from '../crypto/index.js';
import type { Models } from '../database/index.js';
import type { EmailQueue } from '../email/index.js';
import type { DomainEventBus } from '../events/index.js';
import { IdempotentRequests } from '../http/index.js';
import { AuthRepository } from './auth.repository.js';
import { authRoutes } from './auth.routes.js';
import { AuthService } from './auth.service.js';
import { activeAccountAuthenticator, asPlatform, requireUser } from './middleware.js';
import { createRateLimiter, rateLimitByIp } from './rate-limit.js';
import { SessionRevoker } from './sessions.js';
import { TokenSigner } from './tokens.js';

export { TokenSigner } from './tokens.js';
export { hashPassword } from './passwords.js';
export { normalizeEmail } from './auth.repository.js';
export { currentTotp, totpStep } from './totp.js';
export { createRateLimiter, rateLimitByIp, rateLimitByUser, type RateLimitRule } from './rate-limit.js';
export type { AccessTokenAuthenticator } from './middleware.js';
export type { AuthService } from './auth.service.js';
export type { SessionRevoker } from './sessions.js';

export interface AuthModuleDeps {
  config: Pick<Config, 'auth' | 'publicUrl'>;
  sequelize: Sequelize;
  models: Models;
  cipher: FieldCipher;
  audit: AuditLog;
  emails: EmailQueue;
  events: DomainEventBus;
  redis?: Redis;
}

/**
 * Accounts, logins, tokens and 2FA; `guard(...roles)` protects any other capability's routes and
 * `authenticate` checks the socket handshake's token the same way.
 */
export function createAuthModule({ config, sequelize, models, cipher, audit, emails, events, redis }: AuthModuleDeps) {
  const tokens = new TokenSigner(config.auth.jwtSecret, config.auth.accessTokenTtlSeconds);
  const repository = new AuthRepository(sequelize, models);
  const sessions = new SessionRevoker(repository, events);
  const service = new AuthService({
    repository,
    tokens,
    cipher,
    audit,
    emails,
    sessions,
    publicUrl: config.publicUrl,
    refreshTokenTtlDays: config.auth.refreshTokenTtlDays,
  });
  const authenticate = activeAccountAuthenticator(tokens, repository);
  const idempotency = new IdempotentRequests(sequelize);
  const guard = (...roles: Role[]) => requireUser(authenticate, idempotency, ...roles);
  const limiter = createRateLimiter({ keyPrefix: 'auth', ...config.auth.rateLimit }, redis);
  return {
    tokens,
    authenticate,
    service,
    sessions,
    guard,
    asPlatform,
    routes: authRoutes({ service, authenticated: guard(), rateLimit: rateLimitByIp(limiter) }),
  };
}

export type AuthModule = ReturnType<typeof createAuthModule>;
