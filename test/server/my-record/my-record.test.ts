import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClinicalCast, isoWithOffset, pastAppointments } from '../../support/clinical.js';
import { apiClient, type ApiRequest } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { sql, type Account } from '../../support/scheduling.js';

const NOTE_TEXT = 'Ο Νίκος αναφέρει εφιάλτες μετά το ατύχημα';
const FORMULATION = 'Μετατραυματικό στρες, ευάλωτη προσωπικότητα';
const PRIVATE_NOTE = 'Ιδιωτική σημείωση θεραπευτή';

describe('the client’s own record and who read it', () => {
  let node: TestPlatform;
  let api: ApiRequest;
  let therapist: Account;
  let otherTherapist: Account;
  let client: Account;
  let otherClient: Account;
  let superAdmin: Account;
  let businessAdmin: Account;
  let appointmentId: string;

  beforeAll(async () => {
    node = await startTestPlatform();
    api = apiClient(node.url);
    ({ therapist, otherTherapist, client, otherClient, superAdmin, businessAdmin } = await createClinicalCast(node, api));
    appointmentId = await pastAppointments(node)(therapist.id, client.id);
    expect((await api('PUT', `/clients/${client.id}/history/medical`, { token: therapist.token, body: { allergies: 'Πενικιλίνη', currentMedications: 'Σερτραλίνη 50mg' } })).status).toBe(200);
    const plan = await api('POST', `/clients/${client.id}/treatment-plans`, {
      token: therapist.token,
      body: { startDate: '2026-11-01', treatmentGoals: 'Ύπνος χωρίς εφιάλτες τρεις νύχτες την εβδομάδα', presentingProblems: FORMULATION },
    });
    expect(plan.status, JSON.stringify(plan.body)).toBe(201);
    const note = await api('POST', `/appointments/${appointmentId}/session-notes`, { token: therapist.token, body: { noteType: 'dap', content: { data: NOTE_TEXT, assessment: '', plan: '' } } });
    expect(note.status).toBe(201);
    expect((await api('PUT', `/appointments/${appointmentId}/private-notes`, { token: therapist.token, body: { notes: PRIVATE_NOTE } })).status).toBe(204);
    // The therapist reads the record: these reads are what the client will see.
    expect((await api('GET', `/clients/${client.id}/history`, { token: therapist.token })).status).toBe(200);
    expect((await api('GET', `/session-notes/${note.body.id}`, { token: therapist.token })).status).toBe(200);
    expect((await api('GET', `/treatment-plans/${plan.body.id}`, { token: therapist.token })).status).toBe(200);
  });
  afterAll(async () => {
    await node?.close();
  });

  it('shows the client their histories, plan goals, consents and appointments, never the therapist’s notes or formulation', async () => {
    await api('POST', '/me/consents', { token: client.token, body: { kind: 'telehealth', textVersion: 'v1' } });
    const record = await api('GET', '/me/record', { token: client.token });
    expect(record.status, JSON.stringify(record.body)).toBe(200);
    expect(record.body.histories.medical).toMatchObject({ allergies: 'Πενικιλίνη', currentMedications: 'Σερτραλίνη 50mg' });
    expect(record.body.histories.psychiatric).toBeNull();
    expect(record.body.treatmentPlans).toEqual([
      expect.objectContaining({ therapistId: therapist.id, status: 'active', startDate: '2026-11-01', treatmentGoals: 'Ύπνος χωρίς εφιάλτες τρεις νύχτες την εβδομάδα' }),
    ]);
    expect(record.body.consents).toEqual([expect.objectContaining({ kind: 'telehealth', textVersion: 'v1' })]);
    expect(record.body.appointments).toEqual([expect.objectContaining({ id: appointmentId, therapistId: therapist.id })]);
    expect(record.body.appointments[0].scheduledStart).toMatch(isoWithOffset);
    const text = JSON.stringify(record.body);
    for (const secret of [NOTE_TEXT, FORMULATION, PRIVATE_NOTE]) expect(text).not.toContain(secret);

    for (const notClient of [therapist, superAdmin, businessAdmin]) expect((await api('GET', '/me/record', { token: notClient.token })).status).toBe(403);
    expect((await api('GET', '/me/record')).status).toBe(401);
    const other = await api('GET', '/me/record', { token: otherClient.token });
    expect(other.body).toMatchObject({ histories: { medical: null, psychiatric: null, social: null }, treatmentPlans: [], consents: [], appointments: [] });
  });

  it('lists every read of the client’s clinical data by someone else: who, role, when, what kind; never another client’s', async () => {
    const reads = await api('GET', '/me/record/reads', { token: client.token });
    expect(reads.status).toBe(200);
    const kinds = (reads.body as Array<{ recordKind: string; readerId: string; readerRole: string; at: string; breakGlass: boolean }>).map((read) => {
      expect(read.at).toMatch(isoWithOffset);
      expect(read).toMatchObject({ readerId: therapist.id, readerRole: 'therapist', breakGlass: false });
      return read.recordKind;
    });
    expect(kinds.sort()).toEqual(['patient_medical_history', 'session_note', 'treatment_plan']);
    // The client's own reads (of /me/record) are not someone else's.
    expect(JSON.stringify(reads.body)).not.toContain(client.id);
    expect((await api('GET', '/me/record/reads', { token: otherClient.token })).body).toEqual([]);
    expect((await api('GET', '/me/record/reads?limit=0', { token: client.token })).status).toBe(400);
    expect((await api('GET', '/me/record/reads', { token: therapist.token })).status).toBe(403);
  });

  it('a platform admin reads no clinical content; a break-glass read needs a reason, is audited, and the client and therapist are told', async () => {
    expect((await api('GET', `/clients/${client.id}/history`, { token: superAdmin.token })).status).toBe(404);
    expect((await api('GET', `/clients/${client.id}/session-notes`, { token: superAdmin.token })).status).toBe(403);
    expect((await api('POST', `/admin/break-glass/clients/${client.id}`, { token: superAdmin.token, body: {} })).status).toBe(400);
    expect((await api('POST', `/admin/break-glass/clients/${therapist.id}`, { token: superAdmin.token, body: { reason: 'Έλεγχος λογαριασμού θεραπευτή χωρίς λόγο' } })).status).toBe(404);
    expect((await api('POST', `/admin/break-glass/clients/${client.id}`, { token: otherTherapist.token, body: { reason: 'Θέλω να δω τον φάκελο του πελάτη' } })).status).toBe(403);

    const reason = 'Αναφορά αυτοκτονικού κινδύνου, ο θεραπευτής δεν είναι διαθέσιμος';
    const glass = await api('POST', `/admin/break-glass/clients/${client.id}`, { token: superAdmin.token, body: { reason } });
    expect(glass.status, JSON.stringify(glass.body)).toBe(200);
    expect(glass.body.histories.medical.allergies).toBe('Πενικιλίνη');
    expect(glass.body.sessionNotes[0].content.data).toBe(NOTE_TEXT);

    const [audit] = await sql<{ metadata: { reason: string }; entity_id: string }>(node.platform, `SELECT metadata, entity_id FROM audit_logs WHERE action = 'break_glass.read' AND user_id = :id`, { id: superAdmin.id });
    expect(audit).toMatchObject({ entity_id: client.id, metadata: { reason } });
    const told = await sql<{ user_id: string; message: string }>(node.platform, `SELECT user_id, message FROM notifications WHERE type = 'clinical.break_glass'`);
    expect(told.map((row) => row.user_id).sort()).toEqual([client.id, therapist.id].sort());
    expect(told.every((row) => !row.message.includes(reason))).toBe(true);

    const reads = await api('GET', '/me/record/reads', { token: client.token });
    const byAdmin = (reads.body as Array<{ readerId: string; readerRole: string; recordKind: string; breakGlass: boolean }>).filter((read) => read.readerId === superAdmin.id);
    expect(byAdmin.every((read) => read.readerRole === 'super_admin' && read.breakGlass)).toBe(true);
    expect(byAdmin.map((read) => read.recordKind).sort()).toEqual([
      'client_record',
      'patient_medical_history',
      'session_note',
    ]);
  });
});
