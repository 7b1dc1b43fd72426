import type { MiddlewareHandler } from 'hono';
import { ForbiddenError, UnauthenticatedError, type Role } from '@therapy-field/sync';
import type { AppEnv } from '../http/index.js';
import type { AuthRepository } from './auth.repository.js';
import type { AccessTokenClaims, TokenSigner } from './tokens.js';

/** Who an access token belongs to and until when; rejects with a 401 AppError. */
export type AccessTokenAuthenticator = (token: string) => Promise<AccessTokenClaims>;

/**
 * A valid signature is not enough: the account must still be active and the token issued after its
 * sessions were last revoked, so the access token of an erased or suspended user, or one from
 * before a password change, stops working at once instead of when it expires.
 */
export function activeAccountAuthenticator(tokens: TokenSigner, repository: Pick<AuthRepository, 'accessTokenStanding'>): AccessTokenAuthenticator {
  return async (token) => {
    const claims = await tokens.verifyAccessToken(token);
    const standing = await repository.accessTokenStanding(claims.id, claims.issuedAt);
    if (standing === 'inactive') throw new UnauthenticatedError('TOKEN_INVALID', 'Account is not active');
    if (standing === 'revoked') throw new UnauthenticatedError('TOKEN_INVALID', 'This token was revoked: refresh it or sign in again');
    return claims;
  };
}

/** Requires a valid access token (`Authorization: Bearer …`) of an active account and, when given, one of `roles`. */
export function requireUser(authenticate: AccessTokenAuthenticator, ...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const [scheme, token] = header.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) throw new UnauthenticatedError();
    const { id, role } = await authenticate(token);
    if (roles.length > 0 && !roles.includes(role)) {
      throw new ForbiddenError(`This needs one of the roles: ${roles.join(', ')}`);
    }
    c.set('user', { id, role });
    await next();
  };
}
