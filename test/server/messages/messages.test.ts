import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { carePairs } from '../../support/clinical.js';
import { apiClient, type ApiRequest } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { collectChanges } from '../../support/realtime.js';
import { createAccounts, sql, type Account } from '../../support/scheduling.js';
import { connectSocket, type ClientSocket } from '../../support/socket.js';
import { waitFor } from '../../support/wait.js';

const SECRET = 'Δεν κοιμήθηκα καθόλου μετά τη συνεδρία';

describe('secure messages between a client and their therapist (REST)', () => {
  let node: TestPlatform;
  let api: ApiRequest;
  let therapist: Account;
  let client: Account;
  let stranger: Account;
  let carePair: ReturnType<typeof carePairs>;
  const sockets: ClientSocket[] = [];

  const send = (from: Account, to: Account, body: object) => api('POST', `/conversations/${to.id}/messages`, { token: from.token, body });
  const page = (who: Account, peer: Account, query = '') => api('GET', `/conversations/${peer.id}/messages${query}`, { token: who.token });

  beforeAll(async () => {
    node = await startTestPlatform();
    api = apiClient(node.url);
    carePair = carePairs(node, api);
    ({ therapist, client } = await carePair());
    [stranger] = (await createAccounts(node.platform, 'client', 1)) as [Account];
  });
  afterEach(() => {
    sockets.splice(0).forEach((socket) => socket.close());
  });
  afterAll(async () => {
    await node?.close();
  });

  it('a client and their therapist exchange messages; bodies are sealed at rest, and every write and read is audited', async () => {
    const sent = await send(client, therapist, { body: SECRET });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body).toEqual({ id: expect.any(String), senderId: client.id, recipientId: therapist.id, body: SECRET, createdAt: expect.any(String), readAt: null });
    const reply = await send(therapist, client, { body: 'Ας το συζητήσουμε την Πέμπτη.' });
    expect(reply.status).toBe(201);

    const forTherapist = await page(therapist, client);
    expect(forTherapist.status).toBe(200);
    expect(forTherapist.body.messages.map((message: { body: string }) => message.body)).toEqual(['Ας το συζητήσουμε την Πέμπτη.', SECRET]);
    expect(forTherapist.body.nextCursor).toBeNull();

    const [stored] = await sql<{ body: Buffer; encryption_key_id: string }>(node.platform, 'SELECT body, encryption_key_id FROM messages WHERE id = :id', { id: sent.body.id });
    expect(stored!.encryption_key_id).toBe(node.platform.cipher.currentKeyId);
    expect(stored!.body.toString('utf8')).not.toContain('κοιμήθηκα');
    expect(stored!.body.toString('latin1')).not.toContain(Buffer.from('κοιμήθηκα').toString('latin1'));
    expect(node.platform.cipher.decrypt(stored!.body)).toBe(SECRET);

    const audit = await sql<{ action: string; user_id: string }>(
      node.platform,
      `SELECT action, user_id FROM audit_logs WHERE entity_id = :id AND action LIKE 'message.%' ORDER BY performed_at, id`,
      { id: sent.body.id },
    );
    // Written once by its sender; read only by the two parties (the REST answers and each party's live change).
    expect(audit.filter((row) => row.action === 'message.write')).toEqual([{ action: 'message.write', user_id: client.id }]);
    const readers = new Set(audit.filter((row) => row.action === 'message.read').map((row) => row.user_id));
    expect(readers.has(therapist.id)).toBe(true);
    expect([...readers].every((reader) => [client.id, therapist.id].includes(reader))).toBe(true);
    const [trigger] = await sql<{ new_values: Record<string, unknown> }>(node.platform, `SELECT new_values FROM audit_logs WHERE entity_id = :id AND action = 'INSERT'`, { id: sent.body.id });
    expect(trigger!.new_values.body).toBe('[redacted]');

    const list = await api('GET', '/conversations', { token: therapist.token });
    expect(list.status).toBe(200);
    expect(list.body.conversations).toEqual([{ peerId: client.id, peerName: 'Νίκος Γεωργίου', lastMessageAt: reply.body.createdAt, unreadCount: 1 }]);
    expect(JSON.stringify(list.body)).not.toContain('κοιμήθηκα');
  });

  it('tells the recipient a message arrived, in their language, without its body or sender’s words', async () => {
    const pair = await carePair();
    await sql(node.platform, `UPDATE user_profiles SET language = 'en' WHERE user_id = :id RETURNING user_id`, { id: pair.therapist.id });
    const sent = await send(pair.client, pair.therapist, { body: SECRET });
    expect(sent.status).toBe(201);
    const notices = () => sql<{ type: string; title: string; message: string; data: Record<string, string> }>(
      node.platform,
      `SELECT type, title, message, data FROM notifications WHERE user_id = :id AND type = 'message.sent'`,
      { id: pair.therapist.id },
    );
    await waitFor(async () => (await notices()).length === 1, 10_000, 'the new-message notification');
    const [notice] = await notices();
    expect(notice).toEqual({ type: 'message.sent', title: 'New message', message: 'You have a new message in your conversation.', data: { messageId: sent.body.id, senderId: pair.client.id } });
    // The sender is not notified of their own message.
    expect(await sql(node.platform, `SELECT 1 FROM notifications WHERE user_id = :id AND type = 'message.sent'`, { id: pair.client.id })).toEqual([]);
  });

  it("the client's GDPR export holds the messages they sent and received, decrypted", async () => {
    const pair = await carePair();
    const sent = await send(pair.client, pair.therapist, { body: SECRET });
    const received = await send(pair.therapist, pair.client, { body: 'Καλησπέρα' });
    const exported = await api('GET', '/me/export', { token: pair.client.token });
    expect(exported.status).toBe(200);
    const messages = exported.body.data.messages as Array<{ id: string; body: string }>;
    expect(messages.map((message) => [message.id, message.body]).sort()).toEqual([[sent.body.id, SECRET], [received.body.id, 'Καλησπέρα']].sort());
  });

  it('a stranger can neither message nor read, and the refusals carry stable codes', async () => {
    const refused = await send(stranger, therapist, { body: 'Γεια σας' });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('recipientId') });
    expect(await page(stranger, therapist)).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    expect(await page(stranger, client)).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    expect(await api('POST', `/conversations/${client.id}/read`, { token: stranger.token })).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    const [count] = await sql<{ count: string }>(node.platform, 'SELECT count(*) FROM messages WHERE sender_id = :id', { id: stranger.id });
    expect(Number(count!.count)).toBe(0);
    expect((await api('GET', '/conversations', { token: stranger.token })).body).toEqual({ conversations: [] });
  });

  it('refuses a blank or too long body, a future time, a bad cursor and a peer id that is not a uuid', async () => {
    expect(await send(client, therapist, { body: '   ' })).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
    expect(await send(client, therapist, { body: 'x'.repeat(5001) })).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
    const future = await send(client, therapist, { body: 'από το μέλλον', createdAt: new Date(Date.now() + 3 * 86_400_000).toISOString() });
    expect(future).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED', details: [{ path: 'createdAt' }] } } });
    expect(await page(client, therapist, '?cursor=nonsense')).toMatchObject({ status: 400, body: { error: { code: 'INVALID_CURSOR' } } });
    expect(await api('GET', '/conversations/not-a-uuid/messages', { token: client.token })).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
    expect(await api('GET', '/conversations')).toMatchObject({ status: 401 });
  });

  it('sending the same id twice stores one message; a different body under that id is a conflict', async () => {
    const pair = await carePair();
    const once = { id: randomUUID(), body: 'μία φορά', createdAt: new Date().toISOString() };
    const first = await send(pair.client, pair.therapist, once);
    expect(first.status).toBe(201);
    expect(await send(pair.client, pair.therapist, once)).toMatchObject({ status: 201, body: first.body });
    expect(await send(pair.client, pair.therapist, { ...once, body: 'άλλο κείμενο' })).toMatchObject({ status: 409, body: { error: { code: 'CONFLICT' } } });
    expect(await send(pair.therapist, pair.client, once)).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    const id = once.id;
    const [count] = await sql<{ count: string }>(node.platform, 'SELECT count(*) FROM messages WHERE id = :id', { id });
    expect(Number(count!.count)).toBe(1);
  });

  it('pages newest first with a cursor, one direction or the other, and never shows another pair’s messages', async () => {
    const pair = await carePair();
    const other = await carePair();
    const base = Date.now() - 60 * 60_000;
    for (let index = 0; index < 5; index += 1) {
      const [from, to] = index % 2 === 0 ? [pair.client, pair.therapist] : [pair.therapist, pair.client];
      expect((await send(from, to, { body: `μήνυμα ${index}`, createdAt: new Date(base + index * 60_000).toISOString() })).status).toBe(201);
    }
    expect((await send(other.client, other.therapist, { body: 'άλλο ζευγάρι' })).status).toBe(201);

    const first = await page(pair.client, pair.therapist, '?limit=2');
    expect(first.body.messages.map((message: { body: string }) => message.body)).toEqual(['μήνυμα 4', 'μήνυμα 3']);
    const second = await page(pair.client, pair.therapist, `?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.messages.map((message: { body: string }) => message.body)).toEqual(['μήνυμα 2', 'μήνυμα 1']);
    const third = await page(pair.client, pair.therapist, `?limit=2&cursor=${second.body.nextCursor}`);
    expect(third.body).toEqual({ messages: [expect.objectContaining({ body: 'μήνυμα 0' })], nextCursor: null });
    // The therapist of the other pair is not this client's therapist.
    expect(await page(pair.client, other.therapist)).toMatchObject({ status: 404 });
  });

  it("marking a conversation read sets read_at on the peer's messages and the sender's socket gets the receipt", async () => {
    const pair = await carePair();
    const sent = await send(pair.client, pair.therapist, { body: 'διαβάσατε;' });
    const mine = await send(pair.therapist, pair.client, { body: 'δικό μου' });
    const clientSocket = await connectSocket(node.url, { token: pair.client.token });
    sockets.push(clientSocket);
    const changes = collectChanges(clientSocket);

    const read = await api('POST', `/conversations/${pair.client.id}/read`, { token: pair.therapist.token });
    expect(read).toMatchObject({ status: 200, body: { updated: 1 } });
    const [row] = await sql<{ read_at: Date | null }>(node.platform, 'SELECT read_at FROM messages WHERE id = :id', { id: sent.body.id });
    expect(row!.read_at).toBeInstanceOf(Date);
    const [theirs] = await sql<{ read_at: Date | null }>(node.platform, 'SELECT read_at FROM messages WHERE id = :id', { id: mine.body.id });
    expect(theirs!.read_at).toBeNull();

    await waitFor(() => changes.some((change) => change.collection === 'messages' && change.recordId === sent.body.id && (change.data as { readAt?: string } | null)?.readAt != null), 10_000, 'read receipt on the socket');
    const receipt = changes.find((change) => change.recordId === sent.body.id && (change.data as { readAt?: string } | null)?.readAt);
    expect(receipt!.data).toMatchObject({ id: sent.body.id, body: 'διαβάσατε;', readAt: row!.read_at!.toISOString() });
    expect(await api('POST', `/conversations/${pair.client.id}/read`, { token: pair.therapist.token })).toMatchObject({ status: 200, body: { updated: 0 } });
    expect((await api('GET', '/conversations', { token: pair.therapist.token })).body.conversations[0]).toMatchObject({ peerId: pair.client.id, unreadCount: 0 });
  });
});
