import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobNames } from '@therapy-field/server';
import { journalEntry, syncOverHttp } from '../../sync/sync-fixtures.js';
import { apiClient, type ApiRequest } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { createAccounts, createAppointmentType, createListedTherapist, everyDay, sql, type Account } from '../../support/scheduling.js';

const ZONE = 'Europe/Athens';

/**
 * Care (clinical records, shared entries, messages) starts only from a client's booking that the
 * therapist confirmed, or a therapist's proposal that the client accepted (issue 9, hole 2).
 */
describe('care starts only with both parties’ consent', () => {
  let node: TestPlatform;
  let api: ApiRequest;
  let admin: Account;
  let type50: string;
  let confirmsEach: Account;
  let instant: Account;
  const { push, pull } = syncOverHttp(() => api);
  const firstDate = DateTime.now().setZone(ZONE).plus({ days: 2 }).toISODate()!;
  const at = (date: string, time: string, plusDays = 0) => DateTime.fromISO(`${date}T${time}`, { zone: ZONE }).plus({ days: plusDays });
  const statuses = (series: { appointments: Array<{ status: string }> }) => series.appointments.map((appointment) => appointment.status);

  /** What a therapist can reach of a client's care: the clinical history, a shared journal entry, a message. */
  const reach = async (therapist: Account, client: Account, sharedEntryId: string) => {
    const history = await api('GET', `/clients/${client.id}/history`, { token: therapist.token });
    const pulled = await pull(therapist.token, 'journal_entries');
    const message = await api('POST', `/conversations/${client.id}/messages`, { token: therapist.token, body: { body: 'Καλησπέρα' } });
    return {
      history: history.status,
      sharedEntry: (pulled.body.documents as Array<{ id: string; _deleted: boolean }>).some((doc) => doc.id === sharedEntryId && !doc._deleted),
      message: message.status,
    };
  };
  const sharedEntryOf = async (client: Account) => {
    const entry = journalEntry({ sharedWithTherapist: true });
    expect((await push(client.token, 'journal_entries', [{ newDocumentState: entry }])).body).toEqual({ conflicts: [], rejected: [] });
    return entry.id;
  };
  const sessionsUsed = async (client: Account) =>
    (await sql<{ therapy_sessions_used: number }>(node.platform, `SELECT therapy_sessions_used FROM business_employees WHERE user_id = :id`, { id: client.id }))[0]!
      .therapy_sessions_used;
  const employee = async () => {
    const [client] = (await createAccounts(node.platform, 'client', 1)) as [Account];
    const [business] = await sql<{ id: string }>(node.platform, `INSERT INTO business_accounts (company_name, plan_type, status) VALUES ('Εταιρεία ΑΕ', 'starter', 'active') RETURNING id`);
    await sql(node.platform, `INSERT INTO business_employees (business_id, user_id, enrollment_status, therapy_sessions_limit) VALUES (:business, :user, 'active', 10) RETURNING id`, {
      business: business!.id,
      user: client.id,
    });
    return client;
  };

  beforeAll(async () => {
    node = await startTestPlatform({ SERIES_HORIZON_WEEKS: '4' });
    api = apiClient(node.url);
    admin = (await createAccounts(node.platform, 'super_admin', 1))[0]!;
    type50 = await createAppointmentType(api, admin, 50);
    confirmsEach = await createListedTherapist(api, node.platform, admin, { templates: everyDay('08:00', '20:00') });
    instant = await createListedTherapist(api, node.platform, admin, { templates: everyDay('08:00', '20:00'), settings: { instantConfirmation: true } });
  });

  afterAll(async () => {
    await node?.close();
  });

  it('a stranger therapist’s series is a proposal: no record, shared entries, messages or company sessions until the client accepts it', async () => {
    const stranger = await createListedTherapist(api, node.platform, admin, { templates: everyDay('08:00', '20:00'), settings: { instantConfirmation: true } });
    const client = await employee();
    const shared = await sharedEntryOf(client);

    const proposed = await api('POST', '/recurring-appointments', {
      token: stranger.token,
      body: { clientId: client.id, appointmentTypeId: type50, frequency: 'weekly', startDate: firstDate, time: '10:00' },
    });
    expect(proposed.status, JSON.stringify(proposed.body)).toBe(201);
    expect(proposed.body.proposalStatus).toBe('proposed');
    expect(statuses(proposed.body)).toEqual(['proposed', 'proposed', 'proposed', 'proposed']);
    expect(await reach(stranger, client, shared)).toEqual({ history: 404, sharedEntry: false, message: 403 });
    expect(await sessionsUsed(client)).toBe(0);
    // The job books nothing more than proposals either, and the therapist cannot accept for the client.
    await node.platform.jobs.runNow(jobNames.materializeSeries);
    expect(await reach(stranger, client, shared)).toEqual({ history: 404, sharedEntry: false, message: 403 });
    expect((await api('POST', `/recurring-appointments/${proposed.body.id}/accept`, { token: stranger.token })).status).toBe(403);
    expect((await api('POST', `/appointments/${proposed.body.appointments[0].id}/accept`, { token: stranger.token })).status).toBe(403);
    expect((await api('POST', `/appointments/${proposed.body.appointments[0].id}/confirm`, { token: stranger.token })).body.error.code).toBe('INVALID_TRANSITION');

    const accepted = await api('POST', `/recurring-appointments/${proposed.body.id}/accept`, { token: client.token });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body.proposalStatus).toBe('accepted');
    expect(statuses(accepted.body)).toEqual(['confirmed', 'confirmed', 'confirmed', 'confirmed']);
    expect(await reach(stranger, client, shared)).toEqual({ history: 200, sharedEntry: true, message: 201 });
    expect(await sessionsUsed(client)).toBe(4);
    const again = await api('POST', `/recurring-appointments/${proposed.body.id}/accept`, { token: client.token });
    expect(again.body.error.code).toBe('INVALID_TRANSITION');
  });

  it('a declined series and a declined single proposal grant nothing; an accepted single proposal starts care', async () => {
    const therapist = await createListedTherapist(api, node.platform, admin, { templates: everyDay('08:00', '20:00') });
    const client = await employee();
    const shared = await sharedEntryOf(client);

    const series = await api('POST', '/recurring-appointments', {
      token: therapist.token,
      body: { clientId: client.id, appointmentTypeId: type50, frequency: 'biweekly', startDate: firstDate, time: '12:00' },
    });
    const declined = await api('POST', `/recurring-appointments/${series.body.id}/decline`, { token: client.token, body: { reason: 'Όχι ευχαριστώ' } });
    expect(declined.status, JSON.stringify(declined.body)).toBe(200);
    expect(declined.body).toMatchObject({ proposalStatus: 'declined', isActive: false });
    expect(statuses(declined.body)).toEqual(['declined', 'declined']);

    const start = at(firstDate, '14:00', 1).toISO({ suppressMilliseconds: true })!;
    const single = await api('POST', '/appointment-proposals', { token: therapist.token, body: { clientId: client.id, appointmentTypeId: type50, start } });
    expect(single.status, JSON.stringify(single.body)).toBe(201);
    expect(single.body).toMatchObject({ status: 'proposed', clientId: client.id, therapistId: therapist.id, scheduledStart: start });
    expect((await api('POST', `/appointments/${single.body.id}/decline`, { token: client.token })).body.status).toBe('declined');
    expect(await reach(therapist, client, shared)).toEqual({ history: 404, sharedEntry: false, message: 403 });
    expect(await sessionsUsed(client)).toBe(0);

    // A proposal holds no slot and no client: a client may not be proposed to for a time outside the therapist's hours either.
    const outside = await api('POST', '/appointment-proposals', {
      token: therapist.token,
      body: { clientId: client.id, appointmentTypeId: type50, start: at(firstDate, '03:00', 1).toISO({ suppressMilliseconds: true }) },
    });
    expect(outside.body.error.code).toBe('SLOT_UNAVAILABLE');
    expect((await api('POST', '/appointment-proposals', { token: client.token, body: { clientId: client.id, appointmentTypeId: type50, start } })).status).toBe(403);

    const second = await api('POST', '/appointment-proposals', { token: therapist.token, body: { clientId: client.id, appointmentTypeId: type50, start } });
    const accepted = await api('POST', `/appointments/${second.body.id}/accept`, { token: client.token });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body.status).toBe('confirmed');
    expect(await reach(therapist, client, shared)).toEqual({ history: 200, sharedEntry: true, message: 201 });
    expect(await sessionsUsed(client)).toBe(1);
  });

  it('counts no proposed appointment in the database’s own care rules (is_current_therapist, may_message)', async () => {
    const [client] = (await createAccounts(node.platform, 'client', 1)) as [Account];
    const start = new Date(Date.now() + 30 * 86_400_000);
    await sql(node.platform, `INSERT INTO appointments (client_id, therapist_id, scheduled_start, scheduled_end, status) VALUES (:client, :therapist, :start, :end, 'proposed') RETURNING id`, {
      client: client!.id,
      therapist: confirmsEach.id,
      start,
      end: new Date(start.getTime() + 50 * 60_000),
    });
    const [rules] = await sql<{ current: boolean; message: boolean }>(
      node.platform,
      `SELECT is_current_therapist(:therapist, :client) AS current, may_message(:therapist, :client) AS message`,
      { therapist: confirmsEach.id, client: client!.id },
    );
    expect(rules).toEqual({ current: false, message: false });
  });

  it('refuses a client’s series at 03:00, outside the therapist’s hours, with SLOT_UNAVAILABLE and stores nothing', async () => {
    const [client] = (await createAccounts(node.platform, 'client', 1)) as [Account];
    const refused = await api('POST', '/recurring-appointments', {
      token: client!.token,
      body: { therapistId: instant.id, appointmentTypeId: type50, frequency: 'weekly', startDate: firstDate, time: '03:00' },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('SLOT_UNAVAILABLE');
    expect(await sql(node.platform, `SELECT 1 FROM recurring_appointments WHERE client_id = :id`, { id: client!.id })).toEqual([]);
    expect(await sql(node.platform, `SELECT 1 FROM appointments WHERE client_id = :id`, { id: client!.id })).toEqual([]);
  });

  it('books a client’s series as the therapist’s policy books a single appointment: requested, or confirmed at once', async () => {
    const [client] = (await createAccounts(node.platform, 'client', 1)) as [Account];
    const create = (therapistId: string, time: string) =>
      api('POST', '/recurring-appointments', { token: client!.token, body: { therapistId, appointmentTypeId: type50, frequency: 'weekly', startDate: firstDate, time } });
    const requested = await create(confirmsEach.id, '16:00');
    expect(requested.status, JSON.stringify(requested.body)).toBe(201);
    expect(requested.body.proposalStatus).toBeNull();
    expect(statuses(requested.body)).toEqual(['requested', 'requested', 'requested', 'requested']);
    expect((await api('GET', `/clients/${client!.id}/history`, { token: confirmsEach.token })).status).toBe(404);
    // The therapist confirming one is a client's booking the therapist confirmed: care starts.
    expect((await api('POST', `/appointments/${requested.body.appointments[0].id}/confirm`, { token: confirmsEach.token })).body.status).toBe('confirmed');
    expect((await api('GET', `/clients/${client!.id}/history`, { token: confirmsEach.token })).status).toBe(200);

    const confirmed = await create(instant.id, '18:00');
    expect(statuses(confirmed.body)).toEqual(['confirmed', 'confirmed', 'confirmed', 'confirmed']);
  });

  it('sends a therapist who only declined a client’s request no tombstones of the client’s entries in a snapshot', async () => {
    const decliner = await createListedTherapist(api, node.platform, admin, { templates: everyDay('08:00', '20:00') });
    const [client] = (await createAccounts(node.platform, 'client', 1)) as [Account];
    const request = await api('POST', '/appointments', {
      token: client!.token,
      body: { therapistId: decliner.id, appointmentTypeId: type50, start: at(firstDate, '09:00', 3).toISO({ suppressMilliseconds: true }) },
    });
    expect((await api('POST', `/appointments/${request.body.id}/decline`, { token: decliner.token })).body.status).toBe('declined');
    const shared = await sharedEntryOf(client!);
    // Retention drops every change so far: the therapist's next pull is a snapshot.
    await node.platform.changes.sequenceNow();
    await node.platform.changes.pruneOlderThan(0);
    const snapshot = await pull(decliner.token, 'journal_entries');
    expect(snapshot.status).toBe(200);
    expect((snapshot.body.documents as Array<{ id: string }>).map((doc) => doc.id)).not.toContain(shared);
  });
});
