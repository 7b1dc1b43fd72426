import ICAL from 'ical.js';
import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createLogger, Database, DeliveryWorker, jobNames } from '@therapy-field/server';
import { TEST_PASSWORD, uniqueEmail } from '../../support/accounts.js';
import { createTestDatabase } from '../../support/database.js';
import { RecordingTransport } from '../../support/delivery.js';
import { apiClient, type ApiRequest } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { createAccounts, createAppointmentType, createListedTherapist, everyDay, sql, type Account } from '../../support/scheduling.js';
import { waitFor } from '../../support/wait.js';
import { testDatabaseRoles } from '../../support/database-roles.js';

describe('reminders, delivery and the ICS feed', () => {
  const first = new RecordingTransport();
  const second = new RecordingTransport();
  let nodeA: TestPlatform;
  let nodeB: TestPlatform;
  let api: ApiRequest;
  let admin: Account;
  let type50: string;
  let therapist: Account;
  let client: Account;

  const freeSlot = async (hoursAhead: number) => {
    const from = new Date(Date.now() + hoursAhead * 3600_000).toISOString();
    const to = new Date(Date.now() + (hoursAhead + 48) * 3600_000).toISOString();
    const response = await api('GET', `/therapists/${therapist.id}/slots?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&type=${type50}`);
    return response.body.slots[0].start as string;
  };

  beforeAll(async () => {
    const env = { JOBS_POLL_INTERVAL_SECONDS: '0.5' };
    nodeA = await startTestPlatform(env, undefined, { emailTransport: first, smsTransport: first });
    nodeB = await startTestPlatform(env, nodeA.database, { emailTransport: second, smsTransport: second });
    api = apiClient(nodeA.url);
    admin = (await createAccounts(nodeA.platform, 'super_admin', 1))[0]!;
    type50 = await createAppointmentType(api, admin, 50);
    therapist = await createListedTherapist(api, nodeA.platform, admin, { templates: everyDay('08:00', '20:00'), settings: { instantConfirmation: true } });
    client = (await createAccounts(nodeA.platform, 'client', 1, 'en'))[0]!;
    await sql(nodeA.platform, `UPDATE user_profiles SET phone = '+306900000000' WHERE user_id = :id RETURNING user_id`, { id: client.id });
  });

  afterAll(async () => {
    await nodeB?.close();
    await nodeA?.close();
  });

  it('sends each reminder exactly once with two nodes draining at the same time', async () => {
    const booked = await api('POST', '/appointments', { token: client.token, body: { therapistId: therapist.id, appointmentTypeId: type50, start: await freeSlot(72) } });
    expect(booked.body.status).toBe('confirmed');
    const prefix = `appointment:${booked.body.id}:reminder:1440m:%`;
    const emailKeys = await sql<{ dedupe_key: string }>(nodeA.platform, `SELECT dedupe_key FROM email_queue WHERE dedupe_key LIKE :prefix`, { prefix });
    const smsKeys = await sql<{ dedupe_key: string }>(nodeA.platform, `SELECT dedupe_key FROM sms_queue WHERE dedupe_key LIKE :prefix`, { prefix });
    expect(emailKeys).toHaveLength(2);
    expect(smsKeys).toHaveLength(1);
    const [english] = await sql<{ subject: string; language: string }>(nodeA.platform, `SELECT subject, language FROM email_queue WHERE dedupe_key LIKE :key`, {
      key: `appointment:${booked.body.id}:reminder:1440m:${client.id}:email`,
    });
    expect(english).toMatchObject({ language: 'en' });
    expect(english!.subject).toMatch(/^Reminder: session with/);

    // Make the 24-hour reminders due now, then let both nodes (job runners and direct calls) race for them.
    for (const queue of ['email_queue', 'sms_queue']) {
      await sql(nodeA.platform, `UPDATE ${queue} SET next_attempt_at = now() - interval '1 second' WHERE dedupe_key LIKE :prefix RETURNING id`, { prefix });
    }
    await Promise.all([
      nodeA.platform.jobs.runNow(jobNames.deliver),
      nodeB.platform.jobs.runNow(jobNames.deliver),
      nodeA.platform.delivery.drainOnce(),
      nodeB.platform.delivery.drainOnce(),
      nodeB.platform.delivery.drainOnce(),
    ]);
    await Promise.all([nodeA.platform.delivery.drainOnce(), nodeB.platform.delivery.drainOnce()]);

    const sentEmails = [...first.emails, ...second.emails].filter((email) => email.subject.includes('session with') || email.subject.includes('συνεδρία'));
    const sentSms = [...first.sms, ...second.sms];
    expect(sentEmails).toHaveLength(2);
    expect(new Set(sentEmails.map((email) => email.id)).size).toBe(2);
    expect(sentSms).toHaveLength(1);
    const rows = await sql<{ status: string; attempts: number }>(nodeA.platform, `SELECT status, attempts FROM email_queue WHERE dedupe_key LIKE :prefix`, { prefix });
    expect(rows).toEqual([{ status: 'sent', attempts: 1 }, { status: 'sent', attempts: 1 }]);
    // The 1-hour reminders are not due yet.
    const pending = await sql(nodeA.platform, `SELECT 1 FROM email_queue WHERE status = 'pending' AND dedupe_key LIKE :prefix`, { prefix: `appointment:${booked.body.id}:reminder:60m:%` });
    expect(pending).toHaveLength(2);
  });

  it('sends an email due now at once, not at the next minute’s drain', async () => {
    const email = uniqueEmail('instant');
    const registered = await api('POST', '/auth/register', { body: { role: 'client', email, password: TEST_PASSWORD, firstName: 'Ελένη', lastName: 'Κ.' } });
    expect(registered.status).toBe(202);
    // Job runners poll every 0.5 s here; the scheduled drain runs once a minute.
    await waitFor(() => [...first.emails, ...second.emails].some((sent) => sent.to === email), 10_000, 'the verification email sent');
  });

  it('retries a failed send with backoff, recording attempts and errors, and gives up after max_attempts', async () => {
    // Its own database: the nodes' job runners drain the shared queue whenever something is due.
    const queueDatabase = await createTestDatabase();
    const queue = await Database.create({ databaseUrl: queueDatabase.url, dataDir: '.', embeddedPostgresPort: 0, databaseRoles: testDatabaseRoles }, createLogger('silent'));
    onTestFinished(async () => {
      await queue.close();
      await queueDatabase.drop();
    });
    const sql = <T extends object>(query: string, replacements: Record<string, unknown> = {}) => queue.owner.query<T>(query, { type: QueryTypes.SELECT, replacements });
    const flaky = new RecordingTransport(1);
    const worker = new DeliveryWorker({ sequelize: queue.system, logger: createLogger('silent'), email: flaky, sms: flaky, retryBaseSeconds: 30 });
    const [row] = await sql<{ id: string }>(
      `INSERT INTO email_queue (to_email, subject, body_text, template_name, dedupe_key) VALUES ('retry@example.gr', 'Retry', 'text', 'test', 'test:retry') RETURNING id`,
    );
    expect(await worker.drainOnce()).toEqual({ sent: 0, failed: 1 });
    const [afterFailure] = await sql<{ status: string; attempts: number; last_error: string; next_attempt_at: Date }>(`SELECT * FROM email_queue WHERE id = :id`, { id: row!.id });
    expect(afterFailure).toMatchObject({ status: 'pending', attempts: 1, last_error: 'SMTP 451 try again later' });
    expect(afterFailure!.next_attempt_at.getTime()).toBeGreaterThan(Date.now() + 20_000);
    expect(await worker.drainOnce()).toEqual({ sent: 0, failed: 0 });
    expect(await worker.drainOnce(new Date(Date.now() + 3600_000))).toEqual({ sent: 1, failed: 0 });
    const [sent] = await sql<{ status: string; attempts: number; last_error: string | null }>(`SELECT * FROM email_queue WHERE id = :id`, { id: row!.id });
    expect(sent).toMatchObject({ status: 'sent', attempts: 2, last_error: null });

    const broken = new RecordingTransport(Number.POSITIVE_INFINITY);
    const hopeless = new DeliveryWorker({ sequelize: queue.system, logger: createLogger('silent'), email: broken, sms: broken, retryBaseSeconds: 1 });
    const [doomed] = await sql<{ id: string }>(
      `INSERT INTO email_queue (to_email, subject, body_text, template_name, dedupe_key, max_attempts) VALUES ('never@example.gr', 'X', 'x', 'test', 'test:doomed', 2) RETURNING id`,
    );
    await hopeless.drainOnce();
    await hopeless.drainOnce(new Date(Date.now() + 3600_000));
    const [failed] = await sql<{ status: string; attempts: number; error_message: string }>(`SELECT * FROM email_queue WHERE id = :id`, { id: doomed!.id });
    expect(failed).toMatchObject({ status: 'failed', attempts: 2, error_message: 'SMTP 451 try again later' });
  });

  it('serves a secret ICS feed that parses, and a revoked token gives 404', async () => {
    const created = await api('POST', '/calendar-feed', { token: therapist.token });
    expect(created.status).toBe(201);
    const path = new URL(created.body.url).pathname;
    expect(path).toMatch(/^\/api\/v1\/calendar\/[A-Za-z0-9_-]+\.ics$/);
    const response = await fetch(new URL(path, nodeA.url));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/calendar/);
    const text = await response.text();
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text.split('\r\n').slice(0, -1).every((line) => !line.includes('\n'))).toBe(true);
    const calendar = new ICAL.Component(ICAL.parse(text));
    const zone = calendar.getFirstSubcomponent('vtimezone');
    expect(zone?.getFirstPropertyValue('tzid')).toBe('Europe/Athens');
    ICAL.TimezoneService.register(zone!);
    const events = calendar.getAllSubcomponents('vevent').map((event) => new ICAL.Event(event));
    const appointments = await api('GET', '/appointments', { token: therapist.token });
    const active = appointments.body.filter((appointment: { status: string }) => ['requested', 'confirmed'].includes(appointment.status));
    expect(events).toHaveLength(active.length);
    expect(events[0]!.startDate.toJSDate().getTime()).toBe(Date.parse(active[0].scheduledStart));
    expect(events[0]!.startDate.zone.tzid).toBe('Europe/Athens');
    expect(events[0]!.uid).toBe(`${active[0].id}@therapyfield.gr`);
    expect(events[0]!.summary).not.toContain('Νίκος');

    const replaced = await api('POST', '/calendar-feed', { token: therapist.token });
    expect((await fetch(new URL(path, nodeA.url))).status).toBe(404);
    const newPath = new URL(replaced.body.url).pathname;
    expect((await fetch(new URL(newPath, nodeA.url))).status).toBe(200);
    expect((await api('DELETE', '/calendar-feed', { token: therapist.token })).status).toBe(204);
    expect((await fetch(new URL(newPath, nodeA.url))).status).toBe(404);
    expect((await api('POST', '/calendar-feed', { token: client.token })).status).toBe(403);
  });
});
