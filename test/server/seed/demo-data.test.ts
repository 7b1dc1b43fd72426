import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, DEMO_PASSWORD, seedDemoData } from '@therapy-field/server';
import { apiClient } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';

let node: TestPlatform;
beforeAll(async () => {
  node = await startTestPlatform();
});
afterAll(async () => {
  await node?.close();
});

const seed = () =>
  seedDemoData({ sequelize: node.platform.database.owner, cipher: node.platform.cipher, sync: node.platform.sync.service }, createLogger('silent'));

async function counts() {
  const [row] = await node.platform.database.owner.query<Record<string, string>>(
    `SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM appointments) AS appointments,
            (SELECT count(*) FROM mood_entries) AS moods, (SELECT count(*) FROM journal_entries) AS journal,
            (SELECT count(*) FROM messages) AS messages, (SELECT count(*) FROM session_notes) AS notes,
            (SELECT count(*) FROM reviews) AS reviews, (SELECT count(*) FROM business_employees) AS employees,
            (SELECT count(*) FROM habit_definitions) AS habits, (SELECT count(*) FROM habit_logs) AS habit_logs, (SELECT count(*) FROM goals) AS goals,
            (SELECT count(*) FROM treatment_plans) AS plans, (SELECT count(*) FROM notifications) AS notifications,
            (SELECT count(*) FROM therapist_profiles WHERE NOT is_verified) AS unverified`,
    { type: QueryTypes.SELECT },
  );
  return Object.fromEntries(Object.entries(row!).map(([key, value]) => [key, Number(value)]));
}

describe('demo data', { timeout: 60_000 }, () => {
  it('fills every page once: a month of moods, journal, notes, messages, reviews, and a company whose usage shows', async () => {
    await seed();
    const first = await counts();
    expect(first.moods).toBeGreaterThanOrEqual(30);
    expect(first.journal).toBeGreaterThanOrEqual(8);
    expect(first.messages).toBeGreaterThanOrEqual(4);
    expect(first.notes).toBe(3);
    expect(first.reviews).toBe(5);
    expect(first.employees).toBe(6);
    expect(first.habits).toBe(3);
    expect(first.habit_logs).toBeGreaterThanOrEqual(30);
    expect(first.goals).toBe(3);
    expect(first.plans).toBe(1);
    expect(first.notifications).toBeGreaterThanOrEqual(4);
    expect(first.unverified).toBe(1);

    await seed();
    expect(await counts()).toEqual(first);

    const api = apiClient(node.url);
    const login = await api('POST', '/auth/login', { body: { email: 'hr@demo.therapyfield.gr', password: DEMO_PASSWORD } });
    expect(login.status).toBe(200);
    const mine = await api('GET', '/businesses', { token: login.body.accessToken });
    const usage = await api('GET', `/businesses/${mine.body.businesses[0].id}/usage`, { token: login.body.accessToken });
    expect(usage.status).toBe(200);
    expect(usage.body.sessions).not.toBeNull();
    expect(usage.body.sessions.employeesWithSessions).toBeGreaterThanOrEqual(5);

    const maria = await api('POST', '/auth/login', { body: { email: 'maria.client@demo.therapyfield.gr', password: DEMO_PASSWORD } });
    const pulled = await api('POST', '/sync/pull', { token: maria.body.accessToken, body: { collection: 'journal_entries', checkpoint: null, limit: 50 } });
    expect(pulled.body.documents.map((doc: { content: string }) => doc.content)).toContain('Τρεις νύχτες χωρίς κινητό πριν τον ύπνο. Κοιμάμαι καλύτερα.');
    const goals = await api('POST', '/sync/pull', { token: maria.body.accessToken, body: { collection: 'goals', checkpoint: null, limit: 50 } });
    expect(goals.body.documents.map((doc: { title: string }) => doc.title)).toContain('Να κοιμάμαι 7 ώρες τις καθημερινές');

    const admin = await api('POST', '/auth/login', { body: { email: 'admin@demo.therapyfield.gr', password: DEMO_PASSWORD } });
    const waiting = await api('GET', '/admin/therapists/awaiting-verification', { token: admin.body.accessToken });
    expect(waiting.body.therapists).toEqual([expect.objectContaining({ firstName: 'Χριστίνα', lastName: 'Αλεξίου', licenseNumber: 'ΨΥΧ-ΑΘ-55120' })]);
  });
});
