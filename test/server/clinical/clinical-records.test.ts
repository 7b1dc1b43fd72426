import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, type TherapyFieldClient } from '@therapy-field/client-sdk';
import { signUp, TEST_PASSWORD } from '../../support/accounts.js';
import { createClinicalCast, isoWithOffset, pastAppointments } from '../../support/clinical.js';
import { apiClient, type ApiRequest } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { restOnlyClient } from '../../support/sdk.js';
import { createAccounts, sql, type Account } from '../../support/scheduling.js';

const MEDICATION = 'Σερτραλίνη 50mg καθημερινά';
const TRAUMA = 'Τροχαίο ατύχημα το 2019, εφιάλτες';
const SUPPORT = 'Στενή σχέση με την αδελφή της στη Θεσσαλονίκη';
const PROBLEMS = 'Κρίσεις πανικού στα μέσα μεταφοράς';
const DIAGNOSIS = 'F41.0 Διαταραχή πανικού';

const medical = {
  currentMedications: MEDICATION,
  allergies: 'Πενικιλίνη',
  chronicConditions: null,
  previousHospitalizations: null,
  substanceUseHistory: 'Αλκοόλ κοινωνικά',
  familyMedicalHistory: null,
  primaryCarePhysician: 'Δρ. Κωνσταντίνου',
  lastPhysicalExam: '2025-11-03',
};
const psychiatric = {
  previousDiagnoses: null,
  previousTherapists: 'Ψυχολόγος στην Πάτρα, 2020–2021',
  previousMedications: null,
  hospitalizationHistory: null,
  suicideAttempts: null,
  selfHarmHistory: null,
  traumaHistory: TRAUMA,
};
const social = {
  educationLevel: 'Πτυχίο Νομικής',
  employmentStatus: 'Πλήρης απασχόληση',
  occupationHistory: null,
  relationshipStatus: null,
  livingSituation: 'Μόνη, στο Παγκράτι',
  supportSystem: SUPPORT,
  hobbiesInterests: null,
  culturalBackground: null,
  religiousSpiritual: null,
  legalHistory: null,
  militaryService: null,
};
const plan = {
  startDate: '2026-03-02',
  reviewDate: '2026-06-01',
  presentingProblems: PROBLEMS,
  diagnoses: [DIAGNOSIS],
  treatmentGoals: 'Χρήση του μετρό χωρίς κρίση',
  interventionsPlanned: 'Ψυχοεκπαίδευση, σταδιακή έκθεση',
  measurementTools: ['PDSS', 'GAD-7'],
  expectedDuration: '16 συνεδρίες',
};
/** Words that occur only in the clinical texts above. */
const greekWords = ['Σερτραλίνη', 'Πενικιλίνη', 'Τροχαίο', 'εφιάλτες', 'αδελφή', 'Παγκράτι', 'πανικού', 'έκθεση'];

