import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PresenceStatus, RiskAlert } from '@therapy-field/sync';
import { carePairs } from '../../support/clinical.js';
import { RecordingTransport } from '../../support/delivery.js';
import { apiClient, type ApiRequest } from '../../support/http.js';
import { answersFor, assignMeasure, currentTemplates } from '../../support/measures.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { collectChanges, request } from '../../support/realtime.js';
import { createAccounts, sql, type Account } from '../../support/scheduling.js';
import { connectSocket, type ClientSocket } from '../../support/socket.js';
import { waitFor } from '../../support/wait.js';

const PUBLIC_URL = 'https://app.therapyfield.test';
const RISK_SUBJECTS = ['Risk alert: a client’s questionnaire answers need your attention', 'Ειδοποίηση κινδύνου: οι απαντήσεις ενός πελάτη σε ερωτηματολόγιο χρειάζονται την προσοχή σας'];

describe('a risk alert reaches the assigning therapist at once, live or by email, and nobody else', () => {
  // A stand-in for SMTP, the one third party here: it records what the delivery worker sends.
  const transport = new RecordingTransport();
  let node: TestPlatform;
  let api: ApiRequest;
  let carePair: ReturnType<typeof carePairs>;
  let businessAdmin: Account;
  let superAdmin: Account;
  const sockets: ClientSocket[] = [];

  const emailOf = async (account: Account) => (await sql<{ email: string }>(node.platform, 'SELECT email FROM users WHERE id = :id', { id: account.id }))[0]!.email;
  const riskEmailsTo = async (account: Account) => {
    const email = await emailOf(account);
    return transport.emails.filter((sent) => sent.to === email && RISK_SUBJECTS.includes(sent.subject));
  };
  const connect = async (account: Account) => {
    const socket = await connectSocket(node.url, { token: account.token });
    sockets.push(socket);
    return socket;
  };
  const waitForPresence = (account: Account, status: PresenceStatus) =>
    waitFor(async () => (await node.platform.realtime.presenceOf([account.id]))[0]?.status === status, 10_000, `presence ${status}`);
  /** A care pair with a PHQ-9 given; `answer` stores the client's answers. */
  const phq9Pair = async () => {
    const { therapist, client } = await carePair();
    const assignment = await assignMeasure(api, therapist, client.id, 'PHQ-9');
    const templateId = (await currentTemplates(api, client))['PHQ-9'].id;
    const answer = async (answers: number[]) => {
      const response = await api('POST', '/measures/responses', { token: client.token, body: { assignmentId: assignment.id, templateId, answers } });
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      return response.body as { id: string };
    };
    return { therapist, client, answer };
  };

  beforeAll(async () => {
    node = await startTestPlatform({ PUBLIC_URL, JOBS_POLL_INTERVAL_SECONDS: '0.5' }, undefined, { emailTransport: transport, smsTransport: transport });
    api = apiClient(node.url);
    carePair = carePairs(node, api);
    [businessAdmin] = (await createAccounts(node.platform, 'business_admin', 1)) as [Account];
    [superAdmin] = (await createAccounts(node.platform, 'super_admin', 1)) as [Account];
  });
  afterEach(() => {
    sockets.splice(0).forEach((socket) => socket.close());
  });
  afterAll(async () => {
    await node?.close();
  });

  it('tells an online therapist live (event and notification) when PHQ-9 item 9 is above 0, and emails nobody', async () => {
    const { therapist, client, answer } = await phq9Pair();
    const socket = await connect(therapist);
    // The client is an employee of a company whose admin watches the company's room.
    const [business] = await sql<{ id: string }>(node.platform, `INSERT INTO business_accounts (company_name, plan_type, status) VALUES ('Εταιρεία', 'professional', 'active') RETURNING id`);
    await sql(node.platform, `INSERT INTO business_admins (business_id, user_id, role) VALUES (:business, :admin, 'hr_admin') RETURNING user_id`, { business: business!.id, admin: businessAdmin.id });
    await sql(node.platform, `INSERT INTO business_employees (business_id, user_id, enrollment_status, therapy_sessions_limit) VALUES (:business, :client, 'active', 10) RETURNING id`, {
      business: business!.id,
      client: client.id,
    });
    const admins = [await connect(businessAdmin), await connect(superAdmin)];
    expect(await request(admins[0]!, 'room.join', { type: 'business', id: business!.id })).toMatchObject({ ok: true });
    const adminEvents: Array<{ name: string; payload: unknown }> = [];
    for (const admin of admins) admin.onAny((name, payload) => adminEvents.push({ name, payload }));
    const alerts: RiskAlert[] = [];
    socket.on('measure.risk_alert', (alert) => alerts.push(alert));
    const changes = collectChanges(socket);
    await waitForPresence(therapist, 'online');

    const stored = await answer(answersFor('PHQ-9', 3, 1));
    await waitFor(() => alerts.length === 1, 10_000, 'the live risk alert');
    expect(alerts[0]).toMatchObject({ clientId: client.id, responseId: stored.id, measure: 'PHQ-9', score: 3, severity: 'minimal', reasons: ['item:phq9_9'], acknowledgedAt: null });
    expect(alerts[0]).not.toHaveProperty('therapistId');
    await waitFor(() => changes.some((change) => change.collection === 'notifications' && (change.data as { type?: string })?.type === 'measure.risk_alert'), 10_000, 'the notification');
    const notification = changes.find((change) => change.collection === 'notifications')!.data as { title: string; message: string; data: Record<string, unknown> };
    expect(notification).toMatchObject({ title: 'Ειδοποίηση κινδύνου', data: { alertId: alerts[0]!.id, clientId: client.id, measure: 'PHQ-9' } });

    await node.platform.delivery.drainOnce();
    expect(await riskEmailsTo(therapist)).toEqual([]);
    expect(await sql(node.platform, `SELECT 1 FROM email_queue WHERE template_name = 'measure_risk_alert' AND user_id = :id`, { id: therapist.id })).toEqual([]);
    // Neither a company admin nor a platform admin hears of it, live or in their notifications.
    expect(adminEvents.filter(({ name }) => name !== 'changes.head')).toEqual([]);
    expect(await sql(node.platform, `SELECT 1 FROM notifications WHERE type = 'measure.risk_alert' AND user_id IN (:ids)`, { ids: [businessAdmin.id, superAdmin.id, client.id] })).toEqual([]);
  });

  it('emails an offline therapist once, naming neither the client nor the answers, and notifies them for later', async () => {
    const { therapist, answer } = await phq9Pair();
    const stored = await answer(answersFor('PHQ-9', 21));
    await waitFor(async () => (await riskEmailsTo(therapist)).length === 1, 15_000, 'the risk alert email');
    const [email] = await riskEmailsTo(therapist);
    expect(email!.subject).toBe(RISK_SUBJECTS[1]);
    expect(email!.text).toContain('PHQ-9');
    expect(email!.text).toContain(PUBLIC_URL);
    for (const part of [email!.subject, email!.text]) {
      expect(part).not.toContain('Νίκος');
      expect(part).not.toContain('21');
    }
    const [alert] = await sql<{ id: string; reasons: string[] }>(node.platform, 'SELECT id, reasons FROM measure_risk_alerts WHERE response_id = :id', { id: stored.id });
    expect(alert!.reasons).toEqual(['severity:severe']);
    await waitFor(
      async () => (await sql(node.platform, `SELECT 1 FROM notifications WHERE user_id = :id AND type = 'measure.risk_alert'`, { id: therapist.id })).length === 1,
      10_000,
      'the notification',
    );
    const list = await api('GET', '/measures/risk-alerts?unacknowledged=true', { token: therapist.token });
    expect(list.body.map((item: RiskAlert) => item.id)).toEqual([alert!.id]);
  });

  it('raises nothing for an answer below the severe band with item 9 at 0', async () => {
    const { therapist, answer } = await phq9Pair();
    const stored = await answer(answersFor('PHQ-9', 19));
    expect(await sql(node.platform, 'SELECT 1 FROM measure_risk_alerts WHERE response_id = :id', { id: stored.id })).toEqual([]);
    expect((await api('GET', '/measures/risk-alerts', { token: therapist.token })).body).toEqual([]);
  });

  it('records the therapist’s acknowledgement once; no one else may see or acknowledge the alert', async () => {
    const { therapist, answer } = await phq9Pair();
    const other = await carePair();
    const stored = await answer(answersFor('PHQ-9', 25));
    const [alert] = await sql<{ id: string }>(node.platform, 'SELECT id FROM measure_risk_alerts WHERE response_id = :id', { id: stored.id });

    expect((await api('POST', `/measures/risk-alerts/${alert!.id}/acknowledge`, { token: other.therapist.token })).status).toBe(404);
    for (const outsider of [businessAdmin, superAdmin, other.client]) {
      expect((await api('GET', '/measures/risk-alerts', { token: outsider.token })).status).toBe(403);
      expect((await api('POST', `/measures/risk-alerts/${alert!.id}/acknowledge`, { token: outsider.token })).status).toBe(403);
    }
    expect((await api('GET', '/measures/risk-alerts', { token: other.therapist.token })).body).toEqual([]);

    const acknowledged = await api('POST', `/measures/risk-alerts/${alert!.id}/acknowledge`, { token: therapist.token });
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body).toMatchObject({ id: alert!.id, acknowledgedBy: therapist.id, acknowledgedAt: expect.any(String) });
    const again = await api('POST', `/measures/risk-alerts/${alert!.id}/acknowledge`, { token: therapist.token });
    expect(again.body.acknowledgedAt).toBe(acknowledged.body.acknowledgedAt);
    expect((await api('GET', '/measures/risk-alerts?unacknowledged=true', { token: therapist.token })).body).toEqual([]);
    const audited = await sql<{ user_id: string; metadata: { change?: string } }>(
      node.platform,
      `SELECT user_id, metadata FROM audit_logs WHERE action = 'measure_risk_alert.write' AND entity_id = :id`,
      { id: alert!.id },
    );
    expect(audited).toEqual([{ user_id: therapist.id, metadata: { change: 'acknowledge' } }]);
  });
});
