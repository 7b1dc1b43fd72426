import type { Context, MiddlewareHandler, Next } from 'hono';
import { AppError, ForbiddenError, UnauthenticatedError, type Role } from '@therapy-field/sync';
import { currentScope, runAsSystem, runAsUser } from '../database/index.js';
import type { AppEnv, IdempotentRequests } from '../http/index.js';
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
    // The signed token names the user; whether the account still stands is read as that user (their own row).
    const standing = await runAsUser(claims, () => repository.accessTokenStanding(claims.id, claims.issuedAt));
    if (standing === 'inactive') throw new UnauthenticatedError('TOKEN_INVALID', 'Account is not active');
    if (standing === 'revoked') throw new UnauthenticatedError('TOKEN_INVALID', 'This token was revoked: refresh it or sign in again');
    return claims;
  };
}

/**
 * Requires a valid access token (`Authorization: Bearer …`) of an active account and, when given,
 * one of `roles`; the rest of the request runs as that user (one transaction, see runAsUser). A
 * refusal (4xx) keeps what was written before it, e.g. the audit row of a denied read; an
 * unexpected error rolls the request back.
 */
export function requireUser(authenticate: AccessTokenAuthenticator, idempotency: IdempotentRequests, ...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const [scheme, token] = header.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) throw new UnauthenticatedError();
    const { id, role } = await authenticate(token);
    if (roles.length > 0 && !roles.includes(role)) {
      throw new ForbiddenError(`This needs one of the roles: ${roles.join(', ')}`);
    }
    const user = { id, role };
    c.set('user', user);
    await runAsUser(user, () => idempotency.around(c, () => nextInScope(c, next)));
  };
}

/**
 * Account routes used before anyone is signed in (register, login, refresh, password reset) look
 * people up by email or token: they run as the platform. A guard inside them (password change,
 * 2FA) switches to the signed-in user.
 */
export function asPlatform(): MiddlewareHandler<AppEnv> {
  return (c, next) => runAsSystem(() => nextInScope(c, next));
}

async function nextInScope(c: Context<AppEnv>, next: Next): Promise<void> {
  await next();
  if (c.error && !(c.error instanceof AppError && c.error.status < 500)) currentScope()?.markRollbackOnly();
}