describe('clinical records: histories and treatment plans', () => {
  let node: TestPlatform;
  let api: ApiRequest;
  let therapist: Account & { email: string };
  let otherTherapist: Account;
  let client: Account;
  let superAdmin: Account;
  let businessAdmin: Account;
  let pastAppointment: ReturnType<typeof pastAppointments>;

  /** A client the therapist has seen (a completed appointment), so their record may be opened. */
  const treatedClient = async (by: Account = therapist) => {
    const [fresh] = (await createAccounts(node.platform, 'client', 1)) as [Account];
    await pastAppointment(by.id, fresh.id);
    return fresh;
  };
  const putHistory = (clientId: string, kind: string, body: object, who: Account = therapist) => api('PUT', `/clients/${clientId}/history/${kind}`, { token: who.token, body });
  const createPlan = (clientId: string, body: object = plan, who: Account = therapist) => api('POST', `/clients/${clientId}/treatment-plans`, { token: who.token, body });
  const auditActions = async (entityId: string) =>
    (
      await sql<{ action: string; user_id: string }>(node.platform, `SELECT action, user_id FROM audit_logs WHERE entity_id = :entityId AND action ~ '\.(read|write)$' ORDER BY performed_at, id`, { entityId })
    ).map((row) => `${row.action} by ${row.user_id === therapist.id ? 'therapist' : row.user_id}`);

  beforeAll(async () => {
    node = await startTestPlatform();
    api = apiClient(node.url);
    ({ therapist, otherTherapist, client, superAdmin, businessAdmin } = await createClinicalCast(node, api));
    pastAppointment = pastAppointments(node);
    await pastAppointment(therapist.id, client.id);
  });

  afterAll(async () => {
    await node?.close();
  });

  it('writes each history section and reads them back; a section never written is null', async () => {
    const patient = await treatedClient();
    const empty = await api('GET', `/clients/${patient.id}/history`, { token: therapist.token });
    expect(empty.status, JSON.stringify(empty.body)).toBe(200);
    expect(empty.body).toEqual({ medical: null, psychiatric: null, social: null });

    const written = { medical: await putHistory(patient.id, 'medical', medical), psychiatric: await putHistory(patient.id, 'psychiatric', { traumaHistory: TRAUMA, previousTherapists: psychiatric.previousTherapists }) };
    expect(written.medical.status, JSON.stringify(written.medical.body)).toBe(200);
    expect(written.medical.body).toEqual({ ...medical, updatedAt: expect.stringMatching(isoWithOffset) });
    expect(written.psychiatric.body).toEqual({ ...psychiatric, updatedAt: expect.stringMatching(isoWithOffset) });

    const read = await api('GET', `/clients/${patient.id}/history`, { token: therapist.token });
    expect(read.body).toEqual({ medical: written.medical.body, psychiatric: written.psychiatric.body, social: null });

    const withSocial = await putHistory(patient.id, 'social', social);
    expect(withSocial.body).toMatchObject(social);
    const replaced = await putHistory(patient.id, 'medical', { allergies: 'Καμία γνωστή' });
    expect(replaced.body).toEqual({
      ...Object.fromEntries(Object.keys(medical).map((field) => [field, null])),
      allergies: 'Καμία γνωστή',
      updatedAt: expect.stringMatching(isoWithOffset),
    });
    const reread = await api('GET', `/clients/${patient.id}/history`, { token: therapist.token });
    expect(reread.body).toEqual({ medical: replaced.body, psychiatric: written.psychiatric.body, social: withSocial.body });
  });

  it('stores no plaintext: every history text and plan text is sealed under the current key', async () => {
    const patient = await treatedClient();
    await putHistory(patient.id, 'medical', medical);
    await putHistory(patient.id, 'psychiatric', psychiatric);
    await putHistory(patient.id, 'social', social);
    const created = await createPlan(patient.id);
    const { cipher } = node.platform;
    const stored = [
      ...(await sql<Record<string, unknown>>(node.platform, `SELECT * FROM patient_medical_history WHERE client_id = :id`, { id: patient.id })),
      ...(await sql<Record<string, unknown>>(node.platform, `SELECT * FROM patient_psychiatric_history WHERE client_id = :id`, { id: patient.id })),
      ...(await sql<Record<string, unknown>>(node.platform, `SELECT * FROM patient_social_history WHERE client_id = :id`, { id: patient.id })),
      ...(await sql<Record<string, unknown>>(node.platform, `SELECT * FROM treatment_plans WHERE id = :id`, { id: created.body.id })),
    ];
    expect(stored).toHaveLength(4);
    for (const row of stored) {
      expect(row.encryption_key_id).toBe(cipher.currentKeyId);
      const raw = Buffer.from(JSON.stringify(Object.values(row)), 'utf8');
      const bytes = Buffer.concat(Object.values(row).filter((value): value is Buffer => Buffer.isBuffer(value)));
      for (const word of greekWords) {
        expect(bytes.includes(Buffer.from(word, 'utf8')), word).toBe(false);
        expect(raw.includes(Buffer.from(word, 'utf8')), word).toBe(false);
      }
    }
    const [medicalRow, psychiatricRow, socialRow, planRow] = stored as [Record<string, Buffer>, Record<string, Buffer>, Record<string, Buffer>, Record<string, Buffer>];
    expect(cipher.decrypt(medicalRow.current_medications!)).toBe(MEDICATION);
    expect(medicalRow.chronic_conditions).toBeNull();
    expect(cipher.decrypt(psychiatricRow.trauma_history!)).toBe(TRAUMA);
    expect(cipher.decrypt(socialRow.support_system!)).toBe(SUPPORT);
    expect(cipher.decrypt(planRow.presenting_problems!)).toBe(PROBLEMS);
    expect(JSON.parse(cipher.decrypt(planRow.diagnoses!))).toEqual([DIAGNOSIS]);
    expect(cipher.keyIdOf(planRow.treatment_goals!)).toBe('test1');
    expect(planRow.measurement_tools).toEqual(['PDSS', 'GAD-7']);
  });

  it('audits one row per record read or written, by the therapist, without clinical text', async () => {
    const patient = await treatedClient();
    await putHistory(patient.id, 'medical', medical);
    await putHistory(patient.id, 'medical', medical);
    await putHistory(patient.id, 'social', social);
    await api('GET', `/clients/${patient.id}/history`, { token: therapist.token });
    expect(await auditActions(patient.id)).toEqual([
      'patient_medical_history.write by therapist',
      'patient_medical_history.write by therapist',
      'patient_social_history.write by therapist',
      'patient_medical_history.read by therapist',
      'patient_social_history.read by therapist',
    ]);
    const [changes] = await sql<{ changes: string[] }>(node.platform, `SELECT array_agg(metadata->>'change' ORDER BY performed_at, id) AS changes FROM audit_logs WHERE entity_id = :id AND action LIKE '%.write'`, { id: patient.id });
    expect(changes!.changes).toEqual(['create', 'replace', 'create']);

    const created = await createPlan(patient.id);
    const planId = created.body.id as string;
    await api('GET', `/treatment-plans/${planId}`, { token: therapist.token });
    await api('GET', `/clients/${patient.id}/treatment-plans`, { token: therapist.token });
    await api('PATCH', `/treatment-plans/${planId}`, { token: therapist.token, body: { treatmentGoals: 'Ταξίδι με το μετρό μόνη' } });
    expect(await auditActions(planId)).toEqual(['treatment_plan.write by therapist', 'treatment_plan.read by therapist', 'treatment_plan.read by therapist', 'treatment_plan.write by therapist']);

    const [audited] = await sql<{ text: string }>(
      node.platform,
      `SELECT string_agg(coalesce(old_values::text, '') || coalesce(new_values::text, '') || metadata::text, ' ') AS text FROM audit_logs WHERE entity_id IN (:ids)`,
      { ids: [patient.id, planId] },
    );
    for (const word of greekWords) expect(audited!.text).not.toContain(word);
  });

  it('is not found for another therapist, the client, a business admin and a super admin, and changes nothing', async () => {
    await putHistory(client.id, 'medical', medical);
    const created = await createPlan(client.id);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const planId = created.body.id as string;
    const cancelledOnly = await signUp(api, node.platform.database.owner, 'therapist');
    await pastAppointment(cancelledOnly.id, client.id, 'cancelled');
    await pastAppointment(cancelledOnly.id, client.id, 'requested');

    for (const outsider of [otherTherapist, { id: cancelledOnly.id, token: cancelledOnly.accessToken }, client, businessAdmin, superAdmin]) {
      for (const [method, target, body] of [
        ['GET', `/clients/${client.id}/history`],
        ['PUT', `/clients/${client.id}/history/medical`, { allergies: 'x' }],
        ['PUT', `/clients/${client.id}/history/psychiatric`, { traumaHistory: 'x' }],
        ['PUT', `/clients/${client.id}/history/social`, { legalHistory: 'x' }],
        ['POST', `/clients/${client.id}/treatment-plans`, { startDate: '2026-01-01' }],
        ['GET', `/clients/${client.id}/treatment-plans`],
        ['GET', `/treatment-plans/${planId}`],
        ['PATCH', `/treatment-plans/${planId}`, { status: 'terminated' }],
      ] as const) {
        const refused = await api(method, target, { token: outsider.token, body });
        expect(refused.status, `${method} ${target} by ${outsider.id}`).toBe(404);
        expect(refused.body.error.code).toBe('NOT_FOUND');
        for (const word of greekWords) expect(JSON.stringify(refused.body)).not.toContain(word);
      }
    }
    const unknownClient = await api('GET', `/clients/${randomUUID()}/history`, { token: therapist.token });
    expect(unknownClient.status).toBe(404);
    expect(unknownClient.body.error).toEqual((await api('GET', `/clients/${client.id}/history`, { token: otherTherapist.token })).body.error);

    const history = await api('GET', `/clients/${client.id}/history`, { token: therapist.token });
    expect(history.body).toMatchObject({ medical: { ...medical, updatedAt: expect.any(String) }, psychiatric: null, social: null });
    expect((await api('GET', `/treatment-plans/${planId}`, { token: therapist.token })).body).toMatchObject({ status: 'active', ...plan });
    const [plans] = await sql<{ count: string }>(node.platform, `SELECT count(*) AS count FROM treatment_plans WHERE client_id = :id`, { id: client.id });
    expect(Number(plans!.count)).toBe(1);
    const [outsiderAudit] = await sql<{ count: string }>(node.platform, `SELECT count(*) AS count FROM audit_logs WHERE entity_id IN (:ids) AND user_id IS DISTINCT FROM :therapist AND action ~ '\.(read|write)$'`, {
      ids: [client.id, planId],
      therapist: therapist.id,
    });
    expect(Number(outsiderAudit!.count)).toBe(0);
  });

  it('shares histories with every therapist who treated the client, past ones too, but each plan only with its therapist', async () => {
    const patient = await treatedClient();
    await putHistory(patient.id, 'psychiatric', psychiatric);
    const mine = await createPlan(patient.id);
    const former = await signUp(api, node.platform.database.owner, 'therapist');
    const formerTherapist = { id: former.id, token: former.accessToken };
    await pastAppointment(formerTherapist.id, patient.id, 'completed');

    const seen = await api('GET', `/clients/${patient.id}/history`, { token: formerTherapist.token });
    expect(seen.status).toBe(200);
    expect(seen.body.psychiatric).toMatchObject(psychiatric);
    expect((await putHistory(patient.id, 'social', { supportSystem: SUPPORT }, formerTherapist)).status).toBe(200);
    expect((await api('GET', `/clients/${patient.id}/history`, { token: therapist.token })).body.social).toMatchObject({ supportSystem: SUPPORT });

    expect((await api('GET', `/clients/${patient.id}/treatment-plans`, { token: formerTherapist.token })).body).toEqual([]);
    const theirs = await createPlan(patient.id, { startDate: '2024-01-10' }, formerTherapist);
    expect(theirs.status).toBe(201);
    for (const [method, body] of [['GET'], ['PATCH', { status: 'completed' }]] as const) {
      const refused = await api(method, `/treatment-plans/${mine.body.id}`, { token: formerTherapist.token, body });
      expect(refused.status, `${method} by another therapist`).toBe(404);
      expect(refused.body.error.code).toBe('NOT_FOUND');
    }
    expect((await api('GET', `/treatment-plans/${mine.body.id}`, { token: therapist.token })).body.status).toBe('active');
    const list = await api('GET', `/clients/${patient.id}/treatment-plans`, { token: therapist.token });
    expect(list.body).toEqual([mine.body]);
  });

  it('writes a treatment plan, edits it and closes it; a closed plan changes no more', async () => {
    const patient = await treatedClient();
    const created = await createPlan(patient.id);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toEqual({
      ...plan,
      id: expect.any(String),
      clientId: patient.id,
      therapistId: therapist.id,
      status: 'active',
      createdAt: expect.stringMatching(isoWithOffset),
      updatedAt: expect.stringMatching(isoWithOffset),
    });
    const bare = await createPlan(patient.id, { startDate: '2026-09-01' });
    expect(bare.body).toMatchObject({ startDate: '2026-09-01', reviewDate: null, presentingProblems: null, diagnoses: [], measurementTools: [], expectedDuration: null });
    expect((await api('GET', `/clients/${patient.id}/treatment-plans`, { token: therapist.token })).body.map((listed: { id: string }) => listed.id)).toEqual([bare.body.id, created.body.id]);

    const planId = created.body.id as string;
    const edited = await api('PATCH', `/treatment-plans/${planId}`, { token: therapist.token, body: { reviewDate: null, diagnoses: [DIAGNOSIS, 'F40.0 Αγοραφοβία'], expectedDuration: null } });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({ reviewDate: null, diagnoses: [DIAGNOSIS, 'F40.0 Αγοραφοβία'], expectedDuration: null, presentingProblems: PROBLEMS, measurementTools: plan.measurementTools });
    expect(await api('GET', `/treatment-plans/${planId}`, { token: therapist.token }).then((read) => read.body)).toEqual(edited.body);

    const completed = await api('PATCH', `/treatment-plans/${planId}`, { token: therapist.token, body: { status: 'completed' } });
    expect(completed.body.status).toBe('completed');
    for (const body of [{ status: 'active' }, { status: 'terminated' }, { treatmentGoals: 'Νέος στόχος' }]) {
      const refused = await api('PATCH', `/treatment-plans/${planId}`, { token: therapist.token, body });
      expect(refused.status, JSON.stringify(body)).toBe(409);
      expect(refused.body.error).toMatchObject({ code: 'TREATMENT_PLAN_CLOSED', details: { status: 'completed' } });
    }
    const terminated = await api('PATCH', `/treatment-plans/${bare.body.id}`, { token: therapist.token, body: { status: 'terminated' } });
    expect(terminated.body.status).toBe('terminated');
    expect((await api('GET', `/treatment-plans/${planId}`, { token: therapist.token })).body).toEqual(completed.body);
  });

  it('refuses a review date before the start, on create and on edit', async () => {
    const patient = await treatedClient();
    const early = await createPlan(patient.id, { startDate: '2026-03-02', reviewDate: '2026-03-01' });
    expect(early.status).toBe(400);
    expect(early.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'reviewDate', message: expect.any(String) }] });
    const created = await createPlan(patient.id);
    for (const body of [{ reviewDate: '2026-01-01' }, { startDate: '2026-07-01' }]) {
      const refused = await api('PATCH', `/treatment-plans/${created.body.id}`, { token: therapist.token, body });
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error.details).toEqual([{ path: 'reviewDate', message: expect.any(String) }]);
    }
    expect((await api('PATCH', `/treatment-plans/${created.body.id}`, { token: therapist.token, body: { startDate: '2026-06-01' } })).body).toMatchObject({ startDate: '2026-06-01', reviewDate: '2026-06-01' });
    const [count] = await sql<{ count: string }>(node.platform, `SELECT count(*) AS count FROM treatment_plans WHERE client_id = :id`, { id: patient.id });
    expect(Number(count!.count)).toBe(1);
  });

  it('answers bad input with 400 and the fields at fault', async () => {
    const patient = await treatedClient();
    const historyCases: Array<[string, object, string[]]> = [
      ['medical', { allergies: 42 }, ['allergies']],
      ['medical', { lastPhysicalExam: '03/11/2025' }, ['lastPhysicalExam']],
      ['medical', { traumaHistory: 'belongs to psychiatric' }, ['']],
      ['psychiatric', { traumaHistory: 'x'.repeat(10_001) }, ['traumaHistory']],
      ['social', { supportSystem: '   ' }, ['supportSystem']],
    ];
    for (const [kind, body, paths] of historyCases) {
      const refused = await putHistory(patient.id, kind, body);
      expect(refused.status, `${kind} ${JSON.stringify(body)}`).toBe(400);
      expect(refused.body.error.code).toBe('VALIDATION_FAILED');
      expect(refused.body.error.details.map((detail: { path: string }) => detail.path)).toEqual(expect.arrayContaining(paths));
    }
    const planCases: Array<[object, string[]]> = [
      [{}, ['startDate']],
      [{ startDate: '2026-02-30' }, ['startDate']],
      [{ startDate: '2026-03-02', diagnoses: [''], measurementTools: 'PHQ-9' }, ['diagnoses.0', 'measurementTools']],
      [{ startDate: '2026-03-02', status: 'completed' }, ['']],
    ];
    for (const [body, paths] of planCases) {
      const refused = await createPlan(patient.id, body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error.details.map((detail: { path: string }) => detail.path)).toEqual(expect.arrayContaining(paths));
    }
    const created = await createPlan(patient.id);
    for (const [body, path] of [[{}, ''], [{ status: 'paused' }, 'status'], [{ expectedDuration: 'x'.repeat(101) }, 'expectedDuration']] as const) {
      const refused = await api('PATCH', `/treatment-plans/${created.body.id}`, { token: therapist.token, body });
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error.details.map((detail: { path: string }) => detail.path)).toContain(path);
    }
    for (const target of ['/clients/not-a-uuid/history', '/treatment-plans/not-a-uuid']) {
      const badId = await api('GET', target, { token: therapist.token });
      expect(badId.status).toBe(400);
      expect(badId.body.error.details[0].path).toMatch(/^(clientId|id)$/);
    }
    expect((await putHistory(patient.id, 'dental', { teeth: 'x' })).status).toBe(404);
    expect((await api('GET', `/clients/${patient.id}/history`, { token: therapist.token })).body).toEqual({ medical: null, psychiatric: null, social: null });
    expect((await api('GET', `/treatment-plans/${created.body.id}`, { token: therapist.token })).body).toEqual(created.body);
  });

  it('is described in the OpenAPI document, one PUT per history kind', async () => {
    const { paths } = (await api('GET', '/openapi.json')).body;
    expect(Object.keys(paths['/clients/{clientId}/history'])).toEqual(['get']);
    for (const kind of ['medical', 'psychiatric', 'social']) expect(paths[`/clients/{clientId}/history/${kind}`].put.responses['404']).toBeDefined();
    expect(JSON.stringify(paths['/clients/{clientId}/history/medical'].put.requestBody)).toContain('lastPhysicalExam');
    expect(Object.keys(paths['/clients/{clientId}/treatment-plans'])).toEqual(expect.arrayContaining(['get', 'post']));
    expect(Object.keys(paths['/treatment-plans/{id}'])).toEqual(expect.arrayContaining(['get', 'patch']));
    expect(paths['/treatment-plans/{id}'].patch.responses['409']).toBeDefined();
  });

  describe('through the SDK', () => {
    let sdk: TherapyFieldClient<never> | undefined;

    afterAll(async () => {
      await sdk?.close();
    });

    it('writes and reads a history and a plan with api.clinicalRecords', async () => {
      sdk = await restOnlyClient(node.url);
      await sdk.auth.login(therapist.email, TEST_PASSWORD);
      const patient = await treatedClient();
      const records = sdk.api.clinicalRecords;

      const section = await records.replaceHistory(patient.id, 'social', { supportSystem: SUPPORT });
      expect(section).toMatchObject({ supportSystem: SUPPORT, educationLevel: null });
      expect(await records.history(patient.id)).toEqual({ medical: null, psychiatric: null, social: section });

      const created = await records.createTreatmentPlan(patient.id, { startDate: '2026-03-02', diagnoses: [DIAGNOSIS] });
      expect(await records.treatmentPlans(patient.id)).toEqual([created]);
      const closed = await records.updateTreatmentPlan(created.id, { status: 'terminated' });
      expect(await records.treatmentPlan(created.id)).toEqual(closed);

      const error = await records.updateTreatmentPlan(created.id, { status: 'active' }).then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'TREATMENT_PLAN_CLOSED', status: 409 });
    });
  });
});
