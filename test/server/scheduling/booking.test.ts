import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEventName } from '@therapy-field/sync';
import { apiClient, type ApiRequest } from '../../support/http.js';
import { waitFor } from '../../support/wait.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { createAccounts, createAppointmentType, createListedTherapist, everyDay, sql, type Account } from '../../support/scheduling.js';

describe('booking', () => {
  let node: TestPlatform;
  let api: ApiRequest;
  let admin: Account;
  let type50: string;
  let therapist: Account;
  let clients: Account[];
  const events: DomainEventName[] = [];
  let taken = new Set<string>();

  /** Free slots of the therapist from `hoursAhead`, each handed out once per test file. */
  const freeSlot = async (hoursAhead = 48, therapistId = therapist.id): Promise<string> => {
    const from = new Date(Date.now() + hoursAhead * 3600_000).toISOString();
    const to = new Date(Date.now() + (hoursAhead + 24 * 6) * 3600_000).toISOString();
    const response = await api('GET', `/therapists/${therapistId}/slots?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&type=${type50}`);
    const slot = (response.body.slots as Array<{ start: string }>).find((candidate) => !taken.has(`${therapistId}${candidate.start}`));
    expect(slot).toBeDefined();
    taken.add(`${therapistId}${slot!.start}`);
    return slot!.start;
  };
  const book = (client: Account, start: string, therapistId = therapist.id) =>
    api('POST', '/appointments', { token: client.token, body: { therapistId, appointmentTypeId: type50, start, clientNotes: 'Πρώτη συνεδρία' } });
  const act = (who: Account, id: string, action: string, body?: object) => api('POST', `/appointments/${id}/${action}`, { token: who.token, body });
  /** Backends of this database waiting on a lock of one of these kinds. */
  const waiting = (...kinds: string[]) =>
    sql(node.platform, `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event IN (:kinds)`, { kinds });
  const reminders = async (appointmentId: string) =>
    (await sql<{ dedupe_key: string; scheduled_for: Date }>(node.platform, `SELECT dedupe_key, scheduled_for FROM email_queue WHERE dedupe_key LIKE :prefix ORDER BY dedupe_key`, {
      prefix: `appointment:${appointmentId}:reminder:%`,
    }));

  beforeAll(async () => {
    node = await startTestPlatform();
    api = apiClient(node.url);
    admin = (await createAccounts(node.platform, 'super_admin', 1))[0]!;
    type50 = await createAppointmentType(api, admin, 50);
    therapist = await createListedTherapist(api, node.platform, admin, { templates: everyDay('00:00', '23:59') });
    clients = await createAccounts(node.platform, 'client', 4);
    for (const name of ['appointment.requested', 'appointment.confirmed', 'appointment.declined', 'appointment.cancelled', 'appointment.rescheduled', 'appointment.completed', 'appointment.no_show'] as const) {
      node.platform.events.subscribe(name, () => {
        events.push(name);
      });
    }
  });

  afterAll(async () => {
    await node?.close();
  });

  it('requests, then the therapist confirms; reminders are queued at 24 h and 1 h before', async () => {
    const start = await freeSlot();
    const requested = await book(clients[0]!, start);
    expect(requested.status, JSON.stringify(requested.body)).toBe(201);
    expect(requested.body).toMatchObject({ status: 'requested', scheduledStart: start, clientNotes: 'Πρώτη συνεδρία', therapistId: therapist.id });
    expect(await reminders(requested.body.id)).toEqual([]);

    expect((await act(clients[0]!, requested.body.id, 'confirm')).status).toBe(403);
    const confirmed = await act(therapist, requested.body.id, 'confirm');
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.status).toBe('confirmed');
    const queued = await reminders(requested.body.id);
    expect(queued).toHaveLength(4);
    expect(new Set(queued.map((row) => Date.parse(start) - row.scheduled_for.getTime()))).toEqual(new Set([24 * 3600_000, 3600_000]));

    const again = await act(therapist, requested.body.id, 'confirm');
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('INVALID_TRANSITION');
    expect((await act(therapist, requested.body.id, 'decline')).body.error.code).toBe('INVALID_TRANSITION');
    expect(events).toEqual(expect.arrayContaining(['appointment.requested', 'appointment.confirmed']));
  });

  it('declines a request; a declined appointment cannot be cancelled or confirmed', async () => {
    const requested = await book(clients[1]!, await freeSlot());
    const declined = await act(therapist, requested.body.id, 'decline', { reason: 'Δεν είμαι διαθέσιμη' });
    expect(declined.body).toMatchObject({ status: 'declined', cancellationReason: 'Δεν είμαι διαθέσιμη', cancelledBy: therapist.id });
    for (const action of ['cancel', 'confirm', 'complete', 'no-show']) {
      const refused = await act(therapist, requested.body.id, action);
      expect(refused.status).toBe(409);
      expect(refused.body.error).toMatchObject({ code: 'INVALID_TRANSITION', details: { from: 'declined' } });
    }
    const malformed = await api('POST', `/appointments/${requested.body.id}/cancel`, { token: therapist.token, rawBody: '{"reason":' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('VALIDATION_FAILED');
    expect(events).toContain('appointment.declined');
  });

  it('cancels with reason and who; inside 24 h it is flagged late; reminders are removed', async () => {
    const early = await book(clients[2]!, await freeSlot(72));
    await act(therapist, early.body.id, 'confirm');
    expect(await reminders(early.body.id)).toHaveLength(4);
    const cancelled = await act(clients[2]!, early.body.id, 'cancel', { reason: 'Ταξίδι' });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancellationReason: 'Ταξίδι', cancelledBy: clients[2]!.id, isLateCancellation: false });
    expect(await reminders(early.body.id)).toEqual([]);

    const soon = await book(clients[2]!, await freeSlot(3));
    const late = await act(therapist, soon.body.id, 'cancel');
    expect(late.body).toMatchObject({ status: 'cancelled', cancelledBy: therapist.id, isLateCancellation: true });
    expect((await act(therapist, soon.body.id, 'cancel')).body.error.code).toBe('INVALID_TRANSITION');
    expect(events).toContain('appointment.cancelled');
  });

  it('completes with actual times and records no-shows, only once the session has started', async () => {
    const first = await book(clients[3]!, await freeSlot());
    await act(therapist, first.body.id, 'confirm');
    const tooEarly = await act(therapist, first.body.id, 'complete');
    expect(tooEarly.status).toBe(409);
    expect(tooEarly.body.error.code).toBe('INVALID_TRANSITION');

    await sql(node.platform, `UPDATE appointments SET scheduled_start = now() - interval '2 hours', scheduled_end = now() - interval '70 minutes' WHERE id = :id RETURNING id`, { id: first.body.id });
    const actualStart = new Date(Date.now() - 115 * 60_000).toISOString();
    const actualEnd = new Date(Date.now() - 65 * 60_000).toISOString();
    expect((await act(clients[3]!, first.body.id, 'complete', { actualStart, actualEnd })).status).toBe(403);
    const completed = await act(therapist, first.body.id, 'complete', { actualStart, actualEnd });
    expect(completed.status).toBe(200);
    expect(completed.body.status).toBe('completed');
    expect(Date.parse(completed.body.actualStart)).toBe(Date.parse(actualStart));
    expect(Date.parse(completed.body.actualEnd)).toBe(Date.parse(actualEnd));
    expect((await act(therapist, first.body.id, 'cancel')).body.error.code).toBe('INVALID_TRANSITION');
    expect((await act(therapist, first.body.id, 'no-show')).body.error.code).toBe('INVALID_TRANSITION');

    const second = await book(clients[3]!, await freeSlot());
    await act(therapist, second.body.id, 'confirm');
    await sql(node.platform, `UPDATE appointments SET scheduled_start = now() - interval '3 hours', scheduled_end = now() - interval '130 minutes' WHERE id = :id RETURNING id`, { id: second.body.id });
    const noShow = await act(therapist, second.body.id, 'no-show');
    expect(noShow.body.status).toBe('no_show');
    expect((await act(therapist, second.body.id, 'complete')).body.error.code).toBe('INVALID_TRANSITION');

    const invalid = await act(therapist, second.body.id, 'complete', { actualStart: 'noon' });
    expect(invalid.status).toBe(400);
    expect(events).toEqual(expect.arrayContaining(['appointment.completed', 'appointment.no_show']));
  });

  it('reschedules into a new appointment linked by rescheduledFrom, moving the reminders', async () => {
    const original = await book(clients[0]!, await freeSlot());
    await act(therapist, original.body.id, 'confirm');
    expect(await reminders(original.body.id)).toHaveLength(4);
    const newStart = await freeSlot(24 * 8);
    const moved = await api('POST', `/appointments/${original.body.id}/reschedule`, { token: clients[0]!.token, body: { start: newStart } });
    expect(moved.status, JSON.stringify(moved.body)).toBe(201);
    expect(moved.body).toMatchObject({ status: 'requested', scheduledStart: newStart, rescheduledFrom: original.body.id });
    expect((await api('GET', `/appointments/${original.body.id}`, { token: clients[0]!.token })).body.status).toBe('rescheduled');
    expect(await reminders(original.body.id)).toEqual([]);
    await act(therapist, moved.body.id, 'confirm');
    const queued = await reminders(moved.body.id);
    expect(queued).toHaveLength(4);
    expect(Math.min(...queued.map((row) => row.scheduled_for.getTime()))).toBe(Date.parse(newStart) - 24 * 3600_000);

    // The therapist moves it again: confirmed at once, reminders follow.
    const byTherapist = await api('POST', `/appointments/${moved.body.id}/reschedule`, { token: therapist.token, body: { start: await freeSlot(24 * 9) } });
    expect(byTherapist.body.status).toBe('confirmed');
    expect(await reminders(moved.body.id)).toEqual([]);
    expect(await reminders(byTherapist.body.id)).toHaveLength(4);
    const twice = await api('POST', `/appointments/${original.body.id}/reschedule`, { token: clients[0]!.token, body: { start: await freeSlot() } });
    expect(twice.body.error.code).toBe('INVALID_TRANSITION');
    expect(events).toContain('appointment.rescheduled');
  });

  it('confirms at once when the therapist allows instant confirmation', async () => {
    const instant = await createListedTherapist(api, node.platform, admin, { templates: everyDay('08:00', '20:00'), settings: { instantConfirmation: true } });
    const booked = await book(clients[1]!, await freeSlot(48, instant.id), instant.id);
    expect(booked.body.status).toBe('confirmed');
    expect(await reminders(booked.body.id)).toHaveLength(4);
  });

  it('refuses times that are not slots, and lets only clients book', async () => {
    const start = await freeSlot();
    const offGrid = new Date(Date.parse(start) + 5 * 60_000).toISOString();
    expect((await book(clients[1]!, offGrid)).body.error.code).toBe('SLOT_UNAVAILABLE');
    expect((await book(therapist, start)).status).toBe(403);
    const missing = await api('POST', '/appointments', { token: clients[1]!.token, body: { therapistId: therapist.id, start } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.map((detail: { path: string }) => detail.path)).toContain('appointmentTypeId');
  });

  it('keeps therapist private notes encrypted, for the therapist only, and audits access', async () => {
    const booked = await book(clients[1]!, await freeSlot());
    const note = 'Ανησυχία για τον ύπνο';
    expect((await api('PUT', `/appointments/${booked.body.id}/private-notes`, { token: therapist.token, body: { notes: note } })).status).toBe(204);
    const [stored] = await sql<{ therapist_private_notes: Buffer; encryption_key_id: string }>(node.platform, `SELECT therapist_private_notes, encryption_key_id FROM appointments WHERE id = :id`, { id: booked.body.id });
    expect(stored!.encryption_key_id).toBe('test1');
    expect(stored!.therapist_private_notes.toString('utf8')).not.toContain('ύπνο');
    expect((await api('GET', `/appointments/${booked.body.id}/private-notes`, { token: therapist.token })).body).toEqual({ notes: note });
    expect((await api('GET', `/appointments/${booked.body.id}/private-notes`, { token: clients[1]!.token })).status).toBe(403);
    expect((await api('GET', `/appointments/${booked.body.id}`, { token: clients[2]!.token })).status).toBe(404);
    const audit = await sql<{ action: string }>(node.platform, `SELECT action FROM audit_logs WHERE entity_id = :id AND action LIKE 'appointment_private_notes.%' ORDER BY performed_at`, { id: booked.body.id });
    expect(audit.map((row) => row.action)).toEqual(['appointment_private_notes.write', 'appointment_private_notes.read']);
  });

  it('lets exactly one of 100 concurrent requests for the same slot through', async () => {
    const start = await freeSlot(24 * 10);
    const racers = await createAccounts(node.platform, 'client', 100);
    const responses = await Promise.all(racers.map((client) => book(client, start)));
    const created = responses.filter((response) => response.status === 201);
    const refused = responses.filter((response) => response.status === 409);
    expect(created).toHaveLength(1);
    expect(refused).toHaveLength(99);
    expect(refused.every((response) => response.body.error.code === 'SLOT_TAKEN')).toBe(true);
    const rows = await sql<{ count: string }>(node.platform, `SELECT count(*) FROM appointments WHERE therapist_id = :therapist AND scheduled_start = :start`, {
      therapist: therapist.id,
      start,
    });
    expect(Number(rows[0]!.count)).toBe(1);
  });

  it('makes competing bookings of one therapist wait for each other inside the database, so their inserts cannot deadlock', async () => {
    const [employee, other] = await createAccounts(node.platform, 'client', 2);
    const [business] = await sql<{ id: string }>(node.platform, `INSERT INTO business_accounts (company_name, plan_type, status) VALUES ('Αναμονή ΑΕ', 'starter', 'active') RETURNING id`);
    await sql(node.platform, `INSERT INTO business_employees (business_id, user_id, enrollment_status) VALUES (:business, :user, 'active') RETURNING id`, {
      business: business!.id,
      user: employee!.id,
    });
    const [first, second] = [await freeSlot(24 * 45), await freeSlot(24 * 46)];
    // Hold the employee's session counter: their booking stops there, in the middle of its transaction.
    // As the owner, like the other fixtures: the app role outside a request is nobody to row-level
    // security and its FOR UPDATE would lock no row.
    const { owner: sequelize } = node.platform.database;
    const holder = await sequelize.transaction();
    try {
      await sequelize.query(`SELECT id FROM business_employees WHERE user_id = :user FOR UPDATE`, { replacements: { user: employee!.id }, transaction: holder });
      const inFlight = book(employee!, first);
      await waitFor(async () => (await waiting('relation', 'tuple', 'transactionid')).length > 0, 10_000);
      // Another slot of the same therapist: this booking waits for the one in flight instead of racing it.
      let competingDone = false;
      const competing = book(other!, second).finally(() => {
        competingDone = true;
      });
      await waitFor(async () => (await waiting('advisory')).length > 0, 10_000);
      expect(competingDone).toBe(false);
      await holder.commit();
      expect((await inFlight).status).toBe(201);
      expect((await competing).status).toBe(201);
    } finally {
      if (!(holder as unknown as { finished?: string }).finished) await holder.rollback();
    }
  });

  it('lets one of 50 competing bookings win in each of 10 rounds, refusing the rest as SLOT_TAKEN with what they overlap, never a 5xx', async () => {
    const racers = await createAccounts(node.platform, 'client', 50);
    for (let round = 0; round < 10; round += 1) {
      const start = await freeSlot(24 * 40);
      const responses = await Promise.all(racers.map((client) => book(client, start)));
      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status >= 500), `round ${round}`).toEqual([]);
      expect(statuses.filter((status) => status === 201), `round ${round}`).toHaveLength(1);
      // A refusal by the exclusion constraint says what overlaps; a deadlock victim could not.
      const refusals = responses.filter((response) => response.status === 409).map((response) => response.body.error);
      expect(refusals, `round ${round}`).toEqual(Array(49).fill(expect.objectContaining({ code: 'SLOT_TAKEN', details: { overlapsWith: 'therapist' } })));
    }
  }, 180_000);

  it('never lets a business employee use more sessions than the company pays for, even concurrently', async () => {
    const [employee] = await createAccounts(node.platform, 'client', 1);
    const [business] = await sql<{ id: string }>(node.platform, `INSERT INTO business_accounts (company_name, plan_type, status) VALUES ('Εταιρεία ΑΕ', 'starter', 'active') RETURNING id`);
    await sql(
      node.platform,
      `INSERT INTO business_employees (business_id, user_id, enrollment_status, therapy_sessions_limit) VALUES (:business, :user, 'active', 3) RETURNING id`,
      { business: business!.id, user: employee!.id },
    );
    const starts = [];
    for (let index = 0; index < 10; index += 1) starts.push(await freeSlot(24 * 11));
    const responses = await Promise.all(starts.map((start) => book(employee!, start)));
    expect(responses.filter((response) => response.status === 201)).toHaveLength(3);
    const refused = responses.filter((response) => response.status !== 201);
    expect(refused).toHaveLength(7);
    expect(refused.every((response) => response.body.error.code === 'SESSION_LIMIT_REACHED')).toBe(true);
    const [row] = await sql<{ therapy_sessions_used: number }>(node.platform, `SELECT therapy_sessions_used FROM business_employees WHERE user_id = :user`, { user: employee!.id });
    expect(row!.therapy_sessions_used).toBe(3);

    // A cancellation in good time gives the session back.
    const one = responses.find((response) => response.status === 201)!;
    await act(employee!, one.body.id, 'cancel');
    const [after] = await sql<{ therapy_sessions_used: number }>(node.platform, `SELECT therapy_sessions_used FROM business_employees WHERE user_id = :user`, { user: employee!.id });
    expect(after!.therapy_sessions_used).toBe(2);
  });
  it('has PostgreSQL keep the buffer between a therapist’s sessions, and a shorter buffer apply at once', async () => {
    const busy = await createListedTherapist(api, node.platform, admin, { templates: everyDay('00:00', '23:59'), settings: { bufferMinutes: 15 } });
    const booked = await book(clients[1]!, await freeSlot(24 * 20, busy.id), busy.id);
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    const end = new Date(booked.body.scheduledEnd);
    // Written straight into the table, past every application check.
    const insertAfterEnd = (minutes: number) =>
      sql(node.platform, `INSERT INTO appointments (client_id, therapist_id, scheduled_start, scheduled_end, buffer_minutes) VALUES (:client, :therapist, :start, :end, 0) RETURNING id`, {
        client: clients[2]!.id,
        therapist: busy.id,
        start: new Date(end.getTime() + minutes * 60_000),
        end: new Date(end.getTime() + (minutes + 50) * 60_000),
      });
    await expect(insertAfterEnd(10)).rejects.toMatchObject({ parent: { code: '23P01', constraint: 'excl_appointments_therapist_overlap' } });

    const shorter = await api('PATCH', `/therapists/${busy.id}`, { token: busy.token, body: { settings: { bufferMinutes: 5 } } });
    expect(shorter.status, JSON.stringify(shorter.body)).toBe(200);
    expect(await insertAfterEnd(10)).toHaveLength(1);
  });
  it('queues no reminder emails for someone who turned them off', async () => {
    const [quiet] = await createAccounts(node.platform, 'client', 1);
    expect((await api('PATCH', '/me', { token: quiet!.token, body: { emailReminders: false } })).status).toBe(200);
    const booked = await book(quiet!, await freeSlot(24 * 30));
    expect((await act(therapist, booked.body.id, 'confirm')).status).toBe(200);
    const keys = (await reminders(booked.body.id)).map((row) => row.dedupe_key);
    expect(keys).toHaveLength(2);
    expect(keys.every((key) => key.includes(`:${therapist.id}:`))).toBe(true);
  });
});
