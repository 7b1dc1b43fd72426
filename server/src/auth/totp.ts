import { Secret, TOTP } from 'otpauth';

const ISSUER = 'Therapy Field';
const PERIOD_SECONDS = 30;

function totpFor(base32Secret: string, label: string): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: PERIOD_SECONDS, secret: Secret.fromBase32(base32Secret) });
}

export function generateTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function totpUri(base32Secret: string, accountEmail: string): string {
  return totpFor(base32Secret, accountEmail).toString();
}

/** The 30-second step (TOTP counter) a time falls in. */
export function totpStep(timeMs: number): number {
  return Math.floor(timeMs / 1000 / PERIOD_SECONDS);
}

/**
 * The step `code` belongs to among the previous, current and next one (clock drift), or null
 * when it is none of them. The caller stores it: a code of that step or an earlier one is a replay.
 */
export function matchTotpStep(base32Secret: string, code: string, now = Date.now()): number | null {
  const delta = totpFor(base32Secret, 'check').validate({ token: code, window: 1, timestamp: now });
  return delta === null ? null : totpStep(now) + delta;
}

/** For tests and the SDK's examples: the code an authenticator app shows in `step` (default: now). */
export function currentTotp(base32Secret: string, step = totpStep(Date.now())): string {
  return totpFor(base32Secret, 'check').generate({ timestamp: step * PERIOD_SECONDS * 1000 });
}
