import type { PresenceState } from '@therapy-field/client-sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../support/accounts.js';
import { apiClient } from '../support/http.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { insertAppointment } from '../support/realtime.js';
import { waitFor } from '../support/wait.js';
import { Devices } from './devices.js';

let node: TestPlatform;
const devices = new Devices();

beforeAll(async () => {
  node = await startTestPlatform();
});
afterEach(() => devices.closeAll());
afterAll(() => node?.close());

describe('client.presence', () => {
  it('shows a therapist their client coming online and going away, renews the watch after a reconnect, and refuses strangers', async () => {
    const api = apiClient(node.url);
    const [therapist, client, stranger] = [await signUp(api, node.platform.database.owner, 'therapist'), await signUp(api, node.platform.database.owner), await signUp(api, node.platform.database.owner)];
    const appointmentId = await insertAppointment(node.platform.database.owner, client.id, therapist.id, 4);
    await node.platform.database.owner.query(`UPDATE appointments SET status = 'confirmed' WHERE id = :appointmentId`, { replacements: { appointmentId } });

    const dashboard = await devices.signedIn(node.url, therapist.email, ['notifications']);
    let connected = 0;
    dashboard.on('connected', () => void (connected += 1));
    dashboard.sync.start();
    await waitFor(() => connected === 1, 10_000, 'the dashboard on the socket');

    let latest: ReadonlyMap<string, PresenceState> = new Map();
    const errors: unknown[] = [];
    const stop = dashboard.presence.watch([client.id], (states) => void (latest = states), (error) => errors.push(error));
    await waitFor(() => latest.get(client.id)?.status === 'offline', 10_000, 'the client offline at first');

    const phone = await devices.signedIn(node.url, client.email, ['notifications']);
    phone.sync.start();
    await waitFor(() => latest.get(client.id)?.status === 'online', 10_000, 'the client online');

    // The server forgets the watch with the socket; the SDK asks again when it reconnects.
    await dashboard.sync.stop();
    await waitFor(() => latest.size === 0, 10_000, 'nothing known while the dashboard is offline');
    dashboard.sync.start();
    await waitFor(() => connected === 2 && latest.get(client.id)?.status === 'online', 10_000, 'the client online again after the reconnect');

    await phone.sync.stop();
    await waitFor(() => latest.get(client.id)?.status === 'offline', 10_000, 'the client gone');
    expect(errors).toEqual([]);
    stop();

    const refused: unknown[] = [];
    dashboard.presence.watch([stranger.id], () => undefined, (error) => refused.push(error));
    await waitFor(() => refused.length === 1, 10_000, 'the refusal');
    expect(refused[0]).toMatchObject({ code: 'NOT_RELATED' });
  });
});
