import { randomBytes } from 'node:crypto';

/** Passwords for the platform's login roles (tf_app, tf_system) on a bench's own embedded PostgreSQL. */
export function benchRolePasswords(): { DATABASE_APP_PASSWORD: string; DATABASE_SYSTEM_PASSWORD: string } {
  return { DATABASE_APP_PASSWORD: randomBytes(18).toString('base64url'), DATABASE_SYSTEM_PASSWORD: randomBytes(18).toString('base64url') };
}
