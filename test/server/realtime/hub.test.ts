import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runAsSystem } from '@therapy-field/server';
import type { AppointmentEvent } from '@therapy-field/sync';
import { signUp } from '../../support/accounts.js';
import { apiClient, type ApiRequest } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { collectChanges, insertAppointment, insertNotification, request } from '../../support/realtime.js';
import { connectSocket, type ClientSocket } from '../../support/socket.js';
import { waitFor } from '../../support/wait.js';
import { moodEntry } from '../../sync/sync-fixtures.js';

type Account = Awaited<ReturnType<typeof signUp>>;

let node: TestPlatform;
let api: ApiRequest;
let client: Account;
let therapist: Account;
let stranger: Account;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  node = await startTestPlatform({ SOCKET_EVENTS_PER_SECOND: '50', SOCKET_MAX_EVENT_BYTES: '2048' });
  api = apiClient(node.url);
  const sequelize = node.platform.database.owner;
  client = await signUp(api, sequelize, 'client');
  therapist = await signUp(api, sequelize, 'therapist');
  stranger = await signUp(api, sequelize, 'client');
  await sequelize.query(`UPDATE user_profiles SET language = 'en' WHERE user_id = :id`, { replacements: { id: therapist.id } });
});
afterEach(() => sockets.splice(0).forEach((socket) => socket.close()));
afterAll(() => node?.close());

async function connect(user: Account, lastSeq?: number): Promise<ClientSocket> {
  const socket = await connectSocket(node.url, lastSeq === undefined ? { token: user.accessToken } : { token: user.accessToken, lastSeq });
  sockets.push(socket);
  return socket;
}

describe('change stream', () => {
  it('pushes a row written by plain SQL to the user, with the record as they may see it', async () => {
    const [clientSocket, therapistSocket] = [await connect(client), await connect(therapist)];
    const [clientChanges, therapistChanges] = [collectChanges(clientSocket), collectChanges(therapistSocket)];
    const appointmentId = await insertAppointment(node.platform.database.owner, client.id, therapist.id);
    await waitFor(() => clientChanges.some((c) => c.recordId === appointmentId) && therapistChanges.some((c) => c.recordId === appointmentId));
    const seen = therapistChanges.find((c) => c.recordId === appointmentId)!;
    expect(seen).toMatchObject({ collection: 'appointments', operation: 'upsert', data: { id: appointmentId, clientId: client.id, status: 'requested' } });
    expect(seen.data).not.toHaveProperty('therapistPrivateNotes');
  });

  it('replays what came after auth.lastSeq on connect, and answers changes.since for the caller only', async () => {
    const sequelize = node.platform.database.owner;
    const first = await connect(stranger);
    const live = collectChanges(first);
    await insertNotification(sequelize, stranger.id, 'one');
    await waitFor(() => live.length === 1);
    first.close();
    await insertNotification(sequelize, stranger.id, 'two');
    await insertNotification(sequelize, stranger.id, 'three');
    await waitFor(async () => (await node.platform.changes.changesSince(stranger.id, 0)).lastSeq >= live[0]!.seq + 2);

    const resumed = await connectSocket(node.url, { token: stranger.accessToken, lastSeq: live[0]!.seq });
    sockets.push(resumed);
    const replayed = collectChanges(resumed);
    await waitFor(() => replayed.length >= 2);
    expect(replayed.map((c) => (c.data as { message: string }).message)).toEqual(['two', 'three']);

    const since = await request(resumed, 'changes.since', { afterSeq: 0 });
    expect(since).toMatchObject({ ok: true, data: { resync: false } });
    const changes = since.ok ? since.data.changes : [];
    expect(changes.map((c) => c.seq)).toEqual(changes.map((_, index) => index + 1));
    expect(changes.every((c) => c.collection === 'notifications')).toBe(true);
  });

  it('tells a client older than the retention to resync', async () => {
    const sequelize = node.platform.database.owner;
    await insertNotification(sequelize, client.id, 'old');
    await node.platform.changes.sequenceNow();
    await sequelize.query(`UPDATE change_log SET created_at = now() - interval '90 days' WHERE recipient_id = :id`, { replacements: { id: client.id } });
    await node.platform.changes.pruneOlderThan(30);
    const socket = await connectSocket(node.url, { token: client.accessToken, lastSeq: 0 });
    sockets.push(socket);
    await new Promise<void>((resolve) => socket.once('resync', () => resolve()));
  });
});

