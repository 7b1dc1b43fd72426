import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAsUser, type Platform } from '@therapy-field/server';
import { confirmAppointment, habitDefinition, habitLog, moodEntry, syncOverHttp } from '../../sync/sync-fixtures.js';
import { signUp } from '../../support/accounts.js';
import { apiClient, type ApiRequest } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { createAccounts, sql, type Account } from '../../support/scheduling.js';

/** A local Europe/Athens wall-clock time as the instant a device would record. */
const athens = (local: string) => DateTime.fromISO(local, { zone: 'Europe/Athens' }).toUTC().toISO()!;
const athensToday = () => DateTime.now().setZone('Europe/Athens').startOf('day');

/**
 * The client's March 2026 (clocks go forward on Sunday 29 March at 03:00): a low week, a good week,
 * the same again, then a bad week; the DST Sunday has entries at 00:30 and 23:30, and 00:30 on the
 * Monday after is still Monday although it is Sunday 21:30 UTC. Mood entries from 23 March are shared.
 */
function marchEntries() {
  const entries: Array<[string, number, number | null, boolean]> = [];
  [3, 4, 3, 4, 3, 4, 3].forEach((sleep, i) => entries.push([`2026-03-0${2 + i}T09:00`, 4, sleep, false]));
  [6, 7, 6, 7, 6, 7, 6].forEach((sleep, i) => entries.push([`2026-03-${String(9 + i).padStart(2, '0')}T09:00`, 6, sleep, false]));
  entries.push(['2026-03-16T08:00', 5, 6, false], ['2026-03-16T20:00', 7, 8, false]);
  for (let day = 17; day <= 22; day += 1) entries.push([`2026-03-${day}T09:00`, 6, 6, false]);
  for (let day = 23; day <= 28; day += 1) entries.push([`2026-03-${day}T09:00`, 3, 4, true]);
  entries.push(['2026-03-29T00:30', 1, 2, true], ['2026-03-29T23:30', 3, 2, true], ['2026-03-30T00:30', 9, 9, true], ['2026-03-30T12:00', 7, null, false]);
  return entries.map(([local, moodScore, sleepQuality, sharedWithTherapist]) => moodEntry({ recordedAt: athens(local), moodScore, sleepQuality, sharedWithTherapist, notes: null }));
}

type Day = [day: string, entries: number, average: number, volatility: number | null, week: number, previousWeek: number | null, trend: string, sleepCorrelation: number | null];
const asDays = (rows: Day[]) =>
  rows.map(([day, entries, averageMood, volatility, weekAverage, previousWeekAverage, trend, sleepCorrelation]) => ({
    day, entries, averageMood, volatility, weekAverage, previousWeekAverage, trend, sleepCorrelation,
  }));

// Worked out from marchEntries by hand and checked with a separate script: daily mean, sample standard
// deviation, mean of the daily means over the 7 calendar days ending on the day and the 7 before
// (rounded to 2 places), and Pearson's r of daily mood and daily sleep over the 30 days ending on the day.
const ownMarch = asDays([
  ['2026-03-16', 2, 6, 1.41, 6, 4.29, 'improving', 0.95],
  ['2026-03-17', 1, 6, null, 6, 4.57, 'improving', 0.95],
  ['2026-03-18', 1, 6, null, 6, 4.86, 'improving', 0.95],
  ['2026-03-19', 1, 6, null, 6, 5.14, 'improving', 0.95],
  ['2026-03-20', 1, 6, null, 6, 5.43, 'improving', 0.95],
  ['2026-03-21', 1, 6, null, 6, 5.71, 'improving', 0.95],
  // The boundary: both weeks average exactly 6.
  ['2026-03-22', 1, 6, null, 6, 6, 'stable', 0.94],
  ['2026-03-23', 1, 3, null, 5.57, 6, 'declining', 0.91],
  ['2026-03-24', 1, 3, null, 5.14, 6, 'declining', 0.89],
  ['2026-03-25', 1, 3, null, 4.71, 6, 'declining', 0.88],
  ['2026-03-26', 1, 3, null, 4.29, 6, 'declining', 0.88],
  ['2026-03-27', 1, 3, null, 3.86, 6, 'declining', 0.87],
  ['2026-03-28', 1, 3, null, 3.43, 6, 'declining', 0.87],
  ['2026-03-29', 2, 2, 1.41, 2.86, 6, 'declining', 0.89],
  ['2026-03-30', 2, 8, 1.41, 3.57, 5.57, 'declining', 0.91],
]);
// Only the shared entries: no earlier week until 30 March, no sleep variation before 29 March.
const sharedMarch = asDays([
  ['2026-03-23', 1, 3, null, 3, null, 'stable', null],
  ['2026-03-24', 1, 3, null, 3, null, 'stable', null],
  ['2026-03-25', 1, 3, null, 3, null, 'stable', null],
  ['2026-03-26', 1, 3, null, 3, null, 'stable', null],
  ['2026-03-27', 1, 3, null, 3, null, 'stable', null],
  ['2026-03-28', 1, 3, null, 3, null, 'stable', null],
  ['2026-03-29', 2, 2, 1.41, 2.86, null, 'stable', 1],
  ['2026-03-30', 1, 9, null, 3.71, 3, 'improving', 0.98],
]);

