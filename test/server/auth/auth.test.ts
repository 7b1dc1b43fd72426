import { request as httpRequest } from 'node:http';
import { SignJWT } from 'jose';
import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotp } from '@therapy-field/server';
import { signUp, TEST_PASSWORD, tokenFromLatestEmail, uniqueEmail, unusedTotp } from '../../support/accounts.js';
import { apiClient, apiUrl, type ApiRequest } from '../../support/http.js';
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
    expect(registered.status).toBe(202);

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

  it('verifies the email of a suspended account without making it active again', async () => {
    const email = uniqueEmail();
    await api('POST', '/auth/register', { body: { role: 'client', email, password: TEST_PASSWORD, firstName: 'Νίκος', lastName: 'Γεωργίου' } });
    await sql(`UPDATE users SET status = 'suspended' WHERE email = :email RETURNING id`, { email });
    const verified = await api('POST', '/auth/verify-email', { body: { token: await tokenFromLatestEmail(node.platform.database.owner, email, 'email_verification') } });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ status: 'suspended', emailVerified: true });
    const [row] = await sql<{ status: string }>('SELECT status FROM users WHERE email = :email', { email });
    expect(row!.status).toBe('suspended');
    expect((await api('POST', '/auth/login', { body: { email, password: TEST_PASSWORD } })).status).toBe(403);
  });

  it('registers a therapist unverified, with the license number', async () => {
    const therapist = await signUp(api, node.platform.database.owner, 'therapist', { licenseNumber: 'ΨΥΧ-2024-001' });
    const [profile] = await sql<{ license_number: string; verified_at: Date | null }>(
      'SELECT license_number, verified_at FROM therapist_profiles WHERE user_id = :id',
      { id: therapist.id },
    );
    expect(profile).toEqual({ license_number: 'ΨΥΧ-2024-001', verified_at: null });
  });

  it('rejects bad input with field details', async () => {
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

  it('answers an unknown email exactly like a wrong password', async () => {
    const unknown = await api('POST', '/auth/login', { body: { email: uniqueEmail(), password: TEST_PASSWORD } });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.code).toBe('INVALID_CREDENTIALS');
  });
});

/** A JSON request from another client address (127.0.0.x all reach the node on 127.0.0.1). */
function apiFrom(localAddress: string) {
  return (method: string, path: string, body: unknown) =>
    new Promise<{ status: number; body: any }>((resolve, reject) => {
      const outgoing = httpRequest(apiUrl(node.url, path), { method, localAddress, headers: { 'content-type': 'application/json' } }, (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, body: text ? JSON.parse(text) : undefined }));
      });
      outgoing.on('error', reject);
      outgoing.end(JSON.stringify(body));
    });
}