describe('notifications', () => {
  it('turns an appointment event into a notification for each side, in their language', async () => {
    const appointmentId = await insertAppointment(node.platform.database.owner, client.id, therapist.id, 10);
    const event: AppointmentEvent = {
      appointmentId, therapistId: therapist.id, clientId: client.id, status: 'confirmed',
      scheduledStart: '2031-05-06T09:00:00+03:00', scheduledEnd: '2031-05-06T09:50:00+03:00', isOnline: true, actorId: therapist.id,
    };
    const therapistSocket = await connect(therapist);
    const pushed = collectChanges(therapistSocket);
    node.platform.events.publish('appointment.confirmed', event);
    await waitFor(() => pushed.some((c) => c.collection === 'notifications'));
    expect(pushed.find((c) => c.collection === 'notifications')!.data).toMatchObject({ type: 'appointment.confirmed', title: 'Appointment confirmed', isRead: false });
    expect((pushed.find((c) => c.collection === 'notifications')!.data as { message: string }).message).toContain('2031');

    const page = await api('GET', '/notifications?limit=50', { token: client.accessToken });
    const greek = page.body.notifications.find((n: { type: string }) => n.type === 'appointment.confirmed');
    expect(greek).toMatchObject({ title: 'Το ραντεβού σας επιβεβαιώθηκε' });
    expect(greek.message).toMatch(/Τρίτη|2031/);
  });

  it('pages history with a cursor, counts unread and marks read on the other devices live', async () => {
    const sequelize = node.platform.database.owner;
    const user = await signUp(api, sequelize, 'client');
    for (let index = 0; index < 5; index += 1) await insertNotification(sequelize, user.id, `n${index}`);
    const first = await api('GET', '/notifications?limit=2', { token: user.accessToken });
    const second = await api('GET', `/notifications?limit=2&cursor=${first.body.nextCursor}`, { token: user.accessToken });
    const third = await api('GET', `/notifications?limit=2&cursor=${second.body.nextCursor}`, { token: user.accessToken });
    const messages = [...first.body.notifications, ...second.body.notifications, ...third.body.notifications].map((n: { message: string }) => n.message);
    expect(messages).toEqual(['n4', 'n3', 'n2', 'n1', 'n0']);
    expect(third.body.nextCursor).toBeNull();
    expect((await api('GET', '/notifications?cursor=nope', { token: user.accessToken })).status).toBe(400);

    const [phone, laptop] = [await connect(user), await connect(user)];
    const onLaptop = collectChanges(laptop);
    expect(await request(phone, 'notifications.unreadCount', {})).toEqual({ ok: true, data: { count: 5 } });
    const target = first.body.notifications[0].id as string;
    expect(await request(phone, 'notifications.read', { id: target })).toMatchObject({ ok: true, data: { id: target, isRead: true } });
    await waitFor(() => onLaptop.some((c) => c.recordId === target && (c.data as { isRead: boolean }).isRead));
    expect((await api('POST', '/notifications/read-all', { token: user.accessToken })).body).toEqual({ updated: 4 });
    expect((await api('GET', '/notifications/unread-count', { token: user.accessToken })).body).toEqual({ count: 0 });
    await waitFor(() => new Set(onLaptop.filter((c) => (c.data as { isRead: boolean } | null)?.isRead).map((c) => c.recordId)).size === 5);
  });
});

