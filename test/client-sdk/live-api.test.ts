import { randomBytes } from 'node:crypto';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type PresenceState, type TherapyFieldClient } from '@therapy-field/client-sdk';
import { signUp, TEST_PASSWORD } from '../support/accounts.js';
import { createAppointment } from '../support/appointments.js';
import { apiClient } from '../support/http.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { waitFor } from '../support/wait.js';

/** `client.live`: the socket's events, rooms and presence without starting sync, against a real node. */
let node: TestPlatform;
const clients: TherapyFieldClient<never>[] = [];

beforeAll(async () => {
  node = await startTestPlatform();
}, 120_000);
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});
afterAll(async () => {
  await node?.close();
});

async function signedIn(role: 'client' | 'therapist') {
  const account = await signUp(apiClient(node.url), node.platform.database.owner, role);
  const client = await createClient({ url: node.url, storage: getRxStorageMemory(), collections: [], databaseName: `live${randomBytes(5).toString('hex')}` });
  clients.push(client);
  await client.auth.login(account.email, TEST_PASSWORD);
  return { account, client };
}

describe('live events, rooms and presence through the SDK', () => {
  it('delivers change events after live.connect() while sync never started, and sync.stop() leaves the socket open', async () => {
    const [patient, therapist] = await Promise.all([signedIn('client'), signedIn('therapist')]);
    const changes: string[] = [];
    patient.client.on('change', (change) => changes.push(`${change.collection}:${change.recordId}`));
    patient.client.live.connect();
    await waitFor(() => patient.client.live.connected, 10_000, 'the socket connected');

    const appointmentId = await createAppointment(node.platform.database.owner, { therapistId: therapist.account.id, clientId: patient.account.id, startsInMinutes: 60 });
    await waitFor(() => changes.includes(`appointments:${appointmentId}`), 15_000, 'the live change');
    expect(patient.client.sync.state.running).toBe(false);

    await patient.client.sync.stop();
    await waitFor(() => patient.client.live.connected, 10_000, 'still connected after sync.stop()');
  });

  it('joins a room the user may see (its events arrive, also after a reconnect) and refuses another therapist’s', async () => {
    const [patient, therapist, stranger] = await Promise.all([signedIn('client'), signedIn('therapist'), signedIn('therapist')]);
    const appointmentId = await createAppointment(node.platform.database.owner, { therapistId: therapist.account.id, clientId: patient.account.id, startsInMinutes: 3 * 24 * 60 });
    therapist.client.live.connect();
    stranger.client.live.connect();
    await waitFor(() => therapist.client.live.connected && stranger.client.live.connected, 10_000, 'both connected');
    await therapist.client.live.joinRoom({ type: 'therapist-schedule', id: therapist.account.id });
    await expect(stranger.client.live.joinRoom({ type: 'therapist-schedule', id: therapist.account.id })).rejects.toMatchObject({ code: 'ROOM_FORBIDDEN' });

    // Dropped by the network: the SDK reconnects and asks for the room again by itself.
    const reconnected = new Promise<void>((resolve) => {
      const off = therapist.client.on('connected', () => {
        off();
        resolve();
      });
    });
    (therapist.client.live.socket as unknown as { io: { engine: { close(): void } } }).io.engine.close();
    await reconnected;
    const room = `therapist-schedule:${therapist.account.id}`;
    const socketId = therapist.client.live.socket.id;
    await waitFor(async () => (await node.platform.realtime.io.in(room).fetchSockets()).some((socket) => socket.id === socketId), 10_000, 'back in the room');
    expect((await node.platform.realtime.io.in(room).fetchSockets()).map((socket) => socket.id)).toEqual([socketId]);

    // What the room carries reaches the app through client.on (hub events, not only the change stream).
    const seen: string[] = [];
    therapist.client.on('appointment', ({ name, appointment }) => seen.push(`${name}:${appointment.appointmentId}`));
    await patient.client.api.appointments.cancel(appointmentId, {});
    await waitFor(() => seen.includes(`appointment.cancelled:${appointmentId}`), 15_000, 'the cancellation in the schedule room');
  });

  it('tells who is online among the people one is in care with, as they come and go', async () => {
    const [patient, therapist] = await Promise.all([signedIn('client'), signedIn('therapist')]);
    await createAppointment(node.platform.database.owner, { therapistId: therapist.account.id, clientId: patient.account.id, startsInMinutes: 60 });
    patient.client.live.connect();
    await waitFor(() => patient.client.live.connected, 10_000, 'connected');
    const states: PresenceState[] = [];
    const watch = await patient.client.live.presence.watch([therapist.account.id], (state) => states.push(state));
    expect(watch.states.get(therapist.account.id)?.status).toBe('offline');

    therapist.client.live.connect();
    await waitFor(() => watch.states.get(therapist.account.id)?.status === 'online', 15_000, 'the therapist online');
    await therapist.client.live.presence.setAvailableNow(true);
    await waitFor(() => watch.states.get(therapist.account.id)?.availableNow === true, 15_000, 'available now');
    therapist.client.live.disconnect();
    await waitFor(() => watch.states.get(therapist.account.id)?.status === 'offline', 15_000, 'the therapist offline');
    watch.stop();
    expect(states.map((state) => state.status)).toContain('online');
  });
});
