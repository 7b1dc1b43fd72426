import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, type ApiRequest } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { createAccounts, createAppointmentType, createListedTherapist, everyDay, sql, type Account } from '../../support/scheduling.js';

describe('Idempotency-Key on a POST that creates something', () => {
  let node: TestPlatform;
  let api: ApiRequest;
  let therapist: Account;
  let clients: Account[];
  let type50: string;
  let slots: string[];

  beforeAll(async () => {
    node = await startTestPlatform();
    api = apiClient(node.url);
    const [admin] = await createAccounts(node.platform, 'super_admin', 1);
    type50 = await createAppointmentType(api, admin!);
    therapist = await createListedTherapist(api, node.platform, admin!, { templates: everyDay('08:00', '20:00') });
    clients = await createAccounts(node.platform, 'client', 3);
    const from = new Date(Date.now() + 48 * 3600_000).toISOString();
    const to = new Date(Date.now() + 7 * 24 * 3600_000).toISOString();
    const response = await api('GET', `/therapists/${therapist.id}/slots?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&type=${type50}`);
    slots = (response.body.slots as Array<{ start: string }>).map((slot) => slot.start);
  });
  afterAll(() => node?.close());

  const book = (client: Account, start: string, key?: string) =>
    api('POST', '/appointments', { token: client.token, headers: key ? { 'idempotency-key': key } : {}, body: { therapistId: therapist.id, appointmentTypeId: type50, start } });
  const appointmentsOf = async (client: Account) => (await sql(node.platform, `SELECT id FROM appointments WHERE client_id = :id`, { id: client.id })).length;

  it('answers a retried booking with the same appointment, not a 409 against the client’s own booking', async () => {
    const first = await book(clients[0]!, slots[0]!, 'booking-retry-1');
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const retry = await book(clients[0]!, slots[0]!, 'booking-retry-1');
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(await appointmentsOf(clients[0]!)).toBe(1);
    // Without the key the same request is new work, refused against the slot the first one took.
    expect((await book(clients[0]!, slots[0]!)).body.error.code).toBe('SLOT_TAKEN');
  });

  it('runs the work once when retries race the first request', async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, () => book(clients[1]!, slots[2]!, 'racing-retries')));
    expect(answers.map((answer) => answer.status)).toEqual(Array(6).fill(201));
    expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1);
    expect(answers.filter((answer) => answer.headers.get('idempotent-replayed') !== 'true')).toHaveLength(1);
    expect(await appointmentsOf(clients[1]!)).toBe(1);
  });

  it('replays a refusal too, refuses a key reused for other work, and keeps keys per account', async () => {
    const refused = await book(clients[2]!, slots[0]!, 'taken-slot');
    expect(refused.body.error.code).toBe('SLOT_TAKEN');
    expect((await book(clients[2]!, slots[0]!, 'taken-slot')).body).toEqual(refused.body);

    const reused = await book(clients[2]!, slots[4]!, 'taken-slot');
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await appointmentsOf(clients[2]!)).toBe(0);

    // Another account's request with the same key is its own.
    const other = await book(clients[2]!, slots[4]!, 'booking-retry-1');
    expect(other.status).toBe(201);
    expect(other.headers.get('idempotent-replayed')).toBeNull();

    expect((await book(clients[2]!, slots[6]!, 'x'.repeat(256))).status).toBe(400);
  });
});
