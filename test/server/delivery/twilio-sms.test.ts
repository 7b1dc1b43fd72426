import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, createLogger, Database, DeliveryWorker, LogTransport, loadConfig, TwilioSmsTransport } from '@therapy-field/server';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { testDatabaseRoles } from '../../support/database-roles.js';

/**
 * Twilio cannot be reached from here: a local stand-in answers with the shapes of Twilio's
 * Messages API (201 with a message SID; errors as `{ code, message, status }`), and records what
 * it was sent.
 */
const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
const AUTH_TOKEN = 'test-auth-token';
const FROM = '+302101234567';

interface Received {
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  form: Record<string, string>;
}

const received: Received[] = [];
/** Answers queued per request, then 201. */
const answers: Array<{ status: number; body: object }> = [];
let stub: Server;
let apiUrl: string;
let testDatabase: TestDatabase;
let database: Database;

async function readForm(request: IncomingMessage): Promise<Record<string, string>> {
  let text = '';
  for await (const chunk of request) text += chunk;
  return Object.fromEntries(new URLSearchParams(text));
}

beforeAll(async () => {
  stub = createServer((request, response) => {
    void readForm(request).then((form) => {
      received.push({ path: request.url!, authorization: request.headers.authorization, contentType: request.headers['content-type'], form });
      const answer = answers.shift() ?? { status: 201, body: { sid: `SM${String(received.length).padStart(32, '0')}`, status: 'queued', to: form.To } };
      response.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
  });
  stub.listen(0, '127.0.0.1');
  await once(stub, 'listening');
  apiUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
  testDatabase = await createTestDatabase();
  database = await Database.create({ databaseUrl: testDatabase.url, dataDir: '.', embeddedPostgresPort: 0, databaseRoles: testDatabaseRoles }, createLogger('silent'));
});
afterAll(async () => {
  await database?.close();
  await testDatabase?.drop();
  stub?.close();
});

const sql = <T extends object>(query: string, replacements: Record<string, unknown> = {}) => database.owner.query<T>(query, { type: QueryTypes.SELECT, replacements });
const worker = () => {
  const transport = new TwilioSmsTransport({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM, apiUrl });
  return new DeliveryWorker({ sequelize: database.system, logger: createLogger('silent'), email: new LogTransport(createLogger('silent')), sms: transport, retryBaseSeconds: 30 });
};
const queueSms = async (dedupeKey: string, message: string) =>
  (await sql<{ id: string }>(`INSERT INTO sms_queue (to_phone, message, dedupe_key, next_attempt_at) VALUES ('+306900000001', :message, :dedupeKey, now()) RETURNING id`, { message, dedupeKey }))[0]!.id;

describe('SMS through Twilio (a local stand-in of its Messages API)', () => {
  it('sends the queued message as Twilio expects it and keeps the provider and its message id', async () => {
    const id = await queueSms('twilio:sent', 'Υπενθύμιση: συνεδρία αύριο στις 10:00');
    expect(await worker().drainOnce()).toEqual({ sent: 1, failed: 0 });
    const request = received.at(-1)!;
    expect(request.path).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
    expect(request.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`);
    expect(request.contentType).toBe('application/x-www-form-urlencoded');
    expect(request.form).toEqual({ To: '+306900000001', From: FROM, Body: 'Υπενθύμιση: συνεδρία αύριο στις 10:00' });
    const [row] = await sql<{ status: string; provider: string; provider_message_id: string }>(`SELECT status, provider, provider_message_id FROM sms_queue WHERE id = :id`, { id });
    expect(row).toEqual({ status: 'sent', provider: 'twilio', provider_message_id: `SM${String(received.length).padStart(32, '0')}` });
  });

  it("records Twilio's refusal with its code and retries later, sending once it is accepted", async () => {
    const id = await queueSms('twilio:retried', 'Retry me');
    answers.push({ status: 503, body: { code: 20503, message: 'Service unavailable', status: 503 } });
    expect(await worker().drainOnce()).toEqual({ sent: 0, failed: 1 });
    const [failed] = await sql<{ status: string; attempts: number; last_error: string }>(`SELECT status, attempts, last_error FROM sms_queue WHERE id = :id`, { id });
    expect(failed).toEqual({ status: 'pending', attempts: 1, last_error: 'Twilio refused the SMS: HTTP 503, error 20503: Service unavailable' });
    expect(await worker().drainOnce(new Date(Date.now() + 3600_000))).toEqual({ sent: 1, failed: 0 });
    const [sent] = await sql<{ status: string; attempts: number }>(`SELECT status, attempts FROM sms_queue WHERE id = :id`, { id });
    expect(sent).toEqual({ status: 'sent', attempts: 2 });
  });

  it('sends through a messaging service when TWILIO_FROM names one, and the settings go together', async () => {
    const minimal = { JWT_SECRET: 'x'.repeat(32), ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}` };
    const service = `MG${'fedcba9876543210'.repeat(2)}`;
    const config = loadConfig({ ...minimal, TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_FROM: service, TWILIO_API_URL: apiUrl });
    expect(config.delivery.twilio).toEqual({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: service, apiUrl });
    await new TwilioSmsTransport(config.delivery.twilio!).sendSms({ id: 'x', to: '+306900000002', text: 'hi' });
    expect(received.at(-1)!.form).toEqual({ To: '+306900000002', MessagingServiceSid: service, Body: 'hi' });
    expect(loadConfig(minimal).delivery.twilio).toBeUndefined();
    expect(() => loadConfig({ ...minimal, TWILIO_ACCOUNT_SID: ACCOUNT_SID })).toThrow(ConfigError);
    expect(() => loadConfig({ ...minimal, TWILIO_ACCOUNT_SID: 'not-a-sid', TWILIO_AUTH_TOKEN: 't', TWILIO_FROM: FROM })).toThrow(/Twilio account SID/);
  });
});
