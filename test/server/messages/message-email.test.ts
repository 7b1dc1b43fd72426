import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingEmail } from '@therapy-field/server';
import type { PresenceStatus } from '@therapy-field/sync';
import { carePairs } from '../../support/clinical.js';
import { RecordingTransport } from '../../support/delivery.js';
import { apiClient, type ApiRequest } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { request } from '../../support/realtime.js';
import { sql, type Account } from '../../support/scheduling.js';
import { connectSocket, type ClientSocket } from '../../support/socket.js';
import { waitFor } from '../../support/wait.js';

const PUBLIC_URL = 'https://app.therapyfield.test';
const SECRET = 'Νιώθω πολύ άγχος πριν από κάθε συνεδρία';
// The names every test account carries: therapists sign up as Μαρία Παπαδοπούλου, clients are Νίκος Γεωργίου.
const THERAPIST_NAME = ['Μαρία', 'Παπαδοπούλου'];
const CLIENT_NAME = ['Νίκος', 'Γεωργίου'];
const NEW_MESSAGE_SUBJECTS = ['New message on Therapy Field', 'Νέο μήνυμα στο Therapy Field'];

describe('an email for a new message to a recipient with no device connected', () => {
  const transport = new RecordingTransport();
  let node: TestPlatform;
  let api: ApiRequest;
  let carePair: ReturnType<typeof carePairs>;
  const sockets: ClientSocket[] = [];

  const send = (from: Account, to: Account, body: string) => api('POST', `/conversations/${to.id}/messages`, { token: from.token, body: { body } });
  const newMessageEmailsTo = async (account: Account): Promise<OutgoingEmail[]> => {
    const [user] = await sql<{ email: string }>(node.platform, 'SELECT email FROM users WHERE id = :id', { id: account.id });
    return transport.emails.filter((email) => email.to === user!.email && NEW_MESSAGE_SUBJECTS.includes(email.subject));
  };
  /** How many messages the email notifier has decided on, by outcome. */
  const outcomes = async (): Promise<Record<string, number>> =>
    Object.fromEntries((await node.platform.metrics.messageEmails.get()).values.map((value) => [value.labels.outcome, value.value]));
  const decided = async () => Object.values(await outcomes()).reduce((sum, count) => sum + count, 0);
  const waitForDecisions = async (count: number) => waitFor(async () => (await decided()) >= count, 10_000, `${count} message email decisions`);
  const waitForPresence = (account: Account, status: PresenceStatus) =>
    waitFor(async () => (await node.platform.realtime.presenceOf([account.id]))[0]?.status === status, 10_000, `presence ${status}`);
  const connect = async (account: Account) => {
    const socket = await connectSocket(node.url, { token: account.token });
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    // Job runners poll every 0.5 s: a queued email is sent at once, not at the next minute's drain.
    node = await startTestPlatform({ PUBLIC_URL, JOBS_POLL_INTERVAL_SECONDS: '0.5' }, undefined, { emailTransport: transport, smsTransport: transport });
    api = apiClient(node.url);
    carePair = carePairs(node, api);
  });
  afterEach(() => {
    sockets.splice(0).forEach((socket) => socket.close());
  });
  afterAll(async () => {
    await node?.close();
  });

  it('emails an offline Greek recipient once, in Greek, with a link and neither the body nor the sender’s name', async () => {
    const { therapist, client } = await carePair();
    const sent = await send(therapist, client, SECRET);
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    await waitFor(async () => (await newMessageEmailsTo(client)).length === 1, 10_000, 'the new-message email sent');

    const [email] = await newMessageEmailsTo(client);
    expect(email!.subject).toBe('Νέο μήνυμα στο Therapy Field');
    expect(email!.text).toContain('Γεια σας Νίκος');
    expect(email!.text).toContain(PUBLIC_URL);
    expect(email!.html).toContain(PUBLIC_URL);
    for (const part of [email!.subject, email!.text, email!.html!]) {
      expect(part).not.toContain('άγχος');
      for (const name of THERAPIST_NAME) expect(part).not.toContain(name);
    }
    const queued = await sql<{ language: string; dedupe_key: string }>(node.platform, `SELECT language, dedupe_key FROM email_queue WHERE template_name = 'new_message' AND to_email = :to`, {
      to: email!.to,
    });
    expect(queued).toEqual([{ language: 'el', dedupe_key: expect.stringMatching(new RegExp(`^message:${client.id}:${therapist.id}:\\d{4}-\\d{2}-\\d{2}T\\d{2}$`)) }]);
    // The sender hears nothing of their own message.
    expect(await newMessageEmailsTo(therapist)).toEqual([]);
  });

  it('sends no second email for more messages from the same sender within the hour', async () => {
    const { therapist, client } = await carePair();
    const before = await outcomes();
    const decisions = await decided();
    for (const body of ['πρώτο', 'δεύτερο', 'τρίτο']) expect((await send(therapist, client, body)).status).toBe(201);
    await waitForDecisions(decisions + 3);
    await node.platform.delivery.drainOnce();

    expect(await newMessageEmailsTo(client)).toHaveLength(1);
    const after = await outcomes();
    expect((after.queued ?? 0) - (before.queued ?? 0)).toBe(1);
    expect((after.duplicate ?? 0) - (before.duplicate ?? 0)).toBe(2);
  });

  it('emails an English recipient in English', async () => {
    const { therapist, client } = await carePair();
    await sql(node.platform, `UPDATE user_profiles SET language = 'en' WHERE user_id = :id RETURNING user_id`, { id: therapist.id });
    expect((await send(client, therapist, SECRET)).status).toBe(201);
    await waitFor(async () => (await newMessageEmailsTo(therapist)).length === 1, 10_000, 'the new-message email sent');

    const [email] = await newMessageEmailsTo(therapist);
    expect(email!.subject).toBe('New message on Therapy Field');
    expect(email!.text).toContain('Hello Μαρία');
    expect(email!.text).toContain(PUBLIC_URL);
    for (const part of [email!.subject, email!.text, email!.html!]) {
      expect(part).not.toContain('άγχος');
      for (const name of CLIENT_NAME) expect(part).not.toContain(name);
    }
  });

  it('sends nothing to a recipient who turned message emails off in their profile', async () => {
    const { therapist, client } = await carePair();
    const turnedOff = await api('PATCH', '/me', { token: client.token, body: { emailNewMessages: false } });
    expect(turnedOff.status, JSON.stringify(turnedOff.body)).toBe(200);
    expect(turnedOff.body.profile).toMatchObject({ emailNewMessages: false, emailReminders: true });
    const before = (await outcomes()).opted_out ?? 0;
    expect((await send(therapist, client, SECRET)).status).toBe(201);
    await waitFor(async () => ((await outcomes()).opted_out ?? 0) === before + 1, 10_000, 'the opted-out decision');
    expect(await sql(node.platform, 'SELECT 1 FROM email_queue WHERE user_id = :id AND template_name = :template', { id: client.id, template: 'new_message' })).toEqual([]);
  });

  it('sends nothing while the recipient has a device online or away, and emails once they are gone', async () => {
    const { therapist, client } = await carePair();
    const socket = await connect(client);
    await waitForPresence(client, 'online');
    const before = await outcomes();
    let decisions = await decided();
    expect((await send(therapist, client, 'είστε εδώ;')).status).toBe(201);
    await waitForDecisions(decisions + 1);

    expect(await request(socket, 'presence.set', { status: 'away' })).toMatchObject({ ok: true, data: { status: 'away' } });
    decisions = await decided();
    expect((await send(therapist, client, 'ακόμα εδώ;')).status).toBe(201);
    await waitForDecisions(decisions + 1);
    await node.platform.delivery.drainOnce();
    expect(await newMessageEmailsTo(client)).toEqual([]);
    expect((await outcomes()).recipient_present! - (before.recipient_present ?? 0)).toBe(2);
    expect(await sql(node.platform, `SELECT 1 FROM email_queue WHERE dedupe_key LIKE :key`, { key: `message:${client.id}:%` })).toEqual([]);

    socket.close();
    await waitForPresence(client, 'offline');
    expect((await send(therapist, client, 'θα τα πούμε αύριο')).status).toBe(201);
    await waitFor(async () => (await newMessageEmailsTo(client)).length === 1, 10_000, 'the new-message email once the recipient left');
  });
});
