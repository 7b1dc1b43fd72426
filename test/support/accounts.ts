import { createHash, randomBytes } from 'node:crypto';
import { QueryTypes, type Sequelize } from 'sequelize';
import { expect } from 'vitest';
import { currentTotp, totpStep } from '@therapy-field/server';
import { sentEmail } from './delivery.js';
import type { ApiRequest } from './http.js';
import { waitFor } from './wait.js';

export const TEST_PASSWORD = 'correct horse battery staple';

/**
 * The single-use token in the newest email of one kind to `email`, as the user would click it:
 * from the queue while it waits, from the test's RecordingTransport once sent (the queue then
 * forgets the body).
 */
export async function tokenFromLatestEmail(sequelize: Sequelize, email: string, template: 'email_verification' | 'password_reset') {
  const [row] = await sequelize.query<{ id: string; body_text: string | null }>(
    `SELECT id, body_text FROM email_queue WHERE to_email = :email AND template_name = :template ORDER BY created_at DESC LIMIT 1`,
    { type: QueryTypes.SELECT, replacements: { email, template } },
  );
  expect(row, `a ${template} email to ${email}`).toBeTruthy();
  const sentText = row!.body_text ?? sentEmail(row!.id)?.text;
  if (sentText === undefined) return replacementToken(sequelize, email, template);
  const token = sentText.match(/token=([A-Za-z0-9_-]+)/)?.[1];
  expect(token, `a ${template} email to ${email}`).toBeTruthy();
  return token!;
}

/**
 * A node in another process (no RecordingTransport here) sent the email and the queue forgot its
 * body: the test stands in for the mailbox with a fresh token of the same kind, stored as the
 * server stores its own (SHA-256 hash, single use).
 */
async function replacementToken(sequelize: Sequelize, email: string, purpose: 'email_verification' | 'password_reset'): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await sequelize.query(
    `INSERT INTO user_tokens (user_id, purpose, token_hash, expires_at)
     SELECT id, CAST(:purpose AS user_token_purpose), :tokenHash, now() + interval '1 hour' FROM users WHERE email_normalized = lower(:email)`,
    { replacements: { email, purpose, tokenHash: createHash('sha256').update(token).digest('hex') } },
  );
  return token;
}

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}.${randomBytes(4).toString('hex')}@example.gr`;
}

/** Registers, verifies the email and logs in through the API; returns the tokens and ids. */
export async function signUp(
  api: ApiRequest,
  sequelize: Sequelize,
  role: 'client' | 'therapist' = 'client',
  extra: Record<string, unknown> = {},
) {
  const email = uniqueEmail(role);
  const registration = { role, email, password: TEST_PASSWORD, firstName: 'Μαρία', lastName: 'Παπαδοπούλου', ...extra };
  if (role === 'therapist') Object.assign(registration, { licenseNumber: `LIC-${randomBytes(4).toString('hex')}` }, extra);
  const registered = await api('POST', '/auth/register', { body: registration });
  expect(registered.status).toBe(202);
  const verified = await api('POST', '/auth/verify-email', { body: { token: await tokenFromLatestEmail(sequelize, email, 'email_verification') } });
  expect(verified.status).toBe(200);
  const login = await api('POST', '/auth/login', { body: { email, password: TEST_PASSWORD } });
  expect(login.status).toBe(200);
  return { id: login.body.user.id as string, email, accessToken: login.body.accessToken as string, refreshToken: login.body.refreshToken as string };
}

/**
 * A TOTP code the server has not seen yet: each code works once, so a test that needs several
 * takes the earliest step still in the drift window after the last one used (waiting, bounded,
 * when three were used within one 30-second step).
 */
export async function unusedTotp(sequelize: Sequelize, userId: string, secret: string): Promise<string> {
  const [row] = await sequelize.query<{ step: string | null }>('SELECT two_factor_last_step AS step FROM users WHERE id = :userId', {
    type: QueryTypes.SELECT,
    replacements: { userId },
  });
  const step = Math.max(totpStep(Date.now()) - 1, row?.step == null ? 0 : Number(row.step) + 1);
  await waitFor(() => totpStep(Date.now()) + 1 >= step, 31_000, 'the next TOTP step');
  return currentTotp(secret, step);
}
