import type { MiddlewareHandler } from 'hono';
import type { Redis } from 'ioredis';
import type { Sequelize } from 'sequelize';
import type { AuditLog } from '../audit/index.js';
import { createRateLimiter, rateLimitByUser, type AuthService } from '../auth/index.js';
import type { FieldCipher } from '../crypto/index.js';
import type { AppEnv } from '../http/index.js';
import type { Logger } from '../logger/index.js';
import { accountRoom, type RealtimeHub } from '../realtime/index.js';
import { PrivacyRepository } from './privacy.repository.js';
import { privacyRoutes } from './privacy.routes.js';
import { PrivacyService } from './privacy.service.js';

export type { PrivacyService } from './privacy.service.js';

/** Exports and erasure attempts per user and hour, together: enough to retry, too few to hammer the key ring or guess a password. */
const REQUESTS_PER_HOUR = 5;

export interface PrivacyModuleDeps {
  sequelize: Sequelize;
  auth: Pick<AuthService, 'confirmPassword'>;
  cipher: FieldCipher;
  audit: AuditLog;
  hub: Pick<RealtimeHub, 'io'>;
  authenticated: MiddlewareHandler<AppEnv>;
  logger: Logger;
  redis?: Redis;
}

/** GDPR rights of the signed-in user on their own data: export (access) and erasure. */
export function createPrivacyModule(deps: PrivacyModuleDeps) {
  const service = new PrivacyService({
    repository: new PrivacyRepository(deps.sequelize),
    auth: deps.auth,
    cipher: deps.cipher,
    audit: deps.audit,
    // Through the Redis adapter this reaches the user's sockets on every node.
    disconnectUser: (userId) => deps.hub.io.in(accountRoom(userId)).disconnectSockets(true),
    logger: deps.logger.child({ module: 'privacy' }),
  });
  const limiter = createRateLimiter({ keyPrefix: 'privacy', points: REQUESTS_PER_HOUR, windowSeconds: 3600 }, deps.redis);
  return { service, routes: privacyRoutes({ service, authenticated: deps.authenticated, rateLimit: rateLimitByUser(limiter) }) };
}
