import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUSINESS_MINIMUM_GROUP_SIZE } from '@therapy-field/sync';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { apiClient, type ApiRequest } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { startRedis, type TestRedis } from '../../support/redis.js';
import { createAccounts, createAppointmentType, createListedTherapist, everyDay, sql, type Account } from '../../support/scheduling.js';
import { waitFor } from '../../support/wait.js';

// Two platform nodes on one database and one real Redis: what one node caches, the other's writes must drop.
let redis: TestRedis;
let database: TestDatabase;
let nodeA: TestPlatform;
let nodeB: TestPlatform;
let apiA: ApiRequest;
let apiB: ApiRequest;
let therapist: Account;
let clients: Account[];
let sessionType: string;

async function metricsText(url: string): Promise<string> {
  return (await fetch(new URL('/metrics', url))).text();
}

async function counter(url: string, name: string, labels = ''): Promise<number> {
  return (await metricsText(url))
    .split('\n')
    .filter((line) => line.startsWith(name) && line.includes(labels))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

/** Reads through node A until one read is a hit: the entry is in Redis. */
async function cachedOnA(path: string, cache: string, token?: string): Promise<void> {
  await waitFor(async () => {
    const before = await counter(nodeA.url, 'tf_cache_hits_total', `cache="${cache}"`);
    expect((await apiA('GET', path, { token })).status).toBe(200);
    return (await counter(nodeA.url, 'tf_cache_hits_total', `cache="${cache}"`)) > before;
  }, 20_000, `a cache hit on ${path}`);
}

const day = () => {
  const date = new Date(Date.now() + 3 * 86_400_000);
  return date.toISOString().slice(0, 10);
};
const slotsPath = () => `/therapists/${therapist.id}/slots?from=${day()}&to=${day()}&type=${sessionType}`;

beforeAll(async () => {
  [redis, database] = await Promise.all([startRedis(), createTestDatabase()]);
  nodeA = await startTestPlatform({ REDIS_URL: redis.url }, database);
  nodeB = await startTestPlatform({ REDIS_URL: redis.url }, database);
  apiA = apiClient(nodeA.url);
  apiB = apiClient(nodeB.url);
  const [admin] = await createAccounts(nodeA.platform, 'super_admin', 1);
  clients = await createAccounts(nodeA.platform, 'client', 2);
  sessionType = await createAppointmentType(apiA, admin!, 50);
  therapist = await createListedTherapist(apiA, nodeA.platform, admin!, {
    profile: { bio: 'Πρώτη εκδοχή του βιογραφικού', professionalTitle: 'Ψυχολόγος' },
    templates: everyDay('09:00', '17:00'),
  });
  await sql(nodeA.platform, `UPDATE user_profiles SET first_name = 'Ζωή', last_name = 'Κρυσταλλίδου' WHERE user_id = :id RETURNING user_id`, { id: therapist.id });
});

afterAll(async () => {
  await nodeA?.close();
  await nodeB?.close();
  await database?.drop();
  await redis?.close();
});

describe('the Redis read cache across two nodes', () => {
  it('never serves a profile or a search result older than a change made through the other node', async () => {
    await waitFor(async () => (await apiA('GET', `/therapists/${therapist.id}`)).body?.lastName === 'Κρυσταλλίδου', 20_000, 'the direct name change');
    await cachedOnA(`/therapists/${therapist.id}`, 'therapist-profile');
    await cachedOnA('/therapists?q=krystallidou', 'therapist-search');
    // Whichever node drains first (the writer before answering, or one woken by the change stream) bumps the tags.
    const invalidations = async () => (await counter(nodeA.url, 'tf_cache_invalidations_total')) + (await counter(nodeB.url, 'tf_cache_invalidations_total'));
    const invalidationsBefore = await invalidations();

    const changed = await apiB('PATCH', `/therapists/${therapist.id}`, { token: therapist.token, body: { bio: 'Δεύτερη εκδοχή', professionalTitle: 'Κλινική Ψυχολόγος' } });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);

    const profile = await apiA('GET', `/therapists/${therapist.id}`);
    expect(profile.body.bio).toBe('Δεύτερη εκδοχή');
    const found = await apiA('GET', '/therapists?q=krystallidou');
    expect(found.body.items.map((item: { title: string }) => item.title)).toEqual(['Κλινική Ψυχολόγος']);
    expect(await invalidations()).toBeGreaterThan(invalidationsBefore);
  });

  it('drops an entry after a change committed outside any request (a job, an operator), announced by the change stream', async () => {
    await cachedOnA(`/therapists/${therapist.id}`, 'therapist-profile');
    await sql(nodeB.platform, `UPDATE user_profiles SET first_name = 'Ζωή-Μαρία' WHERE user_id = :id RETURNING user_id`, { id: therapist.id });
    await waitFor(async () => (await apiA('GET', `/therapists/${therapist.id}`)).body.firstName === 'Ζωή-Μαρία', 20_000, 'the new name on node A');
  });

  it('keeps each user’s appointments to that user, and a booking on one node shows at once on the other (list and slots)', async () => {
    const [first, second] = clients as [Account, Account];
    await cachedOnA('/appointments', 'user-appointments', first.token);
    await cachedOnA('/appointments', 'user-appointments', second.token);
    await cachedOnA(slotsPath(), 'therapist-slots');
    const slots = (await apiA('GET', slotsPath())).body.slots as Array<{ start: string }>;
    const start = slots[0]!.start;

    const booked = await apiB('POST', '/appointments', { token: first.token, body: { therapistId: therapist.id, appointmentTypeId: sessionType, start, isOnline: true } });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);

    expect((await apiA('GET', '/appointments', { token: first.token })).body.map((a: { id: string }) => a.id)).toEqual([booked.body.id]);
    expect((await apiA('GET', '/appointments', { token: second.token })).body).toEqual([]);
    const after = (await apiA('GET', slotsPath())).body.slots as Array<{ start: string }>;
    expect(after.map((slot) => slot.start)).not.toContain(start);
  });

  it('drops a company’s cached aggregates when an employee withdraws consent to business analytics on the other node', async () => {
    const [hrAdmin] = (await createAccounts(nodeA.platform, 'business_admin', 1)) as [Account];
    const [business] = await sql<{ id: string }>(nodeA.platform, `INSERT INTO business_accounts (company_name, plan_type, status) VALUES ('Κρύσταλλο ΑΕ', 'professional', 'active') RETURNING id`);
    await sql(nodeA.platform, `INSERT INTO business_admins (business_id, user_id, role) VALUES (:business, :admin, 'hr_admin') RETURNING user_id`, { business: business!.id, admin: hrAdmin.id });
    const employees = await createAccounts(nodeA.platform, 'client', BUSINESS_MINIMUM_GROUP_SIZE + 1);
    for (const employee of employees) {
      await sql(nodeA.platform, `INSERT INTO business_employees (business_id, user_id, enrollment_status, therapy_sessions_limit, therapy_sessions_used) VALUES (:business, :user, 'active', 4, 1) RETURNING id`, {
        business: business!.id,
        user: employee.id,
      });
    }
    const usagePath = `/businesses/${business!.id}/usage`;
    await waitFor(async () => (await apiA('GET', usagePath, { token: hrAdmin.token })).body.sessions?.used === employees.length, 20_000, 'the employees in the usage');
    await cachedOnA(usagePath, 'business-usage', hrAdmin.token);
    // Another company's admin is refused before any cache is read.
    const [stranger] = (await createAccounts(nodeA.platform, 'business_admin', 1)) as [Account];
    expect((await apiA('GET', usagePath, { token: stranger.token })).status).toBe(404);

    const employee = employees[0]!;
    expect((await apiB('POST', '/me/consents', { token: employee.token, body: { kind: 'business_analytics', textVersion: 'v1' } })).status).toBe(201);
    expect((await apiB('POST', '/me/consents/business_analytics/withdraw', { token: employee.token })).status).toBe(200);
    expect((await apiA('GET', usagePath, { token: hrAdmin.token })).body.sessions.used).toBe(employees.length - 1);
  });

  it('counts hits, misses and invalidations in /metrics', async () => {
    const text = await metricsText(nodeA.url);
    expect(text).toMatch(/tf_cache_hits_total\{cache="therapist-profile"\} [1-9]/);
    expect(text).toMatch(/tf_cache_misses_total\{cache="therapist-search"\} [1-9]/);
    expect(text).toContain('tf_cache_invalidations_total');
  });

  it('answers from the database while Redis is down, and uses the cache again once it is back', async () => {
    await cachedOnA(`/therapists/${therapist.id}`, 'therapist-profile');
    await redis.kill();
    try {
      const missesBefore = await counter(nodeA.url, 'tf_cache_misses_total', 'cache="therapist-profile"');
      for (const path of [`/therapists/${therapist.id}`, '/therapists?q=krystallidou', slotsPath()]) {
        expect((await apiA('GET', path)).status, path).toBe(200);
      }
      expect((await apiA('GET', '/appointments', { token: clients[0]!.token })).status).toBe(200);
      const changed = await apiB('PATCH', `/therapists/${therapist.id}`, { token: therapist.token, body: { bio: 'Τρίτη εκδοχή' } });
      expect(changed.status).toBe(200);
      expect((await apiA('GET', `/therapists/${therapist.id}`)).body.bio).toBe('Τρίτη εκδοχή');
      expect(await counter(nodeA.url, 'tf_cache_misses_total', 'cache="therapist-profile"')).toBeGreaterThan(missesBefore);
    } finally {
      redis = await startRedis(redis.port);
    }
    await cachedOnA(`/therapists/${therapist.id}`, 'therapist-profile');
    expect((await apiA('GET', `/therapists/${therapist.id}`)).body.bio).toBe('Τρίτη εκδοχή');
  });
});