describe('wellness insights', () => {
  let node: TestPlatform;
  let api: ApiRequest;
  let client: Account;
  let therapist: Account;
  const { push } = syncOverHttp(() => api);
  const march = '?from=2026-03-16&to=2026-03-30';
  const mine = (who: Account, query = march) => api('GET', `/me/insights${query}`, { token: who.token });
  const ofClient = (who: Account, clientId = client.id, query = march) => api('GET', `/clients/${clientId}/insights${query}`, { token: who.token });
  const pushed = async (who: Account, collection: string, docs: unknown[]) =>
    expect((await push(who.token, collection, docs.map((newDocumentState) => ({ newDocumentState })))).body).toEqual({ conflicts: [], rejected: [] });
  const audited = (platform: Platform, actorId: string, action: string) =>
    sql<{ entity_id: string }>(platform, `SELECT entity_id FROM audit_logs WHERE user_id = :actorId AND action = :action`, { actorId, action });

  const entries = marchEntries();
  const goalIds = { percentage: randomUUID(), milestone: randomUUID(), binary: randomUUID() };

  beforeAll(async () => {
    node = await startTestPlatform();
    api = apiClient(node.url);
    client = (await createAccounts(node.platform, 'client', 1))[0]!;
    const signedUp = await signUp(api, node.platform.database.owner, 'therapist');
    therapist = { id: signedUp.id, token: signedUp.accessToken };
    await confirmAppointment(node.platform.database.owner, client.id, therapist.id);
    await pushed(client, 'mood_entries', entries);
    const goal = { currentProgress: 0, milestones: [], isCompleted: false, _deleted: false };
    await pushed(client, 'goals', [
      { ...goal, id: goalIds.percentage, title: 'Τρέξιμο 5 χλμ', progressType: 'percentage', currentProgress: 40, sharedWithTherapist: true, targetDate: '2026-06-01' },
      { ...goal, id: goalIds.milestone, title: 'Νέα δουλειά', progressType: 'milestone', sharedWithTherapist: false, milestones: [{ title: 'CV', done: true }, { title: 'Αιτήσεις', done: false }, { title: 'Συνέντευξη', done: false }] },
      { ...goal, id: goalIds.binary, title: 'Ραντεβού με γιατρό', progressType: 'binary', isCompleted: true, completedAt: athens('2026-03-20T10:00'), sharedWithTherapist: true },
    ]);
  });
  afterAll(async () => {
    await node?.close();
  });

  it('gives the client daily averages, volatility, week-on-week trend and the 30-day mood–sleep correlation on Athens days across DST', async () => {
    const response = await mine(client);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.mood).toEqual({ from: '2026-03-16', to: '2026-03-30', timeZone: 'Europe/Athens', days: ownMarch });
    expect(response.body.scope).toBe('own');
    expect(response.body.goals).toEqual([
      { goalId: goalIds.percentage, title: 'Τρέξιμο 5 χλμ', progressType: 'percentage', percent: 40, milestonesDone: 0, milestonesTotal: 0, isCompleted: false, targetDate: '2026-06-01' },
      { goalId: goalIds.milestone, title: 'Νέα δουλειά', progressType: 'milestone', percent: 33.33, milestonesDone: 1, milestonesTotal: 3, isCompleted: false, targetDate: null },
      { goalId: goalIds.binary, title: 'Ραντεβού με γιατρό', progressType: 'binary', percent: 100, milestonesDone: 0, milestonesTotal: 0, isCompleted: true, targetDate: null },
    ]);
    expect(await audited(node.platform, client.id, 'wellness_insights.read')).toEqual([{ entity_id: client.id }]);
    expect((await audited(node.platform, client.id, 'goal.read')).length).toBeGreaterThanOrEqual(3);
  });

  it('keeps the daily rollups exact when an entry is edited, unshared or deleted', async () => {
    const [monday, mondayNoon] = entries.slice(-2);
    const change = (id: string, set: string) => sql(node.platform, `UPDATE mood_entries SET ${set} WHERE id = :id RETURNING id`, { id });
    await change(monday!.id, 'mood_score = 5');
    await change(mondayNoon!.id, 'deleted_at = now()');
    const days = (await mine(client, '?from=2026-03-30&to=2026-03-30')).body.mood.days;
    expect(days).toEqual([expect.objectContaining({ day: '2026-03-30', entries: 1, averageMood: 5, volatility: null })]);
    const rollups = await sql(node.platform, `SELECT scope, entry_count, mood_sum, sleep_count, sleep_sum FROM mood_daily_rollups WHERE user_id = :id AND day = '2026-03-30' ORDER BY scope`, { id: client.id });
    expect(rollups).toEqual([
      { scope: 'own', entry_count: 1, mood_sum: 5, sleep_count: 1, sleep_sum: 9 },
      { scope: 'shared', entry_count: 1, mood_sum: 5, sleep_count: 1, sleep_sum: 9 },
    ]);
    await change(monday!.id, 'shared_with_therapist = FALSE');
    expect((await ofClient(therapist, client.id, '?from=2026-03-30&to=2026-03-30')).body.mood.days).toEqual([]);
    // Back as it was, for the tests after this one.
    await change(monday!.id, 'mood_score = 9, shared_with_therapist = TRUE');
    await change(mondayNoon!.id, 'deleted_at = NULL');
    expect((await mine(client, '?from=2026-03-30&to=2026-03-30')).body.mood.days).toEqual([ownMarch.at(-1)]);
  });

  it('shows the therapist only what the client shares: shared entries and goals, never habits, audited', async () => {
    const readsBefore = (await audited(node.platform, therapist.id, 'wellness_insights.read')).length;
    const response = await ofClient(therapist);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.scope).toBe('shared');
    expect(response.body.mood.days).toEqual(sharedMarch);
    expect(response.body.goals.map((goal: { goalId: string }) => goal.goalId)).toEqual([goalIds.percentage, goalIds.binary]);
    expect(response.body.habits).toEqual([]);
    const reads = await audited(node.platform, therapist.id, 'wellness_insights.read');
    expect(reads).toHaveLength(readsBefore + 1);
    expect(new Set(reads.map((row) => row.entity_id))).toEqual(new Set([client.id]));
    expect(new Set((await audited(node.platform, therapist.id, 'goal.read')).map((row) => row.entity_id))).toEqual(new Set([goalIds.percentage, goalIds.binary]));
  });

  it('refuses other therapists, a therapist with only a requested appointment, companies, other clients and strangers', async () => {
    const stranger = await signUp(api, node.platform.database.owner, 'therapist');
    const requested = await signUp(api, node.platform.database.owner, 'therapist');
    await sql(node.platform, `INSERT INTO appointments (client_id, therapist_id, scheduled_start, scheduled_end, status) VALUES (:clientId, :therapistId, now() + interval '400 days', now() + interval '400 days 50 minutes', 'requested') RETURNING id`, { clientId: client.id, therapistId: requested.id });
    const [company] = await createAccounts(node.platform, 'business_admin', 1);
    const [otherClient] = await createAccounts(node.platform, 'client', 1);
    for (const who of [{ id: stranger.id, token: stranger.accessToken }, { id: requested.id, token: requested.accessToken }, company!, otherClient!]) {
      const refused = await ofClient(who);
      expect(refused.status).toBe(404);
      expect(refused.body.error.code).toBe('NOT_FOUND');
      expect(await audited(node.platform, who.id, 'access_denied')).toEqual([{ entity_id: client.id }]);
    }
    expect((await api('GET', `/clients/${client.id}/insights`)).status).toBe(401);
    expect((await mine(therapist)).status).toBe(403);
    // The rollups refuse what code might forget: another therapist reads no row, the client's therapist only the shared scope.
    const rowsSeenBy = (id: string) =>
      runAsUser({ id, role: 'therapist' }, () =>
        node.platform.database.sequelize.query<{ scope: string }>(`SELECT DISTINCT scope FROM mood_daily_rollups WHERE user_id = :clientId`, { type: QueryTypes.SELECT, replacements: { clientId: client.id } }),
      );
    expect(await rowsSeenBy(stranger.id)).toEqual([]);
    expect(await rowsSeenBy(therapist.id)).toEqual([{ scope: 'shared' }]);
  });

  it('refuses the therapist everything once the client withdraws sharing consent, and shows it again when given', async () => {
    expect((await api('POST', '/me/consents', { token: client.token, body: { kind: 'therapist_sharing', textVersion: 'v1' } })).status).toBe(201);
    expect((await api('POST', '/me/consents/therapist_sharing/withdraw', { token: client.token })).status).toBe(200);
    const refused = await ofClient(therapist);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('SHARING_WITHDRAWN');
    const rows = await runAsUser({ id: therapist.id, role: 'therapist' }, () =>
      node.platform.database.sequelize.query(`SELECT 1 FROM mood_daily_rollups WHERE user_id = :clientId`, { type: QueryTypes.SELECT, replacements: { clientId: client.id } }),
    );
    expect(rows).toEqual([]);
    expect((await mine(client)).body.mood.days).toEqual(ownMarch);
    expect((await api('POST', '/me/consents', { token: client.token, body: { kind: 'therapist_sharing', textVersion: 'v2' } })).status).toBe(201);
    expect((await ofClient(therapist)).body.mood.days).toEqual(sharedMarch);
  });

  it('counts habit streaks in the habit’s own periods: local days across the March DST change, ISO weeks across October’s', async () => {
    const walking = habitDefinition({ name: 'Περπάτημα', frequency: 'daily' });
    const yoga = habitDefinition({ name: 'Γιόγκα', frequency: 'weekly', targetCount: 2 });
    const reading = habitDefinition({ name: 'Διάβασμα', frequency: 'daily' });
    await pushed(client, 'habit_definitions', [walking, yoga, reading]);
    const log = (habit: { id: string }, local: string, completed = true) => habitLog(habit.id, { loggedAt: athens(local), completed, notes: null });
    const today = athensToday();
    await pushed(client, 'habit_logs', [
      // 10–12 March, a missed 13th (logged, not completed), then 25 March to 2 April at 00:30 every night: 9 days across the DST Sunday.
      ...['2026-03-10', '2026-03-11', '2026-03-12'].map((day) => log(walking, `${day}T00:30`)),
      log(walking, '2026-03-13T00:30', false),
      ...Array.from({ length: 9 }, (_, i) => log(walking, `${DateTime.fromISO('2026-03-25').plus({ days: i }).toISODate()}T00:30`)),
      // Twice a week: weeks of 12, 19 and 26 October (25 October, the Sunday clocks go back, at 23:30; Monday 26 at 00:30,
      // Sunday 22:30 UTC), then once in the week of 2 November, which does not count.
      log(yoga, '2026-10-13T10:00'), log(yoga, '2026-10-15T10:00'),
      log(yoga, '2026-10-20T10:00'), log(yoga, '2026-10-25T23:30'),
      log(yoga, '2026-10-26T00:30'), log(yoga, '2026-10-28T10:00'),
      log(yoga, '2026-11-03T10:00'),
      // Yesterday and the day before: today is still open, so the streak stands at 2.
      log(reading, `${today.minus({ days: 2 }).toISODate()}T12:00`), log(reading, `${today.minus({ days: 1 }).toISODate()}T12:00`),
    ]);
    const { habits } = (await mine(client)).body;
    expect(habits).toHaveLength(3);
    expect(habits).toEqual(expect.arrayContaining([
      expect.objectContaining({ habitId: walking.id, name: 'Περπάτημα', period: 'day', targetCount: 1, currentStreak: 0, longestStreak: 9, lastCompletedPeriod: '2026-04-02' }),
      expect.objectContaining({ habitId: yoga.id, name: 'Γιόγκα', period: 'week', targetCount: 2, currentStreak: 0, longestStreak: 3, lastCompletedPeriod: '2026-10-26' }),
      expect.objectContaining({ habitId: reading.id, name: 'Διάβασμα', period: 'day', targetCount: 1, currentStreak: 2, longestStreak: 2, lastCompletedPeriod: today.minus({ days: 1 }).toISODate() }),
    ]));
  });

  it('answers bad input with a 400', async () => {
    for (const query of ['?from=2026-03-30&to=2026-03-01', '?from=2026-13-01', '?from=2025-01-01&to=2026-03-01', '?days=3', '?from=0000-01-01&to=0000-01-02']) {
      const response = await mine(client, query);
      expect(response.status, query).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await api('GET', '/clients/not-a-uuid/insights', { token: therapist.token })).status).toBe(400);
  });
});
