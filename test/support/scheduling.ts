import { randomBytes } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { expect } from 'vitest';
import type { Platform } from '@therapy-field/server';
import { signUp } from './accounts.js';
import type { ApiRequest } from './http.js';

export interface Account {
  id: string;
  token: string;
}

export function sql<T extends object = Record<string, unknown>>(platform: Platform, query: string, replacements: Record<string, unknown> = {}) {
  return platform.database.owner.query<T>(query, { type: QueryTypes.SELECT, replacements });
}

/** Users straight into the database with a signed access token: for tests that need many accounts fast. */
export async function createAccounts(platform: Platform, role: 'client' | 'business_admin' | 'super_admin', count: number, language: 'el' | 'en' = 'el'): Promise<Account[]> {
  const accounts: Account[] = [];
  for (let index = 0; index < count; index += 1) {
    const email = `${role}.${randomBytes(5).toString('hex')}@example.gr`;
    const [user] = await sql<{ id: string }>(
      platform,
      `INSERT INTO users (email, email_normalized, password_hash, role, status, email_verified)
       VALUES (:email, :email, 'not-a-hash', :role, 'active', TRUE) RETURNING id`,
      { email, role },
    );
    await sql(platform, `INSERT INTO user_profiles (user_id, first_name, last_name, language) VALUES (:id, 'Νίκος', 'Γεωργίου', :language) RETURNING user_id`, {
      id: user!.id,
      language,
    });
    if (role === 'client') await sql(platform, `INSERT INTO client_profiles (user_id) VALUES (:id) RETURNING user_id`, { id: user!.id });
    accounts.push({ id: user!.id, token: await platform.auth.tokens.signAccessToken({ id: user!.id, role }) });
  }
  return accounts;
}

export async function createAppointmentType(api: ApiRequest, admin: Account, durationMinutes = 50): Promise<string> {
  const created = await api('POST', '/appointment-types', {
    token: admin.token,
    body: { name: `Session ${durationMinutes}′ ${randomBytes(2).toString('hex')}`, durationMinutes },
  });
  expect(created.status).toBe(201);
  return created.body.id;
}

export interface TherapistSetup {
  settings?: Record<string, unknown>;
  templates?: Array<Record<string, unknown>>;
  profile?: Record<string, unknown>;
}

/** A verified therapist (signed up through the API) with settings and weekly hours. */
export async function createListedTherapist(api: ApiRequest, platform: Platform, admin: Account, setup: TherapistSetup = {}): Promise<Account> {
  const therapist = await signUp(api, platform.database.owner, 'therapist');
  const verified = await api('POST', `/admin/therapists/${therapist.id}/verify`, { token: admin.token });
  expect(verified.status).toBe(200);
  const account = { id: therapist.id, token: therapist.accessToken };
  const updated = await api('PATCH', `/therapists/${therapist.id}`, {
    token: account.token,
    body: { ...setup.profile, settings: { minNoticeMinutes: 0, bufferMinutes: 10, bookingHorizonDays: 730, ...setup.settings } },
  });
  expect(updated.status, JSON.stringify(updated.body)).toBe(200);
  if (setup.templates) {
    const hours = await api('PUT', `/therapists/${therapist.id}/availability`, { token: account.token, body: setup.templates });
    expect(hours.status, JSON.stringify(hours.body)).toBe(200);
  }
  return account;
}

/** Every day of the week, the same hours. */
export function everyDay(startTime: string, endTime: string, sessionType = 'both') {
  return [0, 1, 2, 3, 4, 5, 6].map((dayOfWeek) => ({ dayOfWeek, startTime, endTime, sessionType }));
}
