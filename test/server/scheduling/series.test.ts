import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobNames, seriesOccurrences } from '@therapy-field/server';
import { apiClient, type ApiRequest } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { createAccounts, createAppointmentType, createListedTherapist, everyDay, sql, type Account } from '../../support/scheduling.js';

const ZONE = 'Europe/Athens';

describe('recurring series', () => {
  let node: TestPlatform;
  let api: ApiRequest;
  let admin: Account;
  let type50: string;
  let therapist: Account;
  let client: Account;
  let other: Account;
  const conflictEvents: Array<{ reason: string; occurrenceStart: string }> = [];
  /** The local date two days from now: four weekly occurrences fall inside the 4-week horizon. */
  const firstDate = DateTime.now().setZone(ZONE).plus({ days: 2 }).toISODate()!;
  const at = (date: string, time: string, plusDays = 0) => DateTime.fromISO(`${date}T${time}`, { zone: ZONE }).plus({ days: plusDays });

  beforeAll(async () => {
    node = await startTestPlatform({ SERIES_HORIZON_WEEKS: '4', JOBS_POLL_INTERVAL_SECONDS: '0.5' });
    api = apiClient(node.url);
    admin = (await createAccounts(node.platform, 'super_admin', 1))[0]!;
    type50 = await createAppointmentType(api, admin, 50);
    therapist = await createListedTherapist(api, node.platform, admin, { templates: everyDay('08:00', '20:00') });
    [client, other] = (await createAccounts(node.platform, 'client', 2)) as [Account, Account];
    node.platform.events.subscribe('appointment.series_conflict', (event) => {
      conflictEvents.push(event);
    });
  });

  afterAll(async () => {
    await node?.close();
  });

  it('keeps each occurrence at its wall-clock time across a DST change', () => {
    const weekly = [...seriesOccurrences({ frequency: 'weekly', start_date: '2027-03-21', end_date: '2027-04-04', time_of_day: '10:00' }, ZONE)];
    expect(weekly.map((start) => start.toISO())).toEqual([
      '2027-03-21T10:00:00.000+02:00',
      '2027-03-28T10:00:00.000+03:00',
      '2027-04-04T10:00:00.000+03:00',
    ]);
    const monthly = [...seriesOccurrences({ frequency: 'monthly', start_date: '2027-01-31', end_date: '2027-03-31', time_of_day: '18:30' }, ZONE)];
    expect(monthly.map((start) => start.toISODate())).toEqual(['2027-01-31', '2027-02-28', '2027-03-31']);
  });

  it('is materialized by the job runner; collisions are reported to the therapist once, not dropped', async () => {
    const [series] = await sql<{ id: string }>(
      node.platform,
      `INSERT INTO recurring_appointments (client_id, therapist_id, appointment_type_id, frequency, day_of_week, time_of_day, session_type, start_date)
       VALUES (:client, :therapist, :type, 'weekly', :dow, '10:00', 'online', :start) RETURNING id`,
      { client: client.id, therapist: therapist.id, type: type50, dow: at(firstDate, '10:00').weekday % 7, start: firstDate },
    );
    // Week 2 falls on a closed day; week 3 is already taken by another client.
    await api('PUT', `/therapists/${therapist.id}/availability/exceptions`, { token: therapist.token, body: { date: at(firstDate, '10:00', 7).toISODate(), reason: 'Συνέδριο' } });
    await sql(
      node.platform,
      `INSERT INTO appointments (client_id, therapist_id, scheduled_start, scheduled_end, status) VALUES (:other, :therapist, :start, :end, 'confirmed') RETURNING id`,
      { other: other.id, therapist: therapist.id, start: at(firstDate, '10:00', 14).toJSDate(), end: at(firstDate, '10:50', 14).toJSDate() },
    );

    await node.platform.jobs.runNow(jobNames.materializeSeries);
    const view = await api('GET', `/recurring-appointments/${series!.id}`, { token: therapist.token });
    expect(view.status).toBe(200);
    expect(view.body.appointments.map((appointment: { scheduledStart: string }) => appointment.scheduledStart)).toEqual([
      at(firstDate, '10:00').toISO({ suppressMilliseconds: true }),
      at(firstDate, '10:00', 21).toISO({ suppressMilliseconds: true }),
    ]);
    // The client's own series, with a therapist who confirms each booking: requested, as a single booking would be.
    expect(view.body.appointments.every((appointment: { status: string }) => appointment.status === 'requested')).toBe(true);
    expect(view.body.conflicts).toEqual([
      { occurrenceStart: at(firstDate, '10:00', 7).toISO({ suppressMilliseconds: true }), reason: 'exception' },
      { occurrenceStart: at(firstDate, '10:00', 14).toISO({ suppressMilliseconds: true }), reason: 'overlap' },
    ]);
    const notices = await sql<{ type: string }>(node.platform, `SELECT type FROM notifications WHERE user_id = :id AND type = 'appointment.series_conflict'`, { id: therapist.id });
    expect(notices).toHaveLength(2);
    const emails = await sql(node.platform, `SELECT 1 FROM email_queue WHERE template_name = 'series_conflict' AND dedupe_key LIKE :key`, { key: `series:${series!.id}:%` });
    expect(emails).toHaveLength(2);
    expect(conflictEvents.map((event) => event.reason).sort()).toEqual(['exception', 'overlap']);

    // A second run books nothing twice and reports nothing twice.
    await node.platform.jobs.runNow(jobNames.materializeSeries);
    expect((await api('GET', `/recurring-appointments/${series!.id}`, { token: therapist.token })).body.appointments).toHaveLength(2);
    expect(await sql(node.platform, `SELECT 1 FROM notifications WHERE user_id = :id AND type = 'appointment.series_conflict'`, { id: therapist.id })).toHaveLength(2);
    expect(conflictEvents).toHaveLength(2);

    // Cancel one occurrence: it stays cancelled, the job does not book it again.
    const [first, last] = view.body.appointments as Array<{ id: string; scheduledStart: string }>;
    const cancelled = await api('POST', `/appointments/${first!.id}/cancel`, { token: client.token, body: { reason: 'Άρρωστος' } });
    expect(cancelled.body.status).toBe('cancelled');
    await node.platform.jobs.runNow(jobNames.materializeSeries);
    const afterOne = await api('GET', `/recurring-appointments/${series!.id}`, { token: client.token });
    expect(afterOne.body.appointments.map((appointment: { status: string }) => appointment.status)).toEqual(['cancelled', 'requested']);

    // Cancel the rest: from the last occurrence on.
    const rest = await api('POST', `/recurring-appointments/${series!.id}/cancel`, { token: therapist.token, body: { from: last!.scheduledStart, reason: 'Τέλος θεραπείας' } });
    expect(rest.status).toBe(200);
    expect(rest.body.appointments.map((appointment: { status: string }) => appointment.status)).toEqual(['cancelled', 'cancelled']);
    expect(rest.body.endDate).toBe(at(firstDate, '10:00', 20).toISODate());
    expect(await sql(node.platform, `SELECT 1 FROM email_queue WHERE status = 'pending' AND dedupe_key LIKE :key`, { key: `appointment:${last!.id}:reminder:%` })).toEqual([]);
  });

  it('is created through the API biweekly or monthly, by a client or by the therapist', async () => {
    const biweekly = await api('POST', '/recurring-appointments', {
      token: client.token,
      body: { therapistId: therapist.id, appointmentTypeId: type50, frequency: 'biweekly', startDate: firstDate, time: '15:00' },
    });
    expect(biweekly.status, JSON.stringify(biweekly.body)).toBe(201);
    expect(biweekly.body.appointments.map((appointment: { scheduledStart: string }) => appointment.scheduledStart)).toEqual([
      at(firstDate, '15:00').toISO({ suppressMilliseconds: true }),
      at(firstDate, '15:00', 14).toISO({ suppressMilliseconds: true }),
    ]);
    const monthly = await api('POST', '/recurring-appointments', {
      token: therapist.token,
      body: { clientId: other.id, appointmentTypeId: type50, frequency: 'monthly', startDate: firstDate, time: '17:00' },
    });
    expect(monthly.status).toBe(201);
    expect(monthly.body.appointments).toHaveLength(1);
    const missingClient = await api('POST', '/recurring-appointments', {
      token: therapist.token,
      body: { appointmentTypeId: type50, frequency: 'weekly', startDate: firstDate, time: '17:00' },
    });
    expect(missingClient.status).toBe(400);
    expect((await api('GET', `/recurring-appointments/${monthly.body.id}`, { token: client.token })).status).toBe(404);
  });
});
