import type { MiddlewareHandler } from 'hono';
import { ForbiddenError, UnauthenticatedError, type Role } from '@therapy-field/sync';
import type { AppEnv } from '../http/index.js';
import type { TokenSigner } from './tokens.js';

/** Requires a valid access token (`Authorization: Bearer …`) and, when given, one of `roles`. */
export function requireUser(tokens: TokenSigner, ...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const [scheme, token] = header.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) throw new UnauthenticatedError();
    const user = await tokens.verifyAccessToken(token);
    if (roles.length > 0 && !roles.includes(user.role)) {
      throw new ForbiddenError(`This needs one of the roles: ${roles.join(', ')}`);
    }
    c.set('user', user);
    await next();
  };
}
