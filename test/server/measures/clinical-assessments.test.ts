import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAsUser } from '@therapy-field/server';
import { createClinicalCast, pastAppointments, type ClinicalCast } from '../../support/clinical.js';
import { apiClient, type ApiRequest } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { sql } from '../../support/scheduling.js';

const FINDINGS = 'Επίμονο άγχος για την υγεία, αποφυγή γιατρών';

describe('clinical assessments: the writing therapist only, sealed at rest, every read and write audited', () => {
  let node: TestPlatform;
  let api: ApiRequest;
  let cast: ClinicalCast;
  let assessmentId: string;

  const actions = (actorId: string) =>
    sql<{ action: string; entity_id: string }>(node.platform, `SELECT action, entity_id FROM audit_logs WHERE user_id = :actorId AND entity_type = 'clinical_assessment' ORDER BY performed_at, id`, {
      actorId,
    });

  beforeAll(async () => {
    node = await startTestPlatform();
    api = apiClient(node.url);
    cast = await createClinicalCast(node, api);
    await pastAppointments(node)(cast.therapist.id, cast.client.id);
  });
  afterAll(async () => {
    await node?.close();
  });

  it('lets the client’s therapist write, list, read and change an assessment with ICD-10 diagnoses, sealed at rest', async () => {
    const { therapist, client } = cast;
    const created = await api('POST', `/clients/${client.id}/assessments`, {
      token: therapist.token,
      body: {
        assessmentType: 'diagnostic',
        assessmentTool: 'SCID-5',
        findings: FINDINGS,
        diagnoses: [{ code: 'F45.21', description: 'Υποχονδρίαση', primary: true }, { code: 'F41.1' }],
        administeredDate: '2026-11-30',
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    assessmentId = created.body.id;
    expect(created.body).toMatchObject({
      clientId: client.id,
      therapistId: therapist.id,
      assessmentTool: 'SCID-5',
      findings: FINDINGS,
      diagnoses: [
        { code: 'F45.21', description: 'Υποχονδρίαση', primary: true },
        { code: 'F41.1', description: null, primary: false },
      ],
      administeredDate: '2026-11-30',
    });
    const [stored] = await sql<{ findings: Buffer; diagnoses: Buffer; encryption_key_id: string }>(
      node.platform,
      'SELECT findings, diagnoses, encryption_key_id FROM clinical_assessments WHERE id = :id',
      { id: assessmentId },
    );
    expect(stored!.findings.toString('utf8')).not.toContain('άγχος');
    expect(stored!.diagnoses.toString('utf8')).not.toContain('F45');
    expect(stored!.encryption_key_id).toBe('test1');

    const updated = await api('PATCH', `/assessments/${assessmentId}`, { token: therapist.token, body: { score: 24, findings: null } });
    expect(updated.body).toMatchObject({ score: 24, findings: null, diagnoses: [expect.objectContaining({ code: 'F45.21' }), expect.objectContaining({ code: 'F41.1' })] });
    expect((await api('GET', `/clients/${client.id}/assessments`, { token: therapist.token })).body.map((item: { id: string }) => item.id)).toEqual([assessmentId]);
    expect((await api('GET', `/assessments/${assessmentId}`, { token: therapist.token })).body.score).toBe(24);
    expect(await actions(therapist.id)).toEqual([
      { action: 'clinical_assessment.write', entity_id: assessmentId },
      { action: 'clinical_assessment.write', entity_id: assessmentId },
      { action: 'clinical_assessment.read', entity_id: assessmentId },
      { action: 'clinical_assessment.read', entity_id: assessmentId },
    ]);
  });

  it('refuses a code that is not ICD-10 and an empty change with 400', async () => {
    const { therapist, client } = cast;
    const bad = await api('POST', `/clients/${client.id}/assessments`, {
      token: therapist.token,
      body: { assessmentType: 'diagnostic', administeredDate: '2026-11-30', diagnoses: [{ code: 'depression' }] },
    });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
    expect((await api('PATCH', `/assessments/${assessmentId}`, { token: therapist.token, body: {} })).status).toBe(400);
  });

  it('tells everyone else it does not exist, audited as denied, and row-level security agrees', async () => {
    const { otherTherapist, client, otherClient, businessAdmin, superAdmin } = cast;
    for (const outsider of [otherTherapist, client, otherClient, businessAdmin, superAdmin]) {
      const statuses = [
        (await api('GET', `/assessments/${assessmentId}`, { token: outsider.token })).status,
        (await api('PATCH', `/assessments/${assessmentId}`, { token: outsider.token, body: { score: 1 } })).status,
        (await api('GET', `/clients/${client.id}/assessments`, { token: outsider.token })).status,
        (await api('POST', `/clients/${client.id}/assessments`, { token: outsider.token, body: { assessmentType: 'risk', administeredDate: '2026-12-01' } })).status,
      ];
      expect(statuses).toEqual([404, 404, 404, 404]);
      const denied = await sql<{ entity_id: string }>(node.platform, `SELECT entity_id FROM audit_logs WHERE user_id = :id AND action = 'access_denied' AND entity_type = 'clinical_assessment'`, {
        id: outsider.id,
      });
      expect(denied.map((row) => row.entity_id).sort()).toEqual([assessmentId, assessmentId, client.id, client.id].sort());
      const role = outsider === otherTherapist ? 'therapist' : outsider === businessAdmin ? 'business_admin' : outsider === superAdmin ? 'super_admin' : 'client';
      const visible = await runAsUser({ id: outsider.id, role }, () =>
        node.platform.database.sequelize.query('SELECT id FROM clinical_assessments WHERE id = :id', { type: QueryTypes.SELECT, replacements: { id: assessmentId } }),
      );
      expect(visible, role).toEqual([]);
    }
    expect((await api('GET', `/assessments/${assessmentId}`, { token: cast.therapist.token })).body.score).toBe(24);
  });
});
