import { randomUUID } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAsUser } from '@therapy-field/server';
import { moodEntry, syncOverHttp } from '../../sync/sync-fixtures.js';
import { signUp } from '../../support/accounts.js';
import { apiClient, type ApiRequest } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { createAccounts, createAppointmentType, createListedTherapist, everyDay, sql, type Account } from '../../support/scheduling.js';
import { waitFor } from '../../support/wait.js';

describe('intake forms', () => {
  let node: TestPlatform;
  let api: ApiRequest;
  let admin: Account;
  let type50: string;
  let therapist: Account;
  let otherTherapist: Account;
  let client: Account;
  let otherClient: Account;
  let company: Account;
  let intakeFormId: string;
  const responseId = randomUUID();
  const { push, pull } = syncOverHttp(() => api);

  const answers = {
    reason: 'Άγχος στη δουλειά',
    current_medications: 'Sertraline 50mg',
    allergies: 'Καμία γνωστή',
    employment_status: 'student',
    living_situation: 'Με τους γονείς μου',
    in_crisis: false,
  };
  const response = (overrides: Record<string, unknown> = {}) => ({
    id: responseId,
    formId: intakeFormId,
    answers,
    language: 'el',
    submittedAt: new Date(Date.now() - 60_000).toISOString(),
    _deleted: false,
    ...overrides,
  });
  const pushResponse = (who: Account, doc: Record<string, unknown>) => push(who.token, 'form_responses', [{ newDocumentState: doc }]);
  const book = async () => {
    const from = new Date(Date.now() + 72 * 3600_000).toISOString();
    const to = new Date(Date.now() + 240 * 3600_000).toISOString();
    const slots = await api('GET', `/therapists/${therapist.id}/slots?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&type=${type50}`);
    const start = slots.body.slots[Math.floor(Math.random() * slots.body.slots.length)].start;
    const booked = await api('POST', '/appointments', { token: client.token, body: { therapistId: therapist.id, appointmentTypeId: type50, start } });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
  };
  const intakeForms = () => sql<{ id: string }>(node.platform, `SELECT id FROM dynamic_forms WHERE client_id = :clientId AND therapist_id = :therapistId AND form_type = 'intake_form'`, { clientId: client.id, therapistId: therapist.id });

  beforeAll(async () => {
    node = await startTestPlatform();
    api = apiClient(node.url);
    admin = (await createAccounts(node.platform, 'super_admin', 1))[0]!;
    type50 = await createAppointmentType(api, admin, 50);
    therapist = await createListedTherapist(api, node.platform, admin, { templates: everyDay('08:00', '20:00'), settings: { instantConfirmation: true } });
    const other = await signUp(api, node.platform.database.owner, 'therapist');
    otherTherapist = { id: other.id, token: other.accessToken };
    [client, otherClient] = (await createAccounts(node.platform, 'client', 2)) as [Account, Account];
    company = (await createAccounts(node.platform, 'business_admin', 1))[0]!;
  });
  afterAll(async () => {
    await node?.close();
  });

  it('sends the platform’s Greek and English intake form at the first booking, once, to the client’s devices', async () => {
    await book();
    await waitFor(async () => (await intakeForms()).length === 1, 20_000, 'the intake form');
    await book();
    const notified = await sql(node.platform, `SELECT title FROM notifications WHERE user_id = :id AND type = 'form.sent'`, { id: client.id });
    expect(notified).toEqual([{ title: 'Μια φόρμα πριν από την πρώτη συνεδρία' }]);
    await waitFor(async () => (await sql(node.platform, `SELECT 1 FROM notifications WHERE user_id = :id AND type LIKE 'appointment.%'`, { id: client.id })).length === 2, 20_000, 'the second booking');
    const forms = await intakeForms();
    expect(forms).toHaveLength(1);
    // The database keeps it to one, whatever the timing of two bookings' events.
    await expect(
      sql(node.platform, `INSERT INTO dynamic_forms (form_type, client_id, therapist_id) VALUES ('intake_form', :clientId, :therapistId) RETURNING id`, { clientId: client.id, therapistId: therapist.id }),
    ).rejects.toMatchObject({ original: { constraint: 'uq_dynamic_forms_intake' } });
    intakeFormId = forms[0]!.id;

    const pulled = await pull(client.token, 'intake_forms');
    expect(pulled.status).toBe(200);
    const [form] = pulled.body.documents;
    expect(form).toMatchObject({ id: intakeFormId, clientId: client.id, therapistId: therapist.id, title: { el: 'Φόρμα πρώτης επαφής', en: 'Intake form' }, submittedAt: null, _deleted: false });
    expect(form.fields.find((field: { id: string }) => field.id === 'current_medications').mapsTo).toEqual({ history: 'medical', field: 'currentMedications' });
    expect((await pull(otherClient.token, 'intake_forms')).body.documents).toEqual([]);
    const refused = await push(client.token, 'intake_forms', [{ newDocumentState: { ...form, submittedAt: new Date().toISOString() } }]);
    expect(refused.body.rejected).toEqual([expect.objectContaining({ id: intakeFormId, code: 'FORBIDDEN' })]);
  });

  it('takes an answer pushed offline and retried once, refuses a second submission, and writes the mapped answers into the histories', async () => {
    // What the therapist had written: the intake fills its fields and keeps the rest.
    const written = await api('PUT', `/clients/${client.id}/history/medical`, { token: therapist.token, body: { allergies: 'Πενικιλίνη', primaryCarePhysician: 'Δρ. Παπαδόπουλος' } });
    expect(written.status, JSON.stringify(written.body)).toBe(200);

    expect((await pushResponse(client, response())).body).toEqual({ conflicts: [], rejected: [] });
    // The device did not get the answer (offline again) and sends the same submission once more.
    const retried = await pushResponse(client, response());
    expect(retried.status).toBe(200);
    expect(retried.body.rejected).toEqual([]);
    const second = await pushResponse(client, response({ id: randomUUID(), answers: { reason: 'Άλλη απάντηση' } }));
    expect(second.body.rejected).toEqual([expect.objectContaining({ code: 'FORBIDDEN', reasons: ['formId: answer a form sent to you, once'] })]);
    const stored = await sql<{ id: string; answers: Buffer; applied_at: Date | null }>(node.platform, `SELECT id, answers, applied_at FROM form_responses WHERE form_id = :formId`, { formId: intakeFormId });
    expect(stored.map((row) => row.id)).toEqual([responseId]);
    expect(stored[0]!.answers.toString('latin1')).not.toContain('Sertraline');

    await waitFor(async () => (await sql(node.platform, `SELECT 1 FROM form_responses WHERE id = :id AND applied_at IS NOT NULL`, { id: responseId })).length === 1, 20_000, 'the answers in the histories');
    const history = await api('GET', `/clients/${client.id}/history`, { token: therapist.token });
    expect(history.body.medical).toMatchObject({ currentMedications: 'Sertraline 50mg', allergies: 'Καμία γνωστή', primaryCarePhysician: 'Δρ. Παπαδόπουλος', chronicConditions: null });
    expect(history.body.social).toMatchObject({ employmentStatus: 'Σπουδάζω', livingSituation: 'Με τους γονείς μου', supportSystem: null });
    expect(history.body.psychiatric).toBeNull();
    const historyWrites = await sql(node.platform, `SELECT entity_type, metadata ->> 'change' AS change FROM audit_logs WHERE user_id = :id AND action LIKE 'patient_%_history.write' ORDER BY entity_type`, { id: client.id });
    expect(historyWrites).toEqual([
      { entity_type: 'patient_medical_history', change: 'fill_from_form' },
      { entity_type: 'patient_social_history', change: 'create_from_form' },
    ]);
    expect((await pull(client.token, 'intake_forms')).body.documents[0].submittedAt).not.toBeNull();

    const sent = await api('GET', `/clients/${client.id}/forms`, { token: therapist.token });
    expect(sent.status).toBe(200);
    expect(sent.body).toEqual([expect.objectContaining({ id: intakeFormId, formType: 'intake_form', response: expect.objectContaining({ id: responseId, answers, language: 'el' }) })]);
    const reads = await sql(node.platform, `SELECT entity_id FROM audit_logs WHERE user_id = :id AND action = 'form_response.read'`, { id: therapist.id });
    expect(reads).toEqual([{ entity_id: responseId }]);
    expect(await sql(node.platform, `SELECT 1 FROM audit_logs WHERE user_id = :id AND action = 'form_response.write' AND entity_id = :responseId`, { id: client.id, responseId })).toHaveLength(1);
  });

  it('lets a therapist make and version their own form, send it, and keeps a sent form as it was sent', async () => {
    const field = (id: string, el: string, en: string) => ({ id, type: 'text', isRequired: false, label: { el, en } });
    const created = await api('POST', '/form-templates', { token: therapist.token, body: { title: { el: 'Ύπνος', en: 'Sleep' }, fields: [field('hours', 'Ώρες ύπνου', 'Hours of sleep')] } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ version: 1, therapistId: therapist.id, isDefaultIntake: false });
    const sentV1 = await api('POST', `/form-templates/${created.body.id}/send`, { token: therapist.token, body: { clientId: client.id } });
    expect(sentV1.status, JSON.stringify(sentV1.body)).toBe(201);
    const v2 = await api('POST', '/form-templates', {
      token: therapist.token,
      body: { versionOf: created.body.id, title: { el: 'Ύπνος', en: 'Sleep' }, fields: [field('hours', 'Ώρες ύπνου', 'Hours of sleep'), field('dreams', 'Όνειρα', 'Dreams')] },
    });
    expect(v2.status).toBe(201);
    expect(v2.body).toMatchObject({ version: 2, formKey: created.body.formKey });
    const listed = await api('GET', '/form-templates', { token: therapist.token });
    expect(listed.body.map((t: { title: { en: string }; version: number }) => `${t.title.en} v${t.version}`)).toEqual(['Intake form v1', 'Sleep v2']);
    expect((await api('GET', '/form-templates', { token: otherTherapist.token })).body.map((t: { title: { en: string } }) => t.title.en)).toEqual(['Intake form']);

    const forms = (await api('GET', `/clients/${client.id}/forms`, { token: therapist.token })).body;
    expect(forms.find((form: { id: string }) => form.id === sentV1.body.id).fields.map((f: { id: string }) => f.id)).toEqual(['hours']);
    await expect(sql(node.platform, `UPDATE form_templates SET title = '{"el":"x","en":"x"}' WHERE id = :id RETURNING id`, { id: created.body.id })).rejects.toThrow(/never changes/);
    expect((await api('POST', '/form-templates', { token: otherTherapist.token, body: { versionOf: created.body.id, title: { el: 'x', en: 'x' }, fields: [field('a', 'α', 'a')] } })).status).toBe(404);
    expect((await api('POST', `/form-templates/${randomUUID()}/send`, { token: therapist.token, body: { clientId: client.id } })).status).toBe(404);
    // Another therapist's form cannot be sent by this one.
    const foreign = await api('POST', '/form-templates', { token: otherTherapist.token, body: { title: { el: 'Ξένη', en: 'Foreign' }, fields: [field('a', 'α', 'a')] } });
    expect((await api('POST', `/form-templates/${foreign.body.id}/send`, { token: therapist.token, body: { clientId: client.id } })).status).toBe(404);
  });

  it('lets nobody else read, send or answer: other therapists, companies, other clients, the client over the therapist’s routes', async () => {
    const [platformIntake] = (await api('GET', '/form-templates', { token: therapist.token })).body;
    for (const who of [otherTherapist, company, otherClient, client]) {
      const read = await api('GET', `/clients/${client.id}/forms`, { token: who.token });
      expect(read.status).toBe(404);
      expect((await api('POST', `/form-templates/${platformIntake.id}/send`, { token: who.token, body: { clientId: client.id } })).status).toBe(404);
      expect(await sql(node.platform, `SELECT 1 FROM audit_logs WHERE user_id = :id AND action = 'access_denied' AND entity_type = 'form_response'`, { id: who.id })).toHaveLength(2);
    }
    expect((await api('GET', `/clients/${client.id}/forms`)).status).toBe(401);
    expect((await api('GET', '/form-templates', { token: client.token })).status).toBe(403);
    expect((await api('POST', '/form-templates', { token: company.token, body: {} })).status).toBe(403);

    // Another client cannot answer this client's form; the database refuses what code might forget.
    const stolen = await pushResponse(otherClient, response({ id: randomUUID() }));
    expect(stolen.body.rejected).toEqual([expect.objectContaining({ code: 'FORBIDDEN' })]);
    const seenBy = (id: string, role: 'therapist' | 'client') =>
      runAsUser({ id, role }, () => node.platform.database.sequelize.query(`SELECT id FROM form_responses WHERE form_id = :formId`, { type: QueryTypes.SELECT, replacements: { formId: intakeFormId } }));
    expect(await seenBy(otherTherapist.id, 'therapist')).toEqual([]);
    expect(await seenBy(otherClient.id, 'client')).toEqual([]);
    expect(await seenBy(therapist.id, 'therapist')).toEqual([{ id: responseId }]);
    await expect(
      runAsUser({ id: otherClient.id, role: 'client' }, () =>
        node.platform.database.sequelize.query(`INSERT INTO form_responses (id, form_id, user_id, answers, language, submitted_at) VALUES (gen_random_uuid(), :formId, :me, '\\x00', 'el', now())`, {
          replacements: { formId: intakeFormId, me: otherClient.id },
        }),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('answers bad input with a 4xx', async () => {
    const post = (body: unknown) => api('POST', '/form-templates', { token: therapist.token, body });
    const label = { el: 'Ερώτηση', en: 'Question' };
    for (const fields of [
      [{ id: 'c', type: 'choice', isRequired: true, label }],
      [{ id: 'm', type: 'text', isRequired: false, label, mapsTo: { history: 'medical', field: 'favouriteColour' } }],
      [{ id: 'a', type: 'text', isRequired: false, label }, { id: 'a', type: 'text', isRequired: false, label }],
      [{ id: 'Bad Id', type: 'text', isRequired: false, label }],
      [],
    ]) {
      const refused = await post({ title: label, fields });
      expect(refused.status, JSON.stringify(fields)).toBe(400);
      expect(refused.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await post({ title: { el: 'Μόνο ελληνικά' }, fields: [{ id: 'a', type: 'text', isRequired: false, label }] })).status).toBe(400);
    expect((await api('POST', `/form-templates/not-a-uuid/send`, { token: therapist.token, body: { clientId: client.id } })).status).toBe(400);
    expect((await api('POST', `/form-templates/${randomUUID()}/send`, { token: therapist.token, body: { clientId: 'nobody' } })).status).toBe(400);
    expect((await api('POST', '/form-templates', { token: therapist.token, body: { versionOf: randomUUID(), title: label, fields: [{ id: 'a', type: 'text', isRequired: false, label }] } })).status).toBe(404);
    const badAnswer = await pushResponse(client, response({ id: randomUUID(), answers: { reason: { nested: true } } }));
    expect(badAnswer.body.rejected).toEqual([expect.objectContaining({ code: 'VALIDATION_FAILED' })]);
  });

  it('puts consent records, form answers (readable), sent forms and the daily mood rollups in the client’s GDPR export', async () => {
    expect((await api('POST', '/me/consents', { token: client.token, body: { kind: 'therapist_sharing', textVersion: '2026-12' } })).status).toBe(201);
    expect((await push(client.token, 'mood_entries', [{ newDocumentState: moodEntry({ recordedAt: '2026-11-30T22:30:00.000Z', moodScore: 7, sleepQuality: 6 }) }])).body.rejected).toEqual([]);
    const exported = await api('GET', '/me/export', { token: client.token });
    expect(exported.status).toBe(200);
    const { data } = exported.body;
    expect(data.consent_records).toEqual([expect.objectContaining({ kind: 'therapist_sharing', text_version: '2026-12', withdrawn_at: null })]);
    expect(data.form_responses).toEqual([expect.objectContaining({ id: responseId, form_id: intakeFormId, answers, language: 'el' })]);
    expect(data.dynamic_forms.map((form: { id: string }) => form.id)).toContain(intakeFormId);
    // 00:30 on 1 December in Athens.
    expect(data.mood_daily_rollups).toEqual([
      expect.objectContaining({ scope: 'own', day: '2026-12-01', entry_count: 1, mood_sum: 7, sleep_sum: 6 }),
    ]);
    expect(await sql(node.platform, `SELECT 1 FROM audit_logs WHERE user_id = :id AND action = 'form_response.read' AND metadata ->> 'via' = 'gdpr.export'`, { id: client.id })).toHaveLength(1);

    const therapistExport = (await api('GET', '/me/export', { token: therapist.token })).body.data;
    expect(therapistExport.form_templates.map((t: { version: number }) => t.version)).toEqual([1, 2]);
  });
});
