import { Secret, TOTP } from 'otpauth';

const ISSUER = 'Therapy Field';

function totpFor(base32Secret: string, label: string): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(base32Secret) });
}

export function generateTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function totpUri(base32Secret: string, accountEmail: string): string {
  return totpFor(base32Secret, accountEmail).toString();
}

/** Accepts the previous, current and next 30-second code, for clock drift. */
export function isValidTotp(base32Secret: string, code: string): boolean {
  return totpFor(base32Secret, 'check').validate({ token: code, window: 1 }) !== null;
}

/** For tests and the SDK's examples: the code an authenticator app would show now. */
export function currentTotp(base32Secret: string): string {
  return totpFor(base32Secret, 'check').generate();
}
