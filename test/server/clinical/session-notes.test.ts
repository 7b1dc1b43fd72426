import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, type TherapyFieldClient } from '@therapy-field/client-sdk';
import { TEST_PASSWORD } from '../../support/accounts.js';
import { createClinicalCast, isoWithOffset, pastAppointments } from '../../support/clinical.js';
import { apiClient, type ApiRequest } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { restOnlyClient } from '../../support/sdk.js';
import { createAccounts, sql, type Account } from '../../support/scheduling.js';

const GREEK_RISK = 'Αναφέρει σκέψεις αυτοτραυματισμού χωρίς σχέδιο';
const GREEK_SUBJECTIVE = 'Η Ελένη περιγράφει έντονο άγχος στη δουλειά';

describe('session notes', () => {
  let node: TestPlatform;
  let api: ApiRequest;
  let therapist: Account & { email: string };
  let otherTherapist: Account;
  let client: Account;
  let otherClient: Account;
  let superAdmin: Account;
  let businessAdmin: Account;

  const soap = (subjective = GREEK_SUBJECTIVE) => ({
    noteType: 'soap',
    content: { subjective, objective: 'Ήρεμη, καλή επαφή', assessment: 'Γενικευμένο άγχος', plan: 'Συνέχιση ΓΣΘ' },
    riskAssessment: GREEK_RISK,
    homeworkAssigned: 'Ημερολόγιο σκέψεων',
    interventions: ['CBT-01', 'MI "open"'],
    therapeuticApproach: 'CBT',
  });
  let pastAppointment: ReturnType<typeof pastAppointments>;
  const appointmentFor = (clientId = client.id, status: 'confirmed' | 'completed' | 'cancelled' | 'requested' = 'completed', therapistId = therapist.id) =>
    pastAppointment(therapistId, clientId, status);
  const writeNote = (appointmentId: string, body: object = soap(), who: Account = therapist) =>
    api('POST', `/appointments/${appointmentId}/session-notes`, { token: who.token, body });
  const auditActions = async (noteId: string) =>
    (
      await sql<{ action: string; user_id: string }>(node.platform, `SELECT action, user_id FROM audit_logs WHERE entity_id = :noteId AND action LIKE 'session_note.%' ORDER BY performed_at, action DESC`, {
        noteId,
      })
    ).map((row) => `${row.action} by ${row.user_id === therapist.id ? 'therapist' : row.user_id}`);

  beforeAll(async () => {
    node = await startTestPlatform();
    api = apiClient(node.url);
    ({ therapist, otherTherapist, client, otherClient, superAdmin, businessAdmin } = await createClinicalCast(node, api));
    pastAppointment = pastAppointments(node);
  });

  afterAll(async () => {
    await node?.close();
  });

  it('writes a SOAP note for the therapist’s appointment and reads it back, by id and by appointment', async () => {
    const appointmentId = await appointmentFor();
    const written = await writeNote(appointmentId);
    expect(written.status, JSON.stringify(written.body)).toBe(201);
    expect(written.body).toMatchObject({
      appointmentId,
      therapistId: therapist.id,
      clientId: client.id,
      noteType: 'soap',
      content: soap().content,
      riskAssessment: GREEK_RISK,
      homeworkAssigned: 'Ημερολόγιο σκέψεων',
      progressIndicators: null,
      nextSessionPlan: null,
      interventions: ['CBT-01', 'MI "open"'],
      therapeuticApproach: 'CBT',
      isSigned: false,
      signedAt: null,
      version: 1,
    });
    expect(written.body.createdAt).toMatch(isoWithOffset);
    expect(written.body.updatedAt).toMatch(isoWithOffset);

    const byId = await api('GET', `/session-notes/${written.body.id}`, { token: therapist.token });
    expect(byId.status).toBe(200);
    expect(byId.body).toEqual(written.body);
    const byAppointment = await api('GET', `/appointments/${appointmentId}/session-notes`, { token: therapist.token });
    expect(byAppointment.status).toBe(200);
    expect(byAppointment.body).toEqual([written.body]);
  });

  it('stores no plaintext: the sealed columns decrypt to the note, under the current key id', async () => {
    const written = await writeNote(await appointmentFor());
    const [stored] = await sql<{ content: Buffer; risk_assessment: Buffer; homework_assigned: Buffer; progress_indicators: Buffer | null; encryption_key_id: string; interventions: string[] }>(
      node.platform,
      `SELECT content, risk_assessment, homework_assigned, progress_indicators, encryption_key_id, interventions FROM session_notes WHERE id = :id`,
      { id: written.body.id },
    );
    const { cipher } = node.platform;
    for (const column of [stored!.content, stored!.risk_assessment, stored!.homework_assigned]) {
      expect(column.includes(Buffer.from('άγχος', 'utf8'))).toBe(false);
      expect(column.includes(Buffer.from('αυτοτραυματισμού', 'utf8'))).toBe(false);
      expect(column.includes(Buffer.from('Ημερολόγιο', 'utf8'))).toBe(false);
      expect(cipher.keyIdOf(column)).toBe('test1');
    }
    expect(stored!.content.includes(Buffer.from(GREEK_SUBJECTIVE, 'utf8'))).toBe(false);
    expect(stored!.risk_assessment.includes(Buffer.from(GREEK_RISK, 'utf8'))).toBe(false);
    expect(JSON.parse(cipher.decrypt(stored!.content))).toEqual(soap().content);
    expect(cipher.decrypt(stored!.risk_assessment)).toBe(GREEK_RISK);
    expect(stored!.progress_indicators).toBeNull();
    expect(stored!.encryption_key_id).toBe(cipher.currentKeyId);
    expect(stored!.interventions).toEqual(['CBT-01', 'MI "open"']);
  });

  it('audits the write and every read, by the therapist, without clinical text', async () => {
    const appointmentId = await appointmentFor();
    const written = await writeNote(appointmentId);
    await api('GET', `/session-notes/${written.body.id}`, { token: therapist.token });
    await api('GET', `/appointments/${appointmentId}/session-notes`, { token: therapist.token });
    await api('GET', `/clients/${client.id}/session-notes?limit=100`, { token: therapist.token });
    expect(await auditActions(written.body.id)).toEqual([
      'session_note.write by therapist',
      'session_note.read by therapist',
      'session_note.read by therapist',
      'session_note.read by therapist',
    ]);
    const [audited] = await sql<{ text: string }>(node.platform, `SELECT string_agg(coalesce(old_values::text, '') || coalesce(new_values::text, '') || metadata::text, ' ') AS text FROM audit_logs WHERE entity_id = :id`, {
      id: written.body.id,
    });
    expect(audited!.text).not.toContain('άγχος');
    expect(audited!.text).not.toContain('αυτοτραυματισμού');
  });

  it('is not found for another therapist, the client, a business admin and a super admin; list routes are for therapists', async () => {
    const appointmentId = await appointmentFor();
    const written = await writeNote(appointmentId);
    const noteId = written.body.id as string;
    for (const outsider of [otherTherapist, client, businessAdmin, superAdmin]) {
      for (const [method, target, body] of [
        ['GET', `/session-notes/${noteId}`],
        ['PATCH', `/session-notes/${noteId}`, { version: 1, noteType: 'soap', riskAssessment: 'x' }],
        ['POST', `/session-notes/${noteId}/sign`],
        ['DELETE', `/session-notes/${noteId}`],
      ] as const) {
        const refused = await api(method, target, { token: outsider.token, body });
        expect(refused.status, `${method} ${target} by ${outsider.id}`).toBe(404);
        expect(refused.body.error.code).toBe('NOT_FOUND');
        expect(JSON.stringify(refused.body)).not.toContain('άγχος');
      }
    }
    for (const outsider of [client, businessAdmin, superAdmin]) {
      for (const target of [`/clients/${client.id}/session-notes`, `/appointments/${appointmentId}/session-notes`]) {
        const refused = await api('GET', target, { token: outsider.token });
        expect(refused.status).toBe(403);
        expect(refused.body.error.code).toBe('FORBIDDEN');
      }
      expect((await writeNote(appointmentId, soap(), outsider)).status).toBe(403);
    }
    expect((await api('GET', `/appointments/${appointmentId}/session-notes`, { token: otherTherapist.token })).status).toBe(404);
    // Not the client's therapist: the client's notes are "not found", as the other clinical routes say.
    const othersPage = await api('GET', `/clients/${client.id}/session-notes`, { token: otherTherapist.token });
    expect(othersPage).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    expect((await api('GET', `/session-notes/${noteId}`, { token: therapist.token })).body.version).toBe(1);
    expect(await auditActions(noteId)).toEqual(['session_note.write by therapist', 'session_note.read by therapist']);
  });

  it('refuses notes for requested or cancelled appointments and for someone else’s', async () => {
    for (const status of ['cancelled', 'requested'] as const) {
      const refused = await writeNote(await appointmentFor(client.id, status));
      expect(refused.status).toBe(409);
      expect(refused.body.error).toMatchObject({ code: 'NOTE_APPOINTMENT_INELIGIBLE', details: { status } });
    }
    const othersAppointment = await appointmentFor(client.id, 'completed', otherTherapist.id);
    const notMine = await writeNote(othersAppointment);
    expect(notMine.status).toBe(404);
    expect(notMine.body.error.code).toBe('NOT_FOUND');
    expect((await writeNote(await appointmentFor(client.id, 'confirmed'))).status).toBe(201);
    const [count] = await sql<{ count: string }>(node.platform, `SELECT count(*) AS count FROM session_notes WHERE appointment_id = :id`, { id: othersAppointment });
    expect(Number(count!.count)).toBe(0);
  });

  it('pages a client’s notes newest first with a cursor, only that client’s', async () => {
    const [pagedClient] = (await createAccounts(node.platform, 'client', 1)) as [Account];
    const written: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      written.push((await writeNote(await appointmentFor(pagedClient.id), soap(`Συνεδρία ${index}`))).body.id);
    }
    await writeNote(await appointmentFor(otherClient.id));
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : '?limit=2';
      const page = await api('GET', `/clients/${pagedClient.id}/session-notes${query}`, { token: therapist.token });
      expect(page.status).toBe(200);
      sizes.push(page.body.notes.length);
      seen.push(...page.body.notes.map((note: { id: string; clientId: string }) => note.id));
      expect(page.body.notes.every((note: { clientId: string }) => note.clientId === pagedClient.id)).toBe(true);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(sizes).toEqual([2, 2, 1]);
    expect(seen).toEqual([...written].reverse());

    const badCursor = await api('GET', `/clients/${pagedClient.id}/session-notes?cursor=not-a-cursor`, { token: therapist.token });
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error.details).toEqual([{ path: 'cursor', message: expect.any(String) }]);
  });

  it('edits from the version the editor saw; a stale version is a conflict', async () => {
    const written = await writeNote(await appointmentFor());
    const noteId = written.body.id as string;
    const edited = await api('PATCH', `/session-notes/${noteId}`, {
      token: therapist.token,
      body: { version: 1, noteType: 'soap', content: { subjective: 'Λιγότερο άγχος', plan: 'Έκθεση' }, riskAssessment: null, nextSessionPlan: 'Ανασκόπηση ημερολογίου' },
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({
      version: 2,
      content: { subjective: 'Λιγότερο άγχος', objective: '', assessment: '', plan: 'Έκθεση' },
      riskAssessment: null,
      nextSessionPlan: 'Ανασκόπηση ημερολογίου',
      homeworkAssigned: 'Ημερολόγιο σκέψεων',
      interventions: ['CBT-01', 'MI "open"'],
    });
    const stale = await api('PATCH', `/session-notes/${noteId}`, { token: therapist.token, body: { version: 1, noteType: 'soap', homeworkAssigned: 'Άλλο' } });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'NOTE_VERSION_CONFLICT', details: { currentVersion: 2 } });

    const retyped = await api('PATCH', `/session-notes/${noteId}`, { token: therapist.token, body: { version: 2, noteType: 'dap' } });
    expect(retyped.status).toBe(400);
    expect(retyped.body.error.details).toEqual([{ path: 'content', message: expect.any(String) }]);
    const asDap = await api('PATCH', `/session-notes/${noteId}`, { token: therapist.token, body: { version: 2, noteType: 'dap', content: { data: 'Δεδομένα' } } });
    expect(asDap.body).toMatchObject({ version: 3, noteType: 'dap', content: { data: 'Δεδομένα', assessment: '', plan: '' } });
    const [stored] = await sql<{ risk_assessment: Buffer | null; version: number }>(node.platform, `SELECT risk_assessment, version FROM session_notes WHERE id = :id`, { id: noteId });
    expect(stored).toEqual({ risk_assessment: null, version: 3 });
  });

  it('makes a signed note immutable; an unsigned one can be deleted', async () => {
    const written = await writeNote(await appointmentFor());
    const noteId = written.body.id as string;
    const signed = await api('POST', `/session-notes/${noteId}/sign`, { token: therapist.token });
    expect(signed.status).toBe(200);
    expect(signed.body).toMatchObject({ isSigned: true, version: 2 });
    expect(signed.body.signedAt).toMatch(isoWithOffset);
    for (const [method, target, body] of [
      ['PATCH', `/session-notes/${noteId}`, { version: 2, noteType: 'soap', riskAssessment: 'Αλλαγή' }],
      ['DELETE', `/session-notes/${noteId}`],
      ['POST', `/session-notes/${noteId}/sign`],
    ] as const) {
      const refused = await api(method, target, { token: therapist.token, body });
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('NOTE_SIGNED');
    }
    expect((await api('GET', `/session-notes/${noteId}`, { token: therapist.token })).body).toMatchObject({ riskAssessment: GREEK_RISK, version: 2 });

    const appointmentId = await appointmentFor();
    const draft = await writeNote(appointmentId);
    expect((await api('DELETE', `/session-notes/${draft.body.id}`, { token: therapist.token })).status).toBe(204);
    expect((await api('GET', `/session-notes/${draft.body.id}`, { token: therapist.token })).status).toBe(404);
    expect((await api('GET', `/appointments/${appointmentId}/session-notes`, { token: therapist.token })).body).toEqual([]);
    const [deleted] = await sql<{ deleted_at: Date | null }>(node.platform, `SELECT deleted_at FROM session_notes WHERE id = :id`, { id: draft.body.id });
    expect(deleted!.deleted_at).toBeInstanceOf(Date);
    expect(await auditActions(noteId)).toEqual(['session_note.write by therapist', 'session_note.write by therapist', 'session_note.read by therapist']);
  });

  it('answers bad input with 400 and the fields at fault', async () => {
    const appointmentId = await appointmentFor();
    const cases: Array<[object, string[]]> = [
      [{ noteType: 'soap' }, ['content']],
      [{ noteType: 'narrative', content: { text: 'x' } }, ['noteType']],
      [{ noteType: 'soap', content: {} }, ['content']],
      [{ noteType: 'soap', content: { subjective: 'x'.repeat(20_001) } }, ['content.subjective']],
      [{ noteType: 'dap', content: { data: 'x' }, riskAssessment: 42, interventions: [''] }, ['riskAssessment', 'interventions.0']],
      [{ noteType: 'custom', content: { sections: [] } }, ['content.sections']],
      [{ noteType: 'soap', content: { plan: 'x' }, secret: true }, ['']],
    ];
    for (const [body, paths] of cases) {
      const refused = await writeNote(appointmentId, body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error.code).toBe('VALIDATION_FAILED');
      expect(refused.body.error.details.map((detail: { path: string }) => detail.path)).toEqual(expect.arrayContaining(paths));
    }
    const badId = await api('GET', '/session-notes/not-a-uuid', { token: therapist.token });
    expect(badId.status).toBe(400);
    expect(badId.body.error.details[0].path).toBe('id');
    const noVersion = await api('PATCH', `/session-notes/${randomUUID()}`, {
      token: therapist.token,
      body: { noteType: 'soap' },
    });
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.error.details.map((detail: { path: string }) => detail.path)).toContain('version');
    expect((await api('GET', `/appointments/${appointmentId}/session-notes`, { token: therapist.token })).body).toEqual([]);
  });

  it('is described in the OpenAPI document, the body as one schema per note type', async () => {
    const spec = await api('GET', '/openapi.json');
    const paths = spec.body.paths;
    expect(Object.keys(paths['/appointments/{id}/session-notes'])).toEqual(expect.arrayContaining(['post', 'get']));
    expect(Object.keys(paths['/session-notes/{id}'])).toEqual(expect.arrayContaining(['get', 'patch', 'delete']));
    expect(paths['/session-notes/{id}/sign'].post.responses['409']).toBeDefined();
    expect(paths['/clients/{clientId}/session-notes'].get.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(expect.arrayContaining(['clientId', 'cursor', 'limit']));
    const body = paths['/appointments/{id}/session-notes'].post.requestBody.content['application/json'].schema;
    expect(JSON.stringify(body)).toContain('subjective');
    expect(body.oneOf ?? body.anyOf).toHaveLength(4);
  });

  describe('through the SDK', () => {
    let sdk: TherapyFieldClient<never> | undefined;

    afterAll(async () => {
      await sdk?.close();
    });

    it('writes, edits, pages and signs with api.sessionNotes', async () => {
      sdk = await restOnlyClient(node.url);
      await sdk.auth.login(therapist.email, TEST_PASSWORD);
      const [sdkClient] = (await createAccounts(node.platform, 'client', 1)) as [Account];
      const appointmentId = await appointmentFor(sdkClient.id);

      const note = await sdk.api.sessionNotes.create(appointmentId, { noteType: 'birp', content: { behavior: 'Ανήσυχος', response: 'Θετική' }, progressIndicators: 'Καλύτερος ύπνος' });
      expect(note).toMatchObject({ noteType: 'birp', content: { behavior: 'Ανήσυχος', intervention: '', response: 'Θετική', plan: '' }, version: 1 });
      const edited = await sdk.api.sessionNotes.update(note.id, { version: note.version, noteType: note.noteType, nextSessionPlan: 'Χαλάρωση' });
      expect(edited).toMatchObject({ version: 2, nextSessionPlan: 'Χαλάρωση', progressIndicators: 'Καλύτερος ύπνος' });
      expect(await sdk.api.sessionNotes.listForAppointment(appointmentId)).toEqual([edited]);
      expect(await sdk.api.sessionNotes.listForClient(sdkClient.id, { limit: 10 })).toEqual({ notes: [edited], nextCursor: null });
      expect(await sdk.api.sessionNotes.get(note.id)).toEqual(edited);
      expect((await sdk.api.sessionNotes.sign(note.id)).isSigned).toBe(true);

      const error = await sdk.api.sessionNotes.delete(note.id).then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'NOTE_SIGNED', status: 409 });
    });
  });
});
