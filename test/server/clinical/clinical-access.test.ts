import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../support/accounts.js';
import { createClinicalCast, pastAppointments, type ClinicalCast } from '../../support/clinical.js';
import { apiClient, type ApiRequest } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { createAccounts, createAppointmentType, createListedTherapist, everyDay, sql, type Account } from '../../support/scheduling.js';

/** Who tried what on clinical data, and who is named as the actor of what the audit trigger writes (issue 9, hole 7). */
describe('clinical access is refused alike and audited, allowed or not', () => {
  let node: TestPlatform;
  let api: ApiRequest;
  let cast: ClinicalCast;
  let pastAppointment: ReturnType<typeof pastAppointments>;
  const note = {
    noteType: 'soap',
    content: { subjective: 'Αναφέρει άγχος', objective: 'Ήρεμη', assessment: 'Πρόοδος', plan: 'Συνέχιση' },
  };
  const denials = (actorId: string) =>
    sql<{ entity_type: string; entity_id: string; verb: string }>(
      node.platform,
      `SELECT entity_type, entity_id, metadata->>'verb' AS verb FROM audit_logs WHERE user_id = :actorId AND action = 'access_denied' ORDER BY performed_at, id`,
      { actorId },
    );

  beforeAll(async () => {
    node = await startTestPlatform();
    api = apiClient(node.url);
    cast = await createClinicalCast(node, api);
    pastAppointment = pastAppointments(node);
  });

  afterAll(async () => {
    await node?.close();
  });

  it('tells a stranger a client’s session notes do not exist (404), as the other clinical routes do; their own client’s empty list is 200', async () => {
    const { therapist, otherTherapist, client } = cast;
    await pastAppointment(therapist.id, client.id);
    const stranger = await api('GET', `/clients/${client.id}/session-notes`, { token: otherTherapist.token });
    expect(stranger).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    expect((await api('GET', `/clients/${client.id}/history`, { token: otherTherapist.token })).status).toBe(404);
    const own = await api('GET', `/clients/${client.id}/session-notes`, { token: therapist.token });
    expect(own.status).toBe(200);
    expect(own.body.notes).toEqual([]);
  });

  it('writes an access_denied audit row for every refused clinical read or write', async () => {
    const { therapist, client, otherClient } = cast;
    const signedUp = await signUp(api, node.platform.database.owner, 'therapist');
    const intruder: Account = { id: signedUp.id, token: signedUp.accessToken };
    const appointmentId = await pastAppointment(therapist.id, otherClient.id);
    const written = await api('POST', `/appointments/${appointmentId}/session-notes`, { token: therapist.token, body: note });
    expect(written.status, JSON.stringify(written.body)).toBe(201);
    const plan = await api('POST', `/clients/${otherClient.id}/treatment-plans`, {
      token: therapist.token,
      body: { startDate: '2026-03-02', presentingProblems: 'Άγχος', treatmentGoals: 'Ύπνος' },
    });
    expect(plan.status, JSON.stringify(plan.body)).toBe(201);
    const missing = randomUUID();

    const medical = { currentMedications: null, allergies: 'Γύρη', chronicConditions: null, previousHospitalizations: null, substanceUseHistory: null, familyMedicalHistory: null, primaryCarePhysician: null, lastPhysicalExam: null };
    const attempts = [
      () => api('GET', `/clients/${client.id}/history`, { token: intruder.token }),
      () => api('PUT', `/clients/${client.id}/history/medical`, { token: intruder.token, body: medical }),
      () => api('GET', `/clients/${otherClient.id}/session-notes`, { token: intruder.token }),
      () => api('GET', `/session-notes/${written.body.id}`, { token: intruder.token }),
      () => api('PATCH', `/session-notes/${written.body.id}`, { token: intruder.token, body: { version: 1, noteType: 'soap', riskAssessment: 'Χαμηλός' } }),
      () => api('GET', `/appointments/${appointmentId}/session-notes`, { token: intruder.token }),
      () => api('POST', `/appointments/${appointmentId}/session-notes`, { token: intruder.token, body: note }),
      () => api('GET', `/treatment-plans/${plan.body.id}`, { token: intruder.token }),
      () => api('GET', `/clients/${otherClient.id}/treatment-plans`, { token: intruder.token }),
      () => api('GET', `/appointments/${appointmentId}/private-notes`, { token: intruder.token }),
      () => api('GET', `/session-notes/${missing}`, { token: intruder.token }),
    ];
    const statuses = [];
    for (const attempt of attempts) statuses.push((await attempt()).status);
    expect(statuses).toEqual(Array(attempts.length).fill(404));
    expect(await denials(intruder.id)).toEqual([
      { entity_type: 'client_history', entity_id: client.id, verb: 'read' },
      { entity_type: 'patient_medical_history', entity_id: client.id, verb: 'write' },
      { entity_type: 'session_note', entity_id: otherClient.id, verb: 'read' },
      { entity_type: 'session_note', entity_id: written.body.id, verb: 'read' },
      { entity_type: 'session_note', entity_id: written.body.id, verb: 'write' },
      { entity_type: 'session_note', entity_id: appointmentId, verb: 'read' },
      { entity_type: 'session_note', entity_id: appointmentId, verb: 'write' },
      { entity_type: 'treatment_plan', entity_id: plan.body.id, verb: 'read' },
      { entity_type: 'treatment_plan', entity_id: otherClient.id, verb: 'read' },
      { entity_type: 'appointment_private_notes', entity_id: appointmentId, verb: 'read' },
      { entity_type: 'session_note', entity_id: missing, verb: 'read' },
    ]);
  });

  it('names the acting user in the rows the audit trigger writes for appointments and session notes', async () => {
    const [admin] = (await createAccounts(node.platform, 'super_admin', 1)) as [Account];
    const type50 = await createAppointmentType(api, admin!, 50);
    const therapist = await createListedTherapist(api, node.platform, admin!, { templates: everyDay('00:00', '23:59') });
    const [client] = (await createAccounts(node.platform, 'client', 1)) as [Account];
    const slots = await api('GET', `/therapists/${therapist.id}/slots?from=${encodeURIComponent(new Date(Date.now() + 86_400_000).toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 3 * 86_400_000).toISOString())}&type=${type50}`);
    const booked = await api('POST', '/appointments', { token: client!.token, body: { therapistId: therapist.id, appointmentTypeId: type50, start: slots.body.slots[0].start } });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    expect((await api('POST', `/appointments/${booked.body.id}/confirm`, { token: therapist.token })).status).toBe(200);
    expect((await api('PUT', `/appointments/${booked.body.id}/private-notes`, { token: therapist.token, body: { notes: 'Σημείωση' } })).status).toBe(204);
    const written = await api('POST', `/appointments/${booked.body.id}/session-notes`, { token: therapist.token, body: note });
    expect(written.status, JSON.stringify(written.body)).toBe(201);

    const actors = await sql<{ action: string; entity_type: string; user_id: string | null }>(
      node.platform,
      `SELECT action, entity_type, user_id FROM audit_logs WHERE entity_id IN (:ids) AND action IN ('INSERT', 'UPDATE') ORDER BY performed_at, id`,
      { ids: [booked.body.id, written.body.id] },
    );
    expect(actors).toEqual([
      { action: 'INSERT', entity_type: 'appointments', user_id: client!.id },
      { action: 'UPDATE', entity_type: 'appointments', user_id: therapist.id },
      { action: 'UPDATE', entity_type: 'appointments', user_id: therapist.id },
      { action: 'INSERT', entity_type: 'session_notes', user_id: therapist.id },
    ]);
  });
});