describe('IDOR and authorization', () => {
  it('never lets a user read or mark another user\'s notification, or join their rooms', async () => {
    const victimNotification = await insertNotification(node.platform.database.owner, client.id, 'private');
    expect((await api('POST', `/notifications/${victimNotification}/read`, { token: stranger.accessToken })).status).toBe(404);
    const page = await api('GET', '/notifications?limit=100', { token: stranger.accessToken });
    expect(page.body.notifications.map((n: { id: string }) => n.id)).not.toContain(victimNotification);

    const socket = await connect(stranger);
    expect(await request(socket, 'notifications.read', { id: victimNotification })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const [row] = await node.platform.database.owner.query<{ is_read: boolean }>(`SELECT is_read FROM notifications WHERE id = '${victimNotification}'`, { type: 'SELECT' as never });
    expect(row!.is_read).toBe(false);

    const appointmentId = await insertAppointment(node.platform.database.owner, client.id, therapist.id, 20);
    for (const room of [
      { type: 'user', id: client.id },
      { type: 'therapist-schedule', id: therapist.id },
      { type: 'appointment', id: appointmentId },
      { type: 'business', id: client.id },
    ]) {
      expect(await request(socket, 'room.join', room)).toMatchObject({ ok: false, error: { code: 'ROOM_FORBIDDEN' } });
    }
    expect(await request(socket, 'typing', { peerId: therapist.id, typing: true })).toMatchObject({ ok: false, error: { code: 'NOT_RELATED' } });
    expect(await request(socket, 'presence.subscribe', { userIds: [therapist.id] })).toMatchObject({ ok: false, error: { code: 'NOT_RELATED' } });
    // A booking request, or a declined one, is no care relationship: no watching the therapist.
    const requested = await insertAppointment(node.platform.database.owner, stranger.id, therapist.id, 25);
    expect(await request(socket, 'presence.subscribe', { userIds: [therapist.id] })).toMatchObject({ ok: false, error: { code: 'NOT_RELATED' } });
    await node.platform.database.owner.query(`UPDATE appointments SET status = 'declined' WHERE id = :requested`, { replacements: { requested } });
    expect(await request(socket, 'presence.subscribe', { userIds: [therapist.id] })).toMatchObject({ ok: false, error: { code: 'NOT_RELATED' } });

    const participant = await connect(therapist);
    expect(await request(participant, 'room.join', { type: 'appointment', id: appointmentId })).toEqual({ ok: true, data: { room: `appointment:${appointmentId}` } });
    expect(await request(participant, 'room.join', { type: 'therapist-schedule', id: therapist.id })).toMatchObject({ ok: true });
    const rooms = await node.platform.realtime.io.in(`user:${stranger.id}`).fetchSockets();
    expect(rooms.flatMap((remote) => [...remote.rooms])).not.toContain(`user:${client.id}`);
  });

  it('never hands a record to another recipient of the same batched load', async () => {
    const sequelize = node.platform.database.owner;
    const [clientNotification, strangerNotification] = [await insertNotification(sequelize, client.id, 'mine'), await insertNotification(sequelize, stranger.id, 'mine')];
    const appointmentId = await insertAppointment(sequelize, client.id, therapist.id, 21);

    // Batched loads serve live delivery, which runs as the platform (tf_system): the loader itself must separate recipients.
    const loaded = await runAsSystem(() => node.platform.realtime.collections.load('notifications', [
      { recipientId: client.id, recordIds: [strangerNotification] },
      { recipientId: stranger.id, recordIds: [clientNotification] },
    ]));
    expect(loaded.get(client.id)?.get(strangerNotification)).toBeUndefined();
    expect(loaded.get(stranger.id)?.get(clientNotification)).toBeUndefined();
    const appointments = await runAsSystem(() => node.platform.realtime.collections.load('appointments', [
      { recipientId: stranger.id, recordIds: [appointmentId] },
      { recipientId: therapist.id, recordIds: [appointmentId] },
    ]));
    expect(appointments.get(stranger.id)?.get(appointmentId)).toBeUndefined();
    expect(appointments.get(therapist.id)?.get(appointmentId)).toMatchObject({ id: appointmentId, therapistId: therapist.id });

    // The same through live delivery: one transaction, so the sequencer numbers and delivers them together.
    const [clientSocket, strangerSocket] = [await connect(client), await connect(stranger)];
    const [clientChanges, strangerChanges] = [collectChanges(clientSocket), collectChanges(strangerSocket)];
    await sequelize.transaction((transaction) =>
      sequelize.query(
        `INSERT INTO change_log (recipient_id, collection, record_id, operation) VALUES
           (:client, 'notifications', :strangerNotification, 'upsert'), (:stranger, 'notifications', :clientNotification, 'upsert'),
           (:client, 'notifications', :clientNotification, 'upsert'), (:stranger, 'notifications', :strangerNotification, 'upsert'),
           (:stranger, 'appointments', :appointmentId, 'upsert')`,
        { transaction, replacements: { client: client.id, stranger: stranger.id, clientNotification, strangerNotification, appointmentId } },
      ),
    );
    await waitFor(() => clientChanges.length >= 2 && strangerChanges.length >= 3);
    const dataOf = (changes: typeof clientChanges, recordId: string) => changes.find((c) => c.recordId === recordId)!.data;
    expect(dataOf(clientChanges, strangerNotification)).toBeNull();
    expect(dataOf(strangerChanges, clientNotification)).toBeNull();
    expect(dataOf(strangerChanges, appointmentId)).toBeNull();
    expect(dataOf(clientChanges, clientNotification)).toMatchObject({ id: clientNotification, message: 'mine' });
    expect(dataOf(strangerChanges, strangerNotification)).toMatchObject({ id: strangerNotification, message: 'mine' });
  });

  it('answers bad, unknown, oversized and too many events with an error ack and keeps the socket up', async () => {
    const socket = await connect(stranger);
    expect(await request(socket, 'room.join', { type: 'appointment', id: 'not-a-uuid' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await request(socket, 'no.such.event' as never, {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_EVENT' } });
    expect(await request(socket, 'presence.subscribe', { userIds: Array(200).fill(therapist.id) })).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
    // A push of records is limited like its HTTP twin, not like a small event: 20 moods pass.
    const moods = Array.from({ length: 20 }, () => ({ newDocumentState: moodEntry({ notes: 'ένα μεγαλύτερο σημείωμα για τη μέρα' }) }));
    expect(JSON.stringify(moods).length).toBeGreaterThan(2048);
    expect(await request(socket, 'sync.push', { collection: 'mood_entries', rows: moods })).toMatchObject({ ok: true, data: { rejected: [] } });
    const burst = await Promise.all(Array.from({ length: 120 }, () => request(socket, 'notifications.unreadCount', {})));
    expect(burst.some((ack) => !ack.ok && ack.error.code === 'RATE_LIMITED')).toBe(true);
    expect(socket.connected).toBe(true);
  });
});

describe('presence and typing', () => {
  it('shows a therapist online and available to their client, and relays typing between them only', async () => {
    const appointmentId = await insertAppointment(node.platform.database.owner, client.id, therapist.id, 30);
    // A message thread (and so typing) needs a confirmed appointment, as messages do.
    await node.platform.database.owner.query(`UPDATE appointments SET status = 'confirmed' WHERE id = :appointmentId`, { replacements: { appointmentId } });
    const [clientSocket, therapistSocket] = [await connect(client), await connect(therapist)];
    const watched = await request(clientSocket, 'presence.subscribe', { userIds: [therapist.id] });
    expect(watched).toEqual({ ok: true, data: [{ userId: therapist.id, status: 'online', availableNow: false }] });
    const updates: unknown[] = [];
    clientSocket.on('presence', (state) => updates.push(state));
    await request(therapistSocket, 'presence.available', { availableNow: true });
    await waitFor(() => updates.some((state) => (state as { availableNow: boolean }).availableNow));
    expect(await request(clientSocket, 'presence.available', { availableNow: true })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    const typing = new Promise((resolve) => therapistSocket.once('typing', resolve));
    expect(await request(clientSocket, 'typing', { peerId: therapist.id, typing: true })).toEqual({ ok: true, data: null });
    expect(await typing).toEqual({ userId: client.id, typing: true });

    therapistSocket.close();
    await waitFor(() => updates.some((state) => (state as { status: string }).status === 'offline'));
  });
});

describe('operations', () => {
  it('serves Prometheus metrics and tells clients to reconnect elsewhere on shutdown', async () => {
    await connect(client);
    const metrics = await fetch(`${node.url}/metrics`).then((response) => response.text());
    expect(metrics).toMatch(/tf_socket_connections [1-9]/);
    for (const name of ['tf_socket_events_in_total', 'tf_change_delivery_lag_seconds_bucket', 'tf_change_log_backlog']) expect(metrics).toContain(name);

    const other = await startTestPlatform({}, node.database);
    const user = await signUp(apiClient(other.url), other.platform.database.owner);
    const socket = await connectSocket(other.url, { token: user.accessToken });
    const hint = new Promise((resolve) => socket.once('server.shutdown', resolve));
    const closed = other.close();
    expect(await hint).toMatchObject({ reconnectAfterMs: expect.any(Number) });
    await closed;
    socket.close();
  });

  it('asks for METRICS_TOKEN when one is set', async () => {
    const token = 'scraper-token-0123456789';
    const guarded = await startTestPlatform({ METRICS_TOKEN: token }, node.database);
    try {
      const scrape = (authorization?: string) => fetch(`${guarded.url}/metrics`, { headers: authorization ? { authorization } : {} });
      for (const refused of [await scrape(), await scrape('Bearer wrong-token-0123456789')]) {
        expect(refused.status).toBe(401);
        expect(await refused.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
      }
      const allowed = await scrape(`Bearer ${token}`);
      expect(allowed.status).toBe(200);
      expect(await allowed.text()).toContain('tf_socket_connections');
    } finally {
      await guarded.close();
    }
  });
});
