import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobNames } from '@therapy-field/server';
import { signUp } from '../../support/accounts.js';
import { apiClient, type ApiRequest } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { createAccounts, sql, type Account } from '../../support/scheduling.js';

const inDays = (days: number) => DateTime.now().setZone('Europe/Athens').plus({ days }).toISODate()!;

describe('continuing education', () => {
  let node: TestPlatform;
  let api: ApiRequest;
  let therapist: Account;
  let otherTherapist: Account;
  let client: Account;

  beforeAll(async () => {
    node = await startTestPlatform();
    api = apiClient(node.url);
    const [one, two] = [await signUp(api, node.platform.database.owner, 'therapist'), await signUp(api, node.platform.database.owner, 'therapist')];
    therapist = { id: one.id, token: one.accessToken };
    otherTherapist = { id: two.id, token: two.accessToken };
    client = (await createAccounts(node.platform, 'client', 1))[0]!;
  });
  afterAll(async () => {
    await node?.close();
  });

  it('records courses with credits and expiry; counts the credits still valid; each therapist sees their own', async () => {
    const add = (body: object, who = therapist) => api('POST', '/continuing-education', { token: who.token, body });
    const valid = await add({ courseName: 'Γνωσιακή Συμπεριφοριστική Θεραπεία στο άγχος', provider: 'ΕΕΓΣΘ', completionDate: inDays(-100), creditsEarned: 12.5, expiryDate: inDays(10) });
    expect(valid.status, JSON.stringify(valid.body)).toBe(201);
    expect(valid.body).toMatchObject({ courseName: 'Γνωσιακή Συμπεριφοριστική Θεραπεία στο άγχος', creditsEarned: 12.5, expiryDate: inDays(10) });
    expect((await add({ courseName: 'Παλιό σεμινάριο', completionDate: inDays(-800), creditsEarned: 8, expiryDate: inDays(-5) })).status).toBe(201);
    expect((await add({ courseName: 'Χωρίς λήξη', creditsEarned: 3 })).status).toBe(201);
    expect((await add({ courseName: 'x', completionDate: inDays(0), expiryDate: inDays(-1) })).status).toBe(400);
    expect((await add({ courseName: 'x', creditsEarned: -1 })).status).toBe(400);

    const overview = await api('GET', '/continuing-education', { token: therapist.token });
    expect(overview.status).toBe(200);
    expect(overview.body.courses).toHaveLength(3);
    expect(overview.body.validCredits).toBe(15.5);
    expect((await api('GET', '/continuing-education', { token: otherTherapist.token })).body.courses).toEqual([]);
    expect((await api('GET', '/continuing-education', { token: client.token })).status).toBe(403);
    expect((await api('DELETE', `/continuing-education/${valid.body.id}`, { token: otherTherapist.token })).status).toBe(404);
  });

  it('reminds a therapist once, through the job runner, before their licence or a course’s credits lapse', async () => {
    await sql(node.platform, `UPDATE therapist_profiles SET license_expiry_date = :expiry WHERE user_id = :id RETURNING user_id`, { id: therapist.id, expiry: inDays(20) });
    await sql(node.platform, `UPDATE therapist_profiles SET license_expiry_date = :expiry WHERE user_id = :id RETURNING user_id`, { id: otherTherapist.id, expiry: inDays(200) });
    await node.platform.jobs.runNow(jobNames.remindLapsingEducation);
    await node.platform.jobs.runNow(jobNames.remindLapsingEducation);

    const reminders = await sql<{ user_id: string; title: string; message: string; data: { subject: string } }>(
      node.platform,
      `SELECT user_id, title, message, data FROM notifications WHERE type = 'continuing_education.lapsing' ORDER BY data ->> 'subject'`,
    );
    // The licence in 20 days and the course in 10 days; not the lapsed course, the course without expiry, or the licence in 200 days.
    expect(reminders.map((row) => [row.user_id, row.data.subject])).toEqual([
      [therapist.id, 'credits'],
      [therapist.id, 'licence'],
    ]);
    expect(reminders[0]!.message).toContain('«Γνωσιακή Συμπεριφοριστική Θεραπεία στο άγχος»');
    expect(reminders[1]!.message).toContain(DateTime.fromISO(inDays(20)).toFormat('dd/MM/yyyy'));

    const inbox = await api('GET', '/notifications', { token: therapist.token });
    expect(inbox.body.notifications.filter((row: { type: string }) => row.type === 'continuing_education.lapsing')).toHaveLength(2);
  });
});
