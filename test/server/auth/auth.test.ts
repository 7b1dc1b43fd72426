import { SignJWT } from 'jose';
import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotp } from '@therapy-field/server';
import { signUp, TEST_PASSWORD, tokenFromLatestEmail, uniqueEmail } from '../../support/accounts.js';
import { apiClient, type ApiRequest } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';

let node: TestPlatform;
let api: ApiRequest;

beforeAll(async () => {
  node = await startTestPlatform();
  api = apiClient(node.url);
});
afterAll(() => node?.close());

const sql = <T extends object>(query: string, replacements: Record<string, unknown> = {}) =>
  node.platform.database.owner.query<T>(query, { type: QueryTypes.SELECT, replacements });

describe('registration and email verification', () => {
  it('creates a pending client, queues a verification email and refuses login until verified', async () => {
    const email = uniqueEmail();
    const registered = await api('POST', '/auth/register', {
      body: { role: 'client', email, password: TEST_PASSWORD, firstName: 'Νίκος', lastName: 'Γεωργίου', language: 'el' },
    });
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({ email, role: 'client', status: 'pending', emailVerified: false });

    const [mail] = await sql<{ subject: string; language: string }>('SELECT subject, language FROM email_queue WHERE to_email = :email', { email });
    expect(mail).toMatchObject({ subject: 'Επιβεβαίωση email στο Therapy Field', language: 'el' });

    const early = await api('POST', '/auth/login', { body: { email, password: TEST_PASSWORD } });
    expect(early.status).toBe(403);
    expect(early.body.error.code).toBe('EMAIL_NOT_VERIFIED');

    const token = await tokenFromLatestEmail(node.platform.database.owner, email, 'email_verification');
    const verified = await api('POST', '/auth/verify-email', { body: { token } });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ status: 'active', emailVerified: true });

    const reused = await api('POST', '/auth/verify-email', { body: { token } });
    expect(reused.status).toBe(401);
    expect(reused.body.error.code).toBe('TOKEN_INVALID');
  });

  it('registers a therapist unverified, with the license number', async () => {
    const therapist = await signUp(api, node.platform.database.owner, 'therapist', { licenseNumber: 'ΨΥΧ-2024-001' });
    const [profile] = await sql<{ license_number: string; verified_at: Date | null }>(
      'SELECT license_number, verified_at FROM therapist_profiles WHERE user_id = :id',
      { id: therapist.id },
    );
    expect(profile).toEqual({ license_number: 'ΨΥΧ-2024-001', verified_at: null });
  });

  it('rejects a taken email with 409 and bad input with field details', async () => {
    const { email } = await signUp(api, node.platform.database.owner);
    const again = await api('POST', '/auth/register', {
      body: { role: 'client', email: email.toUpperCase(), password: TEST_PASSWORD, firstName: 'A', lastName: 'B' },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('EMAIL_TAKEN');

    const bad = await api('POST', '/auth/register', { body: { role: 'client', email: 'not-an-email', password: 'short', firstName: '', lastName: 'B' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect(bad.body.error.details.map((detail: { path: string }) => detail.path).sort()).toEqual(['email', 'firstName', 'password']);

    const asAdmin = await api('POST', '/auth/register', {
      body: { role: 'super_admin', email: uniqueEmail(), password: TEST_PASSWORD, firstName: 'A', lastName: 'B' },
    });
    expect(asAdmin.status).toBe(400);
  });
});

describe('login', () => {
  it('returns tokens that open /me and records last login time and address', async () => {
    const user = await signUp(api, node.platform.database.owner);
    const me = await api('GET', '/me', { token: user.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: user.id, email: user.email, role: 'client', profile: { firstName: 'Μαρία', language: 'el', timezone: 'Europe/Athens' } });
    const [row] = await sql<{ last_login_at: Date; last_login_ip: string }>('SELECT last_login_at, last_login_ip FROM users WHERE id = :id', { id: user.id });
    expect(row!.last_login_at.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(row!.last_login_ip).toBe('127.0.0.1');
  });

  it('locks the account for 15 minutes after 5 wrong passwords, even against the right one', async () => {
    const user = await signUp(api, node.platform.database.owner);
    for (let attempt = 1; attempt <= 4; attempt++) {
      const wrong = await api('POST', '/auth/login', { body: { email: user.email, password: 'wrong password!' } });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
    }
    const fifth = await api('POST', '/auth/login', { body: { email: user.email, password: 'wrong password!' } });
    expect(fifth.status).toBe(429);
    expect(fifth.body.error.code).toBe('ACCOUNT_LOCKED');

    const right = await api('POST', '/auth/login', { body: { email: user.email, password: TEST_PASSWORD } });
    expect(right.status).toBe(429);
    expect(right.body.error.code).toBe('ACCOUNT_LOCKED');
    const lockedFor = new Date(right.body.error.details.lockedUntil).getTime() - Date.now();
    expect(lockedFor).toBeGreaterThan(14 * 60_000);
    expect(lockedFor).toBeLessThanOrEqual(15 * 60_000);

    await sql(`UPDATE users SET locked_until = now() - interval '1 second' WHERE id = :id`, { id: user.id });
    const afterLock = await api('POST', '/auth/login', { body: { email: user.email, password: TEST_PASSWORD } });
    expect(afterLock.status).toBe(200);
  });

  it('answers an unknown email exactly like a wrong password', async () => {
    const unknown = await api('POST', '/auth/login', { body: { email: uniqueEmail(), password: TEST_PASSWORD } });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.code).toBe('INVALID_CREDENTIALS');
  });
});

describe('access tokens', () => {
  it('refuses a missing, forged or expired token', async () => {
    const missing = await api('GET', '/me');
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('UNAUTHENTICATED');

    const user = await signUp(api, node.platform.database.owner);
    const [header, payload] = user.accessToken.split('.');
    const forged = await api('GET', '/me', { token: `${header}.${payload}.${'A'.repeat(43)}` });
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('TOKEN_INVALID');

    const key = new TextEncoder().encode(node.platform.config.auth.jwtSecret);
    const expiredToken = await new SignJWT({ role: 'client', purpose: 'access' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuer('therapy-field')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(key);
    const expired = await api('GET', '/me', { token: expiredToken });
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('TOKEN_EXPIRED');
  });

  it('stops a still-valid token at once when its account is suspended, and lets it work again when reactivated', async () => {
    const user = await signUp(api, node.platform.database.owner);
    expect((await api('GET', '/me', { token: user.accessToken })).status).toBe(200);
    await sql(`UPDATE users SET status = 'suspended' WHERE id = :id RETURNING id`, { id: user.id });
    const suspended = await api('GET', '/me', { token: user.accessToken });
    expect(suspended.status).toBe(401);
    expect(suspended.body.error).toEqual({ code: 'TOKEN_INVALID', message: 'Account is not active' });
    await sql(`UPDATE users SET status = 'active' WHERE id = :id RETURNING id`, { id: user.id });
    expect((await api('GET', '/me', { token: user.accessToken })).status).toBe(200);
  });
});

describe('refresh tokens', () => {
  it('rotates, and a reused old token revokes the whole family', async () => {
    const user = await signUp(api, node.platform.database.owner);
    const first = await api('POST', '/auth/refresh', { body: { refreshToken: user.refreshToken } });
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(user.refreshToken);
    expect((await api('GET', '/me', { token: first.body.accessToken })).status).toBe(200);

    const reuse = await api('POST', '/auth/refresh', { body: { refreshToken: user.refreshToken } });
    expect(reuse.status).toBe(401);
    expect(reuse.body.error.code).toBe('TOKEN_INVALID');

    const descendant = await api('POST', '/auth/refresh', { body: { refreshToken: first.body.refreshToken } });
    expect(descendant.status).toBe(401);

    const [stored] = await sql<{ token_hash: string }>('SELECT token_hash FROM refresh_tokens WHERE user_id = :id LIMIT 1', { id: user.id });
    expect(stored!.token_hash).not.toContain(user.refreshToken);
  });

  it('refuses an expired refresh token and forgets it on logout', async () => {
    const user = await signUp(api, node.platform.database.owner);
    await sql(`UPDATE refresh_tokens SET expires_at = now() - interval '1 minute' WHERE user_id = :id`, { id: user.id });
    const expired = await api('POST', '/auth/refresh', { body: { refreshToken: user.refreshToken } });
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('TOKEN_EXPIRED');

    const login = await api('POST', '/auth/login', { body: { email: user.email, password: TEST_PASSWORD } });
    expect((await api('POST', '/auth/logout', { body: { refreshToken: login.body.refreshToken } })).status).toBe(204);
    const afterLogout = await api('POST', '/auth/refresh', { body: { refreshToken: login.body.refreshToken } });
    expect(afterLogout.status).toBe(401);
  });
});

describe('passwords', () => {
  it('changes the password with the current one, signs out other sessions and keeps this one', async () => {
    const user = await signUp(api, node.platform.database.owner);
    const wrongCurrent = await api('POST', '/auth/password/change', {
      token: user.accessToken,
      body: { currentPassword: 'not my password', newPassword: 'a brand new password' },
    });
    expect(wrongCurrent.status).toBe(401);

    const changed = await api('POST', '/auth/password/change', {
      token: user.accessToken,
      body: { currentPassword: TEST_PASSWORD, newPassword: 'a brand new password' },
    });
    expect(changed.status).toBe(200);
    expect((await api('POST', '/auth/refresh', { body: { refreshToken: user.refreshToken } })).status).toBe(401);
    // This device carries on with the new session.
    expect((await api('POST', '/auth/refresh', { body: { refreshToken: changed.body.refreshToken } })).status).toBe(200);
    expect((await api('GET', '/me', { token: changed.body.accessToken })).status).toBe(200);
    expect((await api('POST', '/auth/login', { body: { email: user.email, password: TEST_PASSWORD } })).status).toBe(401);
    expect((await api('POST', '/auth/login', { body: { email: user.email, password: 'a brand new password' } })).status).toBe(200);
  });

  it('resets a forgotten password once with the emailed token', async () => {
    const user = await signUp(api, node.platform.database.owner);
    expect((await api('POST', '/auth/password/forgot', { body: { email: uniqueEmail() } })).status).toBe(202);
    expect((await api('POST', '/auth/password/forgot', { body: { email: user.email } })).status).toBe(202);
    const token = await tokenFromLatestEmail(node.platform.database.owner, user.email, 'password_reset');

    const wrong = await api('POST', '/auth/password/reset', { body: { token: 'x'.repeat(43), newPassword: 'reset password 123' } });
    expect(wrong.status).toBe(401);
    expect((await api('POST', '/auth/password/reset', { body: { token, newPassword: 'reset password 123' } })).status).toBe(204);
    expect((await api('POST', '/auth/password/reset', { body: { token, newPassword: 'another one 12345' } })).status).toBe(401);
    expect((await api('POST', '/auth/login', { body: { email: user.email, password: 'reset password 123' } })).status).toBe(200);
  });
});

describe('two-factor authentication', () => {
  it('enrols, demands a code at login, refuses a bad one, and turns off', async () => {
    const user = await signUp(api, node.platform.database.owner);
    const setup = await api('POST', '/auth/2fa/setup', { token: user.accessToken });
    expect(setup.status).toBe(200);
    expect(setup.body.otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    const secret: string = setup.body.secret;

    const badConfirm = await api('POST', '/auth/2fa/confirm', { token: user.accessToken, body: { code: wrongCode(secret) } });
    expect(badConfirm.status).toBe(401);
    expect(badConfirm.body.error.code).toBe('TWO_FACTOR_INVALID');
    expect((await api('POST', '/auth/2fa/confirm', { token: user.accessToken, body: { code: currentTotp(secret) } })).status).toBe(204);

    const [stored] = await sql<{ two_factor_secret: Buffer; encryption_key_id: string }>('SELECT two_factor_secret, encryption_key_id FROM users WHERE id = :id', { id: user.id });
    expect(stored!.two_factor_secret.toString('latin1')).not.toContain(secret);
    expect(stored!.encryption_key_id).toBe('test1');
    const audit = await sql<{ action: string }>(`SELECT action FROM audit_logs WHERE user_id = :id AND action LIKE 'two_factor_secret.%'`, { id: user.id });
    expect(audit.map((row) => row.action)).toEqual(expect.arrayContaining(['two_factor_secret.write', 'two_factor_secret.read']));

    const challenge = await api('POST', '/auth/login', { body: { email: user.email, password: TEST_PASSWORD } });
    expect(challenge.status).toBe(200);
    expect(challenge.body).toEqual({ twoFactorRequired: true, challengeToken: expect.any(String) });
    expect(challenge.body.accessToken).toBeUndefined();

    const badCode = await api('POST', '/auth/login/2fa', { body: { challengeToken: challenge.body.challengeToken, code: wrongCode(secret) } });
    expect(badCode.status).toBe(401);
    expect(badCode.body.error.code).toBe('TWO_FACTOR_INVALID');
    const good = await api('POST', '/auth/login/2fa', { body: { challengeToken: challenge.body.challengeToken, code: currentTotp(secret) } });
    expect(good.status).toBe(200);
    expect(good.body.accessToken).toEqual(expect.any(String));

    const disabled = await api('POST', '/auth/2fa/disable', {
      token: good.body.accessToken,
      body: { password: TEST_PASSWORD, code: currentTotp(secret) },
    });
    expect(disabled.status).toBe(204);
    const plain = await api('POST', '/auth/login', { body: { email: user.email, password: TEST_PASSWORD } });
    expect(plain.body.accessToken).toEqual(expect.any(String));
  });
});

describe('roles', () => {
  it('lets only a super admin verify a therapist license', async () => {
    const sequelize = node.platform.database.owner;
    const client = await signUp(api, sequelize);
    const therapist = await signUp(api, sequelize, 'therapist');
    const admin = await signUp(api, sequelize);
    await sql(`UPDATE users SET role = 'super_admin' WHERE id = :id`, { id: admin.id });
    const adminLogin = await api('POST', '/auth/login', { body: { email: admin.email, password: TEST_PASSWORD } });

    for (const caller of [client, therapist]) {
      const refused = await api('POST', `/admin/therapists/${therapist.id}/verify`, { token: caller.accessToken });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('FORBIDDEN');
    }
    const verified = await api('POST', `/admin/therapists/${therapist.id}/verify`, { token: adminLogin.body.accessToken });
    expect(verified.status).toBe(200);
    expect(verified.body.verifiedAt).toEqual(expect.any(String));

    const notATherapist = await api('POST', `/admin/therapists/${client.id}/verify`, { token: adminLogin.body.accessToken });
    expect(notATherapist.status).toBe(404);
  });
});

describe('profile', () => {
  it('updates own profile fields and rejects unknown ones', async () => {
    const user = await signUp(api, node.platform.database.owner);
    const updated = await api('PATCH', '/me', { token: user.accessToken, body: { language: 'en', timezone: 'Europe/London', phone: '+30 210 1234567' } });
    expect(updated.status).toBe(200);
    expect(updated.body.profile).toMatchObject({ language: 'en', timezone: 'Europe/London', phone: '+30 210 1234567' });

    const badZone = await api('PATCH', '/me', { token: user.accessToken, body: { timezone: 'Mars/Olympus' } });
    expect(badZone.status).toBe(400);
    const unknownField = await api('PATCH', '/me', { token: user.accessToken, body: { role: 'super_admin' } });
    expect(unknownField.status).toBe(400);
    expect((await api('GET', '/me', { token: user.accessToken })).body.role).toBe('client');
  });
});

/** A six-digit code that is not valid now (nor in the drift window). */
function wrongCode(secret: string): string {
  const valid = currentTotp(secret);
  return String((Number(valid) + 500_000) % 1_000_000).padStart(6, '0');
}
