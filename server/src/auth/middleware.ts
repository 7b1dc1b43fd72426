import type { MiddlewareHandler } from 'hono';
import { ForbiddenError, UnauthenticatedError, type Role } from '@therapy-field/sync';
import type { AppEnv, AuthenticatedUser } from '../http/index.js';
import type { AuthRepository } from './auth.repository.js';
import type { TokenSigner } from './tokens.js';

/** Who an access token belongs to; rejects with a 401 AppError. */
export type AccessTokenAuthenticator = (token: string) => Promise<AuthenticatedUser>;

/**
 * A valid signature is not enough: the account must still be active, so the access token of an
 * erased or suspended user stops working at once instead of when it expires.
 */
export function activeAccountAuthenticator(tokens: TokenSigner, repository: Pick<AuthRepository, 'isActiveAccount'>): AccessTokenAuthenticator {
  return async (token) => {
    const user = await tokens.verifyAccessToken(token);
    if (!(await repository.isActiveAccount(user.id))) throw new UnauthenticatedError('TOKEN_INVALID', 'Account is not active');
    return user;
  };
}

/** Requires a valid access token (`Authorization: Bearer …`) of an active account and, when given, one of `roles`. */
export function requireUser(authenticate: AccessTokenAuthenticator, ...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const [scheme, token] = header.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) throw new UnauthenticatedError();
    const user = await authenticate(token);
    if (roles.length > 0 && !roles.includes(user.role)) {
      throw new ForbiddenError(`This needs one of the roles: ${roles.join(', ')}`);
    }
    c.set('user', user);
    await next();
  };
}
