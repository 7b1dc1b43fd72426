import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, type ApiRequest } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { createAccounts, createAppointmentType, createListedTherapist, everyDay, sql, type Account } from '../../support/scheduling.js';

interface Slot {
  start: string;
  end: string;
}

const minutes = (slot: Slot) => (Date.parse(slot.end) - Date.parse(slot.start)) / 60_000;

describe('slots', () => {
  let node: TestPlatform;
  let api: ApiRequest;
  let admin: Account;
  let type50: string;
  let therapist: Account;

  const slots = async (therapistId: string, from: string, to: string, extra = ''): Promise<Slot[]> => {
    const response = await api('GET', `/therapists/${therapistId}/slots?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&type=${type50}${extra}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.slots;
  };

  beforeAll(async () => {
    node = await startTestPlatform();
    api = apiClient(node.url);
    admin = (await createAccounts(node.platform, 'super_admin', 1))[0]!;
    type50 = await createAppointmentType(api, admin, 50);
    therapist = await createListedTherapist(api, node.platform, admin, { templates: everyDay('09:00', '13:00') });
  });

  afterAll(async () => {
    await node?.close();
  });

  it('offers duration + buffer steps inside the weekly hours of a normal week, in Athens time', async () => {
    const week = await slots(therapist.id, '2027-03-08', '2027-03-14');
    expect(week).toHaveLength(7 * 4);
    expect(week.every((slot) => minutes(slot) === 50)).toBe(true);
    expect(week.every((slot) => slot.start.endsWith('+02:00'))).toBe(true);
    expect(week.slice(0, 4).map((slot) => slot.start)).toEqual([
      '2027-03-08T09:00:00+02:00',
      '2027-03-08T10:00:00+02:00',
      '2027-03-08T11:00:00+02:00',
      '2027-03-08T12:00:00+02:00',
    ]);
  });

  it('keeps wall-clock hours across the March change: the same slots, now at +03:00', async () => {
    const week = await slots(therapist.id, '2027-03-22', '2027-03-28');
    expect(week).toHaveLength(7 * 4);
    expect(week.every((slot) => minutes(slot) === 50)).toBe(true);
    const sunday = week.filter((slot) => slot.start.startsWith('2027-03-28'));
    expect(sunday.map((slot) => slot.start)).toEqual([
      '2027-03-28T09:00:00+03:00',
      '2027-03-28T10:00:00+03:00',
      '2027-03-28T11:00:00+03:00',
      '2027-03-28T12:00:00+03:00',
    ]);
    expect(week.filter((slot) => slot.start.endsWith('+02:00'))).toHaveLength(6 * 4);
  });

  it('keeps wall-clock hours across the October change: back to +02:00 on the last Sunday', async () => {
    const week = await slots(therapist.id, '2027-10-25', '2027-10-31');
    expect(week).toHaveLength(7 * 4);
    expect(week.every((slot) => minutes(slot) === 50)).toBe(true);
    expect(week.filter((slot) => slot.start.startsWith('2027-10-31')).map((slot) => slot.start)).toEqual([
      '2027-10-31T09:00:00+02:00',
      '2027-10-31T10:00:00+02:00',
      '2027-10-31T11:00:00+02:00',
      '2027-10-31T12:00:00+02:00',
    ]);
    expect(week.filter((slot) => slot.start.endsWith('+03:00'))).toHaveLength(6 * 4);
  });

  it('neither loses nor doubles a slot in hours that span the change itself', async () => {
    const night = await createListedTherapist(api, node.platform, admin, {
      templates: [{ dayOfWeek: 0, startTime: '01:00', endTime: '06:00', sessionType: 'online' }],
    });
    const march = await slots(night.id, '2027-03-28', '2027-03-28');
    expect(march.map((slot) => slot.start)).toEqual([
      '2027-03-28T01:00:00+02:00',
      '2027-03-28T02:00:00+02:00',
      '2027-03-28T04:00:00+03:00',
      '2027-03-28T05:00:00+03:00',
    ]);
    const october = await slots(night.id, '2027-10-31', '2027-10-31');
    expect(october.map((slot) => slot.start)).toEqual([
      '2027-10-31T01:00:00+03:00',
      '2027-10-31T02:00:00+03:00',
      '2027-10-31T03:00:00+03:00',
      '2027-10-31T03:00:00+02:00',
      '2027-10-31T04:00:00+02:00',
      '2027-10-31T05:00:00+02:00',
    ]);
    for (const slot of [...march, ...october]) expect(minutes(slot)).toBe(50);
    expect(new Set(october.map((slot) => Date.parse(slot.start))).size).toBe(october.length);
    expect(await slots(night.id, '2027-10-31', '2027-10-31', '&mode=in_person')).toEqual([]);
  });

  it('honours closed days, closed hours and extra hours', async () => {
    const put = (body: object) => api('PUT', `/therapists/${therapist.id}/availability/exceptions`, { token: therapist.token, body });
    expect((await put({ date: '2027-03-03', reason: 'Αργία' })).status).toBe(200);
    expect((await put({ date: '2027-03-04', startTime: '10:00', endTime: '11:00' })).status).toBe(200);
    expect((await put({ date: '2027-03-06', startTime: '15:00', endTime: '17:00', isAvailable: true })).status).toBe(200);
    const week = await slots(therapist.id, '2027-03-01', '2027-03-07');
    const on = (date: string) => week.filter((slot) => slot.start.startsWith(date)).map((slot) => slot.start.slice(11, 16));
    expect(on('2027-03-03')).toEqual([]);
    expect(on('2027-03-04')).toEqual(['09:00', '11:00', '12:00']);
    expect(on('2027-03-06')).toEqual(['09:00', '10:00', '11:00', '12:00', '15:00', '16:00']);
    expect(on('2027-03-05')).toHaveLength(4);

    expect((await api('DELETE', `/therapists/${therapist.id}/availability/exceptions/2027-03-03`, { token: therapist.token })).status).toBe(204);
    expect((await slots(therapist.id, '2027-03-03', '2027-03-03'))).toHaveLength(4);
    const invalid = await put({ date: '2027-03-05', startTime: '12:00' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('keeps the buffer free around booked appointments', async () => {
    const [client] = await createAccounts(node.platform, 'client', 1);
    await sql(
      node.platform,
      `INSERT INTO appointments (client_id, therapist_id, scheduled_start, scheduled_end, status)
       VALUES (:client, :therapist, '2027-03-09T09:00:00+02:00', '2027-03-09T09:55:00+02:00', 'confirmed') RETURNING id`,
      { client: client!.id, therapist: therapist.id },
    );
    const day = await slots(therapist.id, '2027-03-09', '2027-03-09');
    // 10:00 does not overlap 09:00–09:55, but lies inside its 10-minute buffer.
    expect(day.map((slot) => slot.start.slice(11, 16))).toEqual(['11:00', '12:00']);
  });

  it('honours minimum notice and the booking horizon', async () => {
    const strict = await createListedTherapist(api, node.platform, admin, {
      templates: everyDay('00:00', '23:59'),
      settings: { minNoticeMinutes: 720, bookingHorizonDays: 3 },
    });
    const now = Date.now();
    const from = new Date(now).toISOString();
    const to = new Date(now + 10 * 86_400_000).toISOString();
    const offered = await slots(strict.id, from, to);
    expect(offered.length).toBeGreaterThan(0);
    expect(Math.min(...offered.map((slot) => Date.parse(slot.start)))).toBeGreaterThanOrEqual(now + 720 * 60_000);
    expect(Math.max(...offered.map((slot) => Date.parse(slot.start)))).toBeLessThanOrEqual(now + 3 * 86_400_000 + 60_000);
  });

  it('rejects bad queries with field details and hides unlisted therapists', async () => {
    const bad = await api('GET', `/therapists/${therapist.id}/slots?from=yesterday&to=2027-03-01&type=${type50}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.some((detail: { path: string }) => detail.path === 'from')).toBe(true);
    const reversed = await api('GET', `/therapists/${therapist.id}/slots?from=2027-03-05&to=2027-03-01&type=${type50}`);
    expect(reversed.status).toBe(400);
    const tooLong = await api('GET', `/therapists/${therapist.id}/slots?from=2027-01-01&to=2027-12-31&type=${type50}`);
    expect(tooLong.status).toBe(400);
    const [client] = await createAccounts(node.platform, 'client', 1);
    expect((await api('GET', `/therapists/${client!.id}/slots?from=2027-03-01&to=2027-03-02&type=${type50}`)).status).toBe(404);
  });

  it('documents every scheduling route in OpenAPI', async () => {
    const spec = await api('GET', '/openapi.json');
    expect(Object.keys(spec.body.paths)).toEqual(
      expect.arrayContaining([
        '/therapists', '/therapists/{id}', '/therapists/{id}/slots', '/therapists/{id}/availability', '/appointments',
        '/appointments/{id}/confirm', '/appointments/{id}/reschedule', '/recurring-appointments/{id}/cancel', '/calendar/{file}', '/calendar-feed',
      ]),
    );
  });
});
