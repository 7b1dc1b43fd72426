import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carePairs } from '../../support/clinical.js';
import { apiClient, type ApiRequest } from '../../support/http.js';
import { answersFor, assignMeasure, currentTemplates } from '../../support/measures.js';
import { jobNames } from '@therapy-field/server';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { sql, type Account } from '../../support/scheduling.js';
import { waitFor } from '../../support/wait.js';

/** A device answers offline and pushes when it can; a lost answer makes it push the same document again. */
describe('an answer written offline arrives once, however often the push is retried', () => {
  let node: TestPlatform;
  let api: ApiRequest;
  let therapist: Account;
  let client: Account;
  let assignmentId: string;
  let templateId: string;

  const push = (doc: Record<string, unknown>, write?: Record<string, unknown>) =>
    api('POST', '/sync/push', { token: client.token, body: { collection: 'measure_responses', rows: [{ newDocumentState: doc, ...(write ? { write } : {}) }] } });
  const rowsWithId = async (id: string) => Number((await sql<{ count: string }>(node.platform, 'SELECT count(*) FROM questionnaire_responses WHERE id = :id', { id }))[0]!.count);

  beforeAll(async () => {
    node = await startTestPlatform();
    api = apiClient(node.url);
    ({ therapist, client } = await carePairs(node, api)());
    assignmentId = (await assignMeasure(api, therapist, client.id, 'PHQ-9', { kind: 'before_session' })).id;
    templateId = (await currentTemplates(api, client))['PHQ-9'].id;
  });
  afterAll(async () => {
    await node?.close();
  });

  it('stores a retried push once, scores it, raises its alert and notifies once, and writes one audit row', async () => {
    // Answered on the device an hour ago, while offline; item 9 above 0 raises an alert.
    const doc = { id: randomUUID(), assignmentId, templateId, answers: answersFor('PHQ-9', 7, 2), comment: 'Γραμμένο χωρίς σύνδεση', completedAt: new Date(Date.now() - 3_600_000).toISOString(), _deleted: false };
    const write = { id: randomUUID(), device: randomUUID(), base: '', at: Date.now() };
    const first = await push(doc, write);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toEqual({ conflicts: [], rejected: [] });
    // The answer was lost on the way back: the device pushes the same write again, alone and in parallel.
    const retried = await push(doc, write);
    expect(retried.body).toEqual({ conflicts: [], rejected: [] });
    const parallel = await Promise.all([push(doc, write), push(doc, write), push(doc, write)]);
    for (const response of parallel) expect(response.body).toEqual({ conflicts: [], rejected: [] });
    // A push that does not say which write it repeats is answered with the stored, scored answer.
    const unnamed = await push(doc);
    expect(unnamed.body.conflicts).toEqual([expect.objectContaining({ id: doc.id, answers: doc.answers, score: 7 })]);

    expect(await rowsWithId(doc.id)).toBe(1);
    const [stored] = await sql<{ calculated_score: string; severity: string; completed_at: Date }>(node.platform, 'SELECT calculated_score, severity, completed_at FROM questionnaire_responses WHERE id = :id', { id: doc.id });
    expect({ score: Number(stored!.calculated_score), severity: stored!.severity }).toEqual({ score: 7, severity: 'mild' });
    expect(stored!.completed_at.toISOString()).toBe(doc.completedAt);
    expect(await sql(node.platform, 'SELECT 1 FROM measure_risk_alerts WHERE response_id = :id', { id: doc.id })).toHaveLength(1);
    await waitFor(
      async () => (await sql(node.platform, `SELECT 1 FROM notifications WHERE user_id = :id AND type = 'measure.risk_alert'`, { id: therapist.id })).length > 0,
      10_000,
      'the risk alert notification',
    );
    expect(await sql(node.platform, `SELECT 1 FROM notifications WHERE user_id = :id AND type = 'measure.risk_alert'`, { id: therapist.id })).toHaveLength(1);
    const writes = await sql(node.platform, `SELECT 1 FROM audit_logs WHERE action = 'measure_response.write' AND entity_id = :id`, { id: doc.id });
    expect(writes).toHaveLength(1);

    // The device pulls the stored answer back with the server's score; a changed answer under the same id is a conflict, never a change.
    const pulled = await api('POST', '/sync/pull', { token: client.token, body: { collection: 'measure_responses', checkpoint: null, limit: 50 } });
    expect(pulled.body.documents).toEqual([expect.objectContaining({ id: doc.id, answers: doc.answers, comment: doc.comment, score: 7, severity: 'mild', interpretation: 'mild_depression' })]);
    const changed = await push({ ...doc, answers: answersFor('PHQ-9', 0) });
    expect(changed.body.conflicts).toEqual([expect.objectContaining({ id: doc.id, score: 7 })]);
    expect((await api('GET', `/measures/responses/${doc.id}`, { token: client.token })).body.answers).toEqual(doc.answers);
  });

  it('tells the client once when a scheduled measure is due again, and not for one given once and answered', async () => {
    const weekly = await assignMeasure(api, therapist, client.id, 'WHO-5', { kind: 'every_n_weeks', weeks: 1 });
    const once = await assignMeasure(api, therapist, client.id, 'GAD-7');
    const templates = await currentTemplates(api, client);
    const eightDaysAgo = new Date(Date.now() - 8 * 86_400_000).toISOString();
    for (const [assignment, measure] of [[weekly, 'WHO-5'], [once, 'GAD-7']] as const) {
      const answered = await api('POST', '/measures/responses', {
        token: client.token,
        body: { assignmentId: assignment.id, templateId: templates[measure].id, answers: answersFor(measure, 13), completedAt: eightDaysAgo },
      });
      expect(answered.status, JSON.stringify(answered.body)).toBe(201);
    }
    // The assignment's own notice went out nine days ago; the weekly answer is eight days old.
    await sql(node.platform, `UPDATE measure_assignments SET due_notified_at = now() - interval '9 days' WHERE id IN (:ids) RETURNING id`, { ids: [weekly.id, once.id] });
    const dueNotices = () => sql<{ data: { assignmentId: string } }>(node.platform, `SELECT data FROM notifications WHERE user_id = :id AND type = 'measure.due'`, { id: client.id });

    await node.platform.jobs.runNow(jobNames.notifyDueMeasures);
    await waitFor(async () => (await dueNotices()).length > 0, 10_000, 'the due notice');
    await node.platform.jobs.runNow(jobNames.notifyDueMeasures);
    expect((await dueNotices()).map((row) => row.data.assignmentId)).toEqual([weekly.id]);
    const assigned = await api('GET', '/measures/assigned', { token: client.token });
    expect(assigned.body.find((item: { id: string }) => item.id === weekly.id)).toMatchObject({ due: true });
    expect(assigned.body.find((item: { id: string }) => item.id === once.id)).toMatchObject({ due: false });
  });

  it('treats the REST answer the same way: the same id sent again is the same answer', async () => {
    const id = randomUUID();
    const body = { id, assignmentId, templateId, answers: answersFor('PHQ-9', 3) };
    const first = await api('POST', '/measures/responses', { token: client.token, body });
    const again = await api('POST', '/measures/responses', { token: client.token, body });
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body).toEqual(first.body);
    expect(await rowsWithId(id)).toBe(1);
    const different = await api('POST', '/measures/responses', { token: client.token, body: { ...body, answers: answersFor('PHQ-9', 4) } });
    expect(different).toMatchObject({ status: 409, body: { error: { code: 'CONFLICT' } } });
  });
});
