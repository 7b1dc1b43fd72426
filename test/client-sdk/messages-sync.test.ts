import { randomUUID } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeEvent } from '@therapy-field/sync';
import { signUp } from '../support/accounts.js';
import { apiClient } from '../support/http.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { waitFor } from '../support/wait.js';
import { confirmAppointment } from '../sync/sync-fixtures.js';
import { Devices } from './devices.js';

let server: TestPlatform;
const devices = new Devices();
const sequelize = () => server.platform.database.owner;
const api = () => apiClient(server.url);

const message = (recipientId: string, body: string) => ({ id: randomUUID(), recipientId, body, createdAt: new Date().toISOString() });

beforeAll(async () => {
  server = await startTestPlatform();
});
afterEach(async () => {
  await devices.closeAll();
});
afterAll(async () => {
  await server?.close();
});

describe('messages through the SDK offline database', () => {
  it("a message written offline reaches the therapist's device through the live stream once back online, sealed on the server", async () => {
    const client = await signUp(api(), sequelize());
    const therapist = await signUp(api(), sequelize(), 'therapist');
    await confirmAppointment(sequelize(), client.id, therapist.id);

    const office = await devices.signedIn(server.url, therapist.email, ['messages']);
    const liveChanges: ChangeEvent[] = [];
    office.on('change', (change) => liveChanges.push(change));
    office.sync.start();
    await waitFor(() => office.sync.state.online, 10_000, 'therapist online');

    const phone = await devices.signedIn(server.url, client.email, ['messages']);
    phone.sync.start();
    await waitFor(() => phone.sync.state.online, 10_000, 'phone online');
    await phone.sync.stop();
    const written = message(therapist.id, 'Μπορούμε να μιλήσουμε πριν την Πέμπτη;');
    await phone.db.messages.insert(written);
    await waitFor(() => phone.sync.state.pendingPushes === 1, 10_000, 'one message pending while offline');
    expect(phone.sync.state.pendingIds).toEqual({ messages: [written.id] });
    const [stored] = await sequelize().query<{ count: string }>('SELECT count(*) FROM messages WHERE id = :id', { type: QueryTypes.SELECT, replacements: { id: written.id } });
    expect(Number(stored!.count)).toBe(0);

    phone.sync.start();
    await waitFor(async () => (await office.db.messages.findOne(written.id).exec()) !== null, 15_000, 'the message on the therapist device');
    const received = (await office.db.messages.findOne(written.id).exec())!.toJSON();
    expect(received).toMatchObject({ id: written.id, senderId: client.id, recipientId: therapist.id, body: written.body, readAt: null });
    expect(liveChanges.some((change) => change.collection === 'messages' && change.recordId === written.id)).toBe(true);
    await waitFor(() => phone.sync.state.pendingPushes === 0, 10_000, 'nothing pending');
    expect(phone.sync.state.pendingIds).toEqual({ messages: [] });
    expect(phone.sync.state.rejected).toEqual([]);

    const [row] = await sequelize().query<{ body: Buffer; sender_id: string }>('SELECT body, sender_id FROM messages WHERE id = :id', {
      type: QueryTypes.SELECT,
      replacements: { id: written.id },
    });
    expect(row!.sender_id).toBe(client.id);
    expect(row!.body.toString('utf8')).not.toContain('Πέμπτη');

    // The therapist reads the thread over REST: the receipt comes back to the phone's database.
    expect((await office.api.messages.markRead(client.id)).updated).toBe(1);
    await waitFor(async () => (await phone.db.messages.findOne(written.id).exec())?.readAt != null, 10_000, 'read receipt on the phone');
  });

  it('a message to a stranger comes back rejected with FORBIDDEN and a reason, and is not stored', async () => {
    const client = await signUp(api(), sequelize());
    const stranger = await signUp(api(), sequelize(), 'therapist');
    const phone = await devices.signedIn(server.url, client.email, ['messages']);
    const written = message(stranger.id, 'Γεια σας, θα ήθελα ένα ραντεβού');
    await phone.db.messages.insert(written);
    phone.sync.start();

    await waitFor(() => phone.sync.state.rejected.length === 1, 10_000, 'rejection reported');
    expect(phone.sync.state.rejected[0]).toMatchObject({ id: written.id, collection: 'messages', code: 'FORBIDDEN', reasons: [expect.stringContaining('recipientId')] });
    const [stored] = await sequelize().query<{ count: string }>('SELECT count(*) FROM messages WHERE sender_id = :id', { type: QueryTypes.SELECT, replacements: { id: client.id } });
    expect(Number(stored!.count)).toBe(0);
  });

  it('only the sender deletes a message; the other party then pulls it as a tombstone without its body', async () => {
    const client = await signUp(api(), sequelize());
    const therapist = await signUp(api(), sequelize(), 'therapist');
    await confirmAppointment(sequelize(), client.id, therapist.id);
    const phone = await devices.signedIn(server.url, client.email, ['messages']);
    const office = await devices.signedIn(server.url, therapist.email, ['messages']);
    const written = message(therapist.id, 'λάθος παραλήπτης');
    await phone.db.messages.insert(written);
    phone.sync.start();
    office.sync.start();
    await waitFor(async () => (await office.db.messages.findOne(written.id).exec()) !== null, 15_000, 'the message on the therapist device');

    await (await office.db.messages.findOne(written.id).exec())!.remove();
    await waitFor(() => office.sync.state.rejected.length === 1, 10_000, "the therapist's delete refused");
    expect(office.sync.state.rejected[0]).toMatchObject({ id: written.id, code: 'FORBIDDEN' });

    await (await phone.db.messages.findOne(written.id).exec())!.remove();
    await waitFor(async () => {
      const [row] = await sequelize().query<{ deleted_at: Date | null }>('SELECT deleted_at FROM messages WHERE id = :id', { type: QueryTypes.SELECT, replacements: { id: written.id } });
      return row?.deleted_at != null;
    }, 10_000, 'deleted on the server');
    const page = await office.api.sync.pull({ collection: 'messages', checkpoint: null, limit: 100 });
    expect(page.documents).toEqual([expect.objectContaining({ id: written.id, body: '', _deleted: true })]);
  });
});
