import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { UnauthenticatedError, type Role } from '@therapy-field/sync';
import type { AuthenticatedUser } from '../http/index.js';

const ISSUER = 'therapy-field';

type TokenPurpose = 'access' | 'two_factor_challenge';

/** An access token's user and validity: a socket opened with it is closed when it expires. */
export interface AccessTokenClaims extends AuthenticatedUser {
  issuedAt: Date;
  expiresAt: Date;
}

/** Signs and verifies the short-lived JWTs; refresh tokens are opaque and live in the database. */
export class TokenSigner {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly accessTokenTtlSeconds: number,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  signAccessToken(user: AuthenticatedUser): Promise<string> {
    return this.sign({ role: user.role }, user.id, 'access', this.accessTokenTtlSeconds);
  }

  async verifyAccessToken(token: string): Promise<AccessTokenClaims> {
    const payload = await this.verify(token, 'access');
    return { id: payload.sub!, role: payload.role as Role, issuedAt: new Date(Math.round(payload.iat! * 1000)), expiresAt: new Date(payload.exp! * 1000) };
  }

  /** Proves the password step of a login so the 2FA step can finish it; `challengeId` (its jti) makes it single-use. */
  signTwoFactorChallenge(userId: string, challengeId: string): Promise<string> {
    return this.sign({}, userId, 'two_factor_challenge', 300, challengeId);
  }

  async verifyTwoFactorChallenge(token: string): Promise<{ userId: string; challengeId: string }> {
    const payload = await this.verify(token, 'two_factor_challenge');
    if (!payload.jti) throw new UnauthenticatedError('TOKEN_INVALID', 'Token is not valid here');
    return { userId: payload.sub!, challengeId: payload.jti };
  }

  get accessTokenTtl(): number {
    return this.accessTokenTtlSeconds;
  }

  private sign(claims: Record<string, unknown>, subject: string, purpose: TokenPurpose, ttlSeconds: number, jti: string = randomUUID()): Promise<string> {
    return new SignJWT({ ...claims, purpose })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(subject)
      .setIssuer(ISSUER)
      .setJti(jti)
      // To the millisecond: a token issued just before its account's sessions were revoked must be
      // told apart from the one issued just after (the device that changed the password).
      .setIssuedAt(Date.now() / 1000)
      .setExpirationTime(`${ttlSeconds}s`)
      .sign(this.key);
  }

  private async verify(token: string, purpose: TokenPurpose) {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ['HS256'] });
      if (payload.purpose !== purpose || !payload.sub) throw new UnauthenticatedError('TOKEN_INVALID', 'Token is not valid here');
      return payload;
    } catch (error) {
      if (error instanceof UnauthenticatedError) throw error;
      if (error instanceof errors.JWTExpired) throw new UnauthenticatedError('TOKEN_EXPIRED', 'Token has expired');
      throw new UnauthenticatedError('TOKEN_INVALID', 'Token is not valid');
    }
  }
}

/** An opaque random token for links and refresh; store only `hashToken(token)`. */
export function generateOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
