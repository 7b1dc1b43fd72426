import type { Context, MiddlewareHandler } from 'hono';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from '@therapy-field/sync';
import { clientIp, type AppEnv } from '../http/index.js';

export interface RateLimitRule {
  /** Requests allowed per window. */
  points: number;
  windowSeconds: number;
  keyPrefix: string;
}

/** Limits shared by every node through Redis when there is one, per process otherwise. */
export function createRateLimiter(rule: RateLimitRule, redis?: Redis): RateLimiterAbstract {
  const options = { points: rule.points, duration: rule.windowSeconds, keyPrefix: `rl:${rule.keyPrefix}` };
  return redis ? new RateLimiterRedis({ ...options, storeClient: redis }) : new RateLimiterMemory(options);
}

/** Middleware counting requests per client IP; over the limit answers 429 RATE_LIMITED. */
export function rateLimitByIp(limiter: RateLimiterAbstract): MiddlewareHandler<AppEnv> {
  return rateLimitBy(limiter, (c) => clientIp(c) ?? 'unknown');
}

/** Middleware counting requests per signed-in user (after the auth guard); over the limit answers 429 RATE_LIMITED. */
export function rateLimitByUser(limiter: RateLimiterAbstract): MiddlewareHandler<AppEnv> {
  return rateLimitBy(limiter, (c) => c.var.user.id);
}

function rateLimitBy(limiter: RateLimiterAbstract, keyOf: (c: Context<AppEnv>) => string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    try {
      await limiter.consume(keyOf(c));
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfter = Math.ceil(rejection.msBeforeNext / 1000);
      c.header('Retry-After', String(retryAfter));
      throw new AppError('RATE_LIMITED', 'Too many requests, slow down', { retryAfterSeconds: retryAfter });
    }
    await next();
  };
}
