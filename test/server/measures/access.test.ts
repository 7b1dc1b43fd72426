import { randomUUID } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAsUser } from '@therapy-field/server';
import type { Role } from '@therapy-field/sync';
import { createClinicalCast, pastAppointments, type ClinicalCast } from '../../support/clinical.js';
import { apiClient, type ApiRequest } from '../../support/http.js';
import { answersFor, assignMeasure, currentTemplates } from '../../support/measures.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { sql, type Account } from '../../support/scheduling.js';

describe('measures: only the client and their consenting therapist, every read and write audited, RLS behind the code', () => {
  let node: TestPlatform;
  let api: ApiRequest;
  let cast: ClinicalCast;
  let assignmentId: string;
  let responseId: string;

  const auditRows = (actorId: string, action: string) =>
    sql<{ entity_id: string; metadata: Record<string, unknown> }>(node.platform, 'SELECT entity_id, metadata FROM audit_logs WHERE user_id = :actorId AND action = :action ORDER BY performed_at, id', {
      actorId,
      action,
    });
  /** What the app role shows `who` of a table, whatever the code would have asked. */
  const asUser = (who: Account, role: Role, query: string, replacements: Record<string, unknown> = {}) =>
    runAsUser({ id: who.id, role }, () => node.platform.database.sequelize.query<Record<string, unknown>>(query, { type: QueryTypes.SELECT, replacements }));

  beforeAll(async () => {
    node = await startTestPlatform();
    api = apiClient(node.url);
    cast = await createClinicalCast(node, api);
    await pastAppointments(node)(cast.therapist.id, cast.client.id);
    const assignment = await assignMeasure(api, cast.therapist, cast.client.id, 'GAD-7', { kind: 'every_n_weeks', weeks: 2 });
    assignmentId = assignment.id;
    const templateId = (await currentTemplates(api, cast.client))['GAD-7'].id;
    const answered = await api('POST', '/measures/responses', {
      token: cast.client.token,
      body: { assignmentId, templateId, answers: answersFor('GAD-7', 8), comment: 'Δυσκολεύομαι να κοιμηθώ πριν από εξετάσεις' },
    });
    expect(answered.status, JSON.stringify(answered.body)).toBe(201);
    responseId = answered.body.id;
  });
  afterAll(async () => {
    await node?.close();
  });

  it('lets the therapist see the assignment and the series, and the client their own, each read audited', async () => {
    const { therapist, client } = cast;
    const listed = await api('GET', `/clients/${client.id}/measures`, { token: therapist.token });
    expect(listed.body).toEqual([expect.objectContaining({ id: assignmentId, measure: 'GAD-7', schedule: { kind: 'every_n_weeks', weeks: 2 }, due: false })]);
    const series = await api('GET', `/clients/${client.id}/measures/series?measure=GAD-7`, { token: therapist.token });
    expect(series.status).toBe(200);
    expect(series.body).toMatchObject({ clientId: client.id, measure: 'GAD-7', maxScore: 21, points: [{ responseId, score: 8, severity: 'mild' }] });
    expect(series.body.ranges).toHaveLength(4);
    expect((await auditRows(therapist.id, 'measure_response.read')).map((row) => row.entity_id)).toEqual([responseId]);
    expect((await auditRows(therapist.id, 'measure_assignment.write'))[0]).toMatchObject({ entity_id: assignmentId, metadata: { change: 'create' } });

    const mine = await api('GET', '/measures/my-series?measure=GAD-7', { token: client.token });
    expect(mine.body.points.map((point: { responseId: string }) => point.responseId)).toEqual([responseId]);
    const assigned = await api('GET', '/measures/assigned', { token: client.token });
    expect(assigned.body).toEqual([expect.objectContaining({ id: assignmentId, due: false, lastAnsweredAt: expect.any(String) })]);
    expect(await auditRows(client.id, 'measure_response.write')).toEqual([{ entity_id: responseId, metadata: { via: 'sync' } }]);
    expect((await auditRows(client.id, 'measure_response.read')).map((row) => row.entity_id)).toContain(responseId);
    // The client's comment is sealed at rest.
    const [stored] = await sql<{ client_comment: Buffer; encryption_key_id: string }>(node.platform, 'SELECT client_comment, encryption_key_id FROM questionnaire_responses WHERE id = :id', { id: responseId });
    expect(stored!.client_comment.toString('utf8')).not.toContain('κοιμηθώ');
    expect(stored!.encryption_key_id).toBe('test1');
    const result = await api('GET', `/measures/responses/${responseId}`, { token: client.token });
    expect(result.body.comment).toBe('Δυσκολεύομαι να κοιμηθώ πριν από εξετάσεις');
  });

  it('refuses another therapist, a company admin and a platform admin as if the client did not exist, auditing each attempt', async () => {
    const { otherTherapist, businessAdmin, superAdmin, client } = cast;
    for (const outsider of [otherTherapist, businessAdmin, superAdmin]) {
      const attempts = [
        await api('POST', `/clients/${client.id}/measures`, { token: outsider.token, body: { measure: 'PHQ-9', schedule: { kind: 'once' } } }),
        await api('GET', `/clients/${client.id}/measures`, { token: outsider.token }),
        await api('GET', `/clients/${client.id}/measures/series?measure=GAD-7`, { token: outsider.token }),
      ];
      expect(attempts.map((attempt) => attempt.status)).toEqual([404, 404, 404]);
      expect(attempts[0]!.body.error.code).toBe('NOT_FOUND');
      const denied = await sql<{ entity_id: string }>(node.platform, `SELECT entity_id FROM audit_logs WHERE user_id = :id AND action = 'access_denied'`, { id: outsider.id });
      expect(denied.map((row) => row.entity_id)).toEqual([client.id, client.id, client.id]);
    }
    expect((await api('POST', `/measures/assignments/${assignmentId}/end`, { token: otherTherapist.token })).status).toBe(404);
    for (const admin of [businessAdmin, superAdmin]) {
      expect((await api('GET', `/measures/responses/${responseId}`, { token: admin.token })).status).toBe(403);
      expect((await api('GET', '/measures/assigned', { token: admin.token })).status).toBe(403);
    }
  });

  it('refuses another client: not their assignment, not their answers, not their scores', async () => {
    const { otherClient } = cast;
    const templateId = (await currentTemplates(api, otherClient))['GAD-7'].id;
    const answered = await api('POST', '/measures/responses', { token: otherClient.token, body: { assignmentId, templateId, answers: answersFor('GAD-7', 1) } });
    expect(answered.status).toBe(404);
    const pushed = await api('POST', '/sync/push', {
      token: otherClient.token,
      body: { collection: 'measure_responses', rows: [{ newDocumentState: { id: randomUUID(), assignmentId, templateId, answers: answersFor('GAD-7', 1), completedAt: new Date().toISOString(), _deleted: false } }] },
    });
    expect(pushed.body.rejected).toEqual([expect.objectContaining({ code: 'FORBIDDEN' })]);
    // Pushing the client's own answer id as someone else changes nothing and reveals nothing.
    const hijack = await api('POST', '/sync/push', {
      token: otherClient.token,
      body: { collection: 'measure_responses', rows: [{ newDocumentState: { id: responseId, assignmentId, templateId, answers: answersFor('GAD-7', 1), completedAt: new Date().toISOString(), _deleted: false } }] },
    });
    expect(hijack.body.rejected).toEqual([expect.objectContaining({ id: responseId, code: 'FORBIDDEN' })]);
    expect((await api('GET', `/measures/responses/${responseId}`, { token: otherClient.token })).status).toBe(404);
    expect((await api('GET', '/measures/my-series?measure=GAD-7', { token: otherClient.token })).body.points).toEqual([]);
    expect((await api('GET', '/measures/assigned', { token: otherClient.token })).body).toEqual([]);
    expect((await api('POST', `/clients/${cast.client.id}/measures`, { token: otherClient.token, body: { measure: 'GAD-7', schedule: { kind: 'once' } } })).status).toBe(404);
    const [row] = await sql<{ calculated_score: string }>(node.platform, 'SELECT calculated_score FROM questionnaire_responses WHERE id = :id', { id: responseId });
    expect(Number(row!.calculated_score)).toBe(8);
  });

  it('row-level security shows answers, assignments and alerts to no one else, whatever the code asks', async () => {
    const { therapist, otherTherapist, client, otherClient, businessAdmin, superAdmin } = cast;
    const answers = 'SELECT id FROM questionnaire_responses WHERE id = :id';
    expect(await asUser(therapist, 'therapist', answers, { id: responseId })).toHaveLength(1);
    expect(await asUser(client, 'client', answers, { id: responseId })).toHaveLength(1);
    for (const [who, role] of [[otherTherapist, 'therapist'], [otherClient, 'client'], [businessAdmin, 'business_admin'], [superAdmin, 'super_admin']] as const) {
      expect(await asUser(who, role, answers, { id: responseId }), role).toEqual([]);
      expect(await asUser(who, role, 'SELECT id FROM measure_assignments WHERE id = :id', { id: assignmentId }), role).toEqual([]);
      expect(await asUser(who, role, 'SELECT id FROM measure_risk_alerts'), role).toEqual([]);
    }
    // A client cannot write answers to an assignment that is not theirs, even past the code.
    const [template] = await sql<{ id: string }>(node.platform, `SELECT id FROM questionnaire_templates WHERE short_name = 'GAD-7'`);
    await expect(
      asUser(otherClient, 'client', `INSERT INTO questionnaire_responses (client_id, questionnaire_id, assignment_id, responses) VALUES (:me, :template, :assignment, '[0,0,0,0,0,0,0]') RETURNING id`, {
        me: otherClient.id,
        template: template!.id,
        assignment: assignmentId,
      }),
    ).rejects.toThrow(/row-level security/);
  });

  it('stops the therapist’s access when the client withdraws consent to sharing with their therapist', async () => {
    const { therapist, client } = cast;
    expect((await api('POST', '/me/consents', { token: client.token, body: { kind: 'therapist_sharing', textVersion: 'v1' } })).status).toBe(201);
    expect((await api('POST', '/me/consents/therapist_sharing/withdraw', { token: client.token })).status).toBe(200);
    expect((await api('GET', `/clients/${client.id}/measures/series?measure=GAD-7`, { token: therapist.token })).status).toBe(404);
    expect((await api('POST', `/clients/${client.id}/measures`, { token: therapist.token, body: { measure: 'WHO-5', schedule: { kind: 'before_session' } } })).status).toBe(404);
    expect(await asUser(therapist, 'therapist', 'SELECT id FROM questionnaire_responses WHERE id = :id', { id: responseId })).toEqual([]);
  });
});