describe('lockout', () => {
  const lockedFor = (response: { body: any }) => new Date(response.body.error.details.lockedUntil).getTime() - Date.now();

  it('locks out the address that keeps failing, never the owner on another address, and each lock lasts twice the last', async () => {
    const victim = await signUp(api, node.platform.database.owner);
    const attacker = apiFrom('127.0.0.2');
    const statuses = [];
    for (let attempt = 0; attempt < 6; attempt++) statuses.push((await attacker('POST', '/auth/login', { email: victim.email, password: 'guess 123456' })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
    const rightButLocked = await attacker('POST', '/auth/login', { email: victim.email, password: TEST_PASSWORD });
    expect(rightButLocked.status).toBe(429);
    expect(rightButLocked.body.error.code).toBe('ACCOUNT_LOCKED');
    expect(lockedFor(rightButLocked)).toBeLessThanOrEqual(60_000);

    // The owner, on their own address, is not locked out.
    expect((await apiFrom('127.0.0.1')('POST', '/auth/login', { email: victim.email, password: TEST_PASSWORD })).status).toBe(200);

    // When the lock ends the attacker gets five more tries, then a lock twice as long.
    await sql(`UPDATE login_throttles SET locked_until = now() - interval '1 second' WHERE scope = '127.0.0.2' RETURNING scope`);
    for (let attempt = 0; attempt < 4; attempt++) expect((await attacker('POST', '/auth/login', { email: victim.email, password: 'guess 123456' })).status).toBe(401);
    const second = await attacker('POST', '/auth/login', { email: victim.email, password: 'guess 123456' });
    expect(second.status).toBe(429);
    expect(lockedFor(second)).toBeGreaterThan(60_000);
    expect(lockedFor(second)).toBeLessThanOrEqual(120_000);
  });

  it('locks the whole account only briefly after failures from many addresses; the owner gets in once it ends', async () => {
    const victim = await signUp(api, node.platform.database.owner);
    for (const address of ['127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6']) {
      for (let attempt = 0; attempt < 5; attempt++) await apiFrom(address)('POST', '/auth/login', { email: victim.email, password: 'guess 123456' });
    }
    const owner = apiFrom('127.0.0.7');
    const locked = await owner('POST', '/auth/login', { email: victim.email, password: TEST_PASSWORD });
    expect(locked.status).toBe(429);
    expect(lockedFor(locked)).toBeLessThanOrEqual(60_000);
    await sql(`UPDATE login_throttles SET locked_until = now() - interval '1 second' WHERE scope = 'account' RETURNING scope`);
    expect((await owner('POST', '/auth/login', { email: victim.email, password: TEST_PASSWORD })).status).toBe(200);
  });
});

describe('nobody learns which emails have an account', () => {
  const withoutTimes = (body: unknown) => JSON.stringify(body ?? null).replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z/g, '<time>');

  it('answers registration the same for a taken and a new address, and tells the owner instead', async () => {
    const owner = await signUp(api, node.platform.database.owner);
    const registration = (email: string) => api('POST', '/auth/register', { body: { role: 'client', email, password: TEST_PASSWORD, firstName: 'Άλλη', lastName: 'Χρήστρια' } });
    const taken = await registration(owner.email.toUpperCase());
    const fresh = await registration(uniqueEmail());
    expect({ status: taken.status, body: taken.body }).toEqual({ status: 202, body: undefined });
    expect({ status: fresh.status, body: fresh.body }).toEqual({ status: 202, body: undefined });
    const mails = await sql<{ template_name: string }>('SELECT template_name FROM email_queue WHERE user_id = :id ORDER BY created_at', { id: owner.id });
    expect(mails.map((mail) => mail.template_name)).toEqual(['email_verification', 'registration_attempt']);
    // A second try within the hour does not mail the owner again.
    await registration(owner.email);
    expect(await sql('SELECT 1 FROM email_queue WHERE user_id = :id', { id: owner.id })).toHaveLength(2);
  });

  it('answers forgot-password and repeated wrong logins the same for a known and an unknown address', async () => {
    const known = await signUp(api, node.platform.database.owner);
    const unknown = uniqueEmail();
    const forgot = async (email: string) => {
      const response = await api('POST', '/auth/password/forgot', { body: { email } });
      return { status: response.status, body: response.body };
    };
    expect(await forgot(known.email)).toEqual(await forgot(unknown));
    const attempts = async (email: string) => {
      const answers = [];
      for (let attempt = 0; attempt < 6; attempt++) {
        const response = await apiFrom('127.0.0.8')('POST', '/auth/login', { email, password: 'guess 123456' });
        answers.push(`${response.status} ${withoutTimes(response.body)}`);
      }
      return answers;
    };
    const knownAnswers = await attempts(known.email);
    expect(knownAnswers.at(-1)).toMatch(/^429 .*ACCOUNT_LOCKED/);
    expect(await attempts(unknown)).toEqual(knownAnswers);
  });

  it('takes about as long to answer a registration for a taken address as for a new one (the password is hashed either way)', async () => {
    const owner = await signUp(api, node.platform.database.owner);
    const timed = async (email: string) => {
      const started = performance.now();
      const response = await api('POST', '/auth/register', { body: { role: 'client', email, password: TEST_PASSWORD, firstName: 'Άλλη', lastName: 'Χρήστρια' } });
      expect(response.status).toBe(202);
      return performance.now() - started;
    };
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const taken: number[] = [];
    const fresh: number[] = [];
    for (let round = 0; round < 7; round++) {
      taken.push(await timed(owner.email));
      fresh.push(await timed(uniqueEmail()));
    }
    const ratio = median(fresh) / median(taken);
    expect(ratio, `new ${median(fresh).toFixed(1)} ms, taken ${median(taken).toFixed(1)} ms`).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
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
    const code = () => unusedTotp(node.platform.database.owner, user.id, secret);
    expect((await api('POST', '/auth/2fa/confirm', { token: user.accessToken, body: { code: await code() } })).status).toBe(204);

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
    const good = await api('POST', '/auth/login/2fa', { body: { challengeToken: challenge.body.challengeToken, code: await code() } });
    expect(good.status).toBe(200);
    expect(good.body.accessToken).toEqual(expect.any(String));

    const disabled = await api('POST', '/auth/2fa/disable', {
      token: good.body.accessToken,
      body: { password: TEST_PASSWORD, code: await code() },
    });
    expect(disabled.status).toBe(204);
    const plain = await api('POST', '/auth/login', { body: { email: user.email, password: TEST_PASSWORD } });
    expect(plain.body.accessToken).toEqual(expect.any(String));
  });
});

describe('two-factor codes and challenges work once', () => {
  async function enrolled() {
    const user = await signUp(api, node.platform.database.owner);
    const secret: string = (await api('POST', '/auth/2fa/setup', { token: user.accessToken })).body.secret;
    const code = () => unusedTotp(node.platform.database.owner, user.id, secret);
    expect((await api('POST', '/auth/2fa/confirm', { token: user.accessToken, body: { code: await code() } })).status).toBe(204);
    const challenge = async () => (await api('POST', '/auth/login', { body: { email: user.email, password: TEST_PASSWORD } })).body.challengeToken as string;
    return { user, code, challenge };
  }

  it('refuses a code a second time within its window, on a new challenge', async () => {
    const { code, challenge } = await enrolled();
    const used = await code();
    expect((await api('POST', '/auth/login/2fa', { body: { challengeToken: await challenge(), code: used } })).status).toBe(200);
    const replay = await api('POST', '/auth/login/2fa', { body: { challengeToken: await challenge(), code: used } });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('TWO_FACTOR_INVALID');
  });

  it('refuses the code of a login to turn 2FA off', async () => {
    const { code, challenge } = await enrolled();
    const loginCode = await code();
    const login = await api('POST', '/auth/login/2fa', { body: { challengeToken: await challenge(), code: loginCode } });
    expect(login.status).toBe(200);
    const disable = await api('POST', '/auth/2fa/disable', { token: login.body.accessToken, body: { password: TEST_PASSWORD, code: loginCode } });
    expect(disable.status).toBe(401);
    expect(disable.body.error.code).toBe('TWO_FACTOR_INVALID');
  });

  it('ends a challenge once it logged in, and when a newer one is issued', async () => {
    const { code, challenge } = await enrolled();
    const first = await challenge();
    const newer = await challenge();
    const superseded = await api('POST', '/auth/login/2fa', { body: { challengeToken: first, code: await code() } });
    expect(superseded.status).toBe(401);
    expect(superseded.body.error.code).toBe('TOKEN_INVALID');
    expect((await api('POST', '/auth/login/2fa', { body: { challengeToken: newer, code: await code() } })).status).toBe(200);
    const again = await api('POST', '/auth/login/2fa', { body: { challengeToken: newer, code: await code() } });
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('TOKEN_INVALID');
  });

  it('lets exactly one of two simultaneous logins with the same challenge and code through', async () => {
    const { code, challenge } = await enrolled();
    const body = { challengeToken: await challenge(), code: await code() };
    const statuses = (await Promise.all([1, 2, 3].map(() => api('POST', '/auth/login/2fa', { body })))).map((response) => response.status).sort();
    expect(statuses).toEqual([200, 401, 401]);
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
