import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { runAsUser } from '@therapy-field/server';
import { createClinicalCast, isoWithOffset, pastAppointments } from '../../support/clinical.js';
import { apiClient, type ApiRequest } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { sql, type Account } from '../../support/scheduling.js';

const soap = (subjective: string) => ({ noteType: 'soap', content: { subjective, objective: 'Ήρεμη', assessment: 'Άγχος', plan: 'ΓΣΘ' } });

describe('signed notes never change: amendments, addenda and versions', () => {
  let node: TestPlatform;
  let api: ApiRequest;
  let therapist: Account;
  let otherTherapist: Account;
  let client: Account;
  let pastAppointment: ReturnType<typeof pastAppointments>;

  /** A note written, edited twice (three versions) and signed. */
  const signedNote = async () => {
    const appointmentId = await pastAppointment(therapist.id, client.id);
    const written = await api('POST', `/appointments/${appointmentId}/session-notes`, { token: therapist.token, body: soap('Πρώτη γραφή') });
    expect(written.status, JSON.stringify(written.body)).toBe(201);
    const id: string = written.body.id;
    expect((await api('PATCH', `/session-notes/${id}`, { token: therapist.token, body: { version: 1, ...soap('Δεύτερη γραφή') } })).status).toBe(200);
    expect((await api('PATCH', `/session-notes/${id}`, { token: therapist.token, body: { version: 2, ...soap('Τελική γραφή'), riskAssessment: 'Χωρίς κίνδυνο' } })).status).toBe(200);
    const signed = await api('POST', `/session-notes/${id}/sign`, { token: therapist.token });
    expect(signed.status).toBe(200);
    return signed.body;
  };
  const asApp = (who: Account & { role?: string }, query: string, replacements: Record<string, unknown>) =>
    runAsUser({ id: who.id, role: 'therapist' }, () => node.platform.database.sequelize.query(query, { type: QueryTypes.SELECT, replacements }));

  beforeAll(async () => {
    node = await startTestPlatform();
    api = apiClient(node.url);
    ({ therapist, otherTherapist, client } = await createClinicalCast(node, api));
    pastAppointment = pastAppointments(node);
  });
  afterAll(async () => {
    await node?.close();
  });

  it('adds an amendment and an addendum to a signed note, with author and time; the original and its versions stay', async () => {
    const note = await signedNote();
    const amendment = await api('POST', `/session-notes/${note.id}/amendments`, {
      token: therapist.token,
      body: { kind: 'amendment', text: 'Διόρθωση: η συνεδρία κράτησε 40 λεπτά', reason: 'Λάθος διάρκεια' },
    });
    expect(amendment.status, JSON.stringify(amendment.body)).toBe(201);
    expect(amendment.body).toMatchObject({ noteId: note.id, authorId: therapist.id, kind: 'amendment', text: 'Διόρθωση: η συνεδρία κράτησε 40 λεπτά', reason: 'Λάθος διάρκεια' });
    expect(amendment.body.createdAt).toMatch(isoWithOffset);
    const addendum = await api('POST', `/session-notes/${note.id}/amendments`, { token: therapist.token, body: { kind: 'addendum', text: 'Late entry: client called after the session' } });
    expect(addendum.status).toBe(201);

    const record = await api('GET', `/session-notes/${note.id}/record`, { token: therapist.token });
    expect(record.status).toBe(200);
    expect(record.body.note).toEqual(note);
    expect(record.body.note.content.subjective).toBe('Τελική γραφή');
    expect(record.body.versions.map((version: { version: number; content: { subjective: string } }) => [version.version, version.content.subjective])).toEqual([
      [1, 'Πρώτη γραφή'],
      [2, 'Δεύτερη γραφή'],
    ]);
    expect(record.body.versions[0].replacedAt).toMatch(isoWithOffset);
    expect(record.body.amendments.map((row: { kind: string; reason: string | null }) => [row.kind, row.reason])).toEqual([
      ['amendment', 'Λάθος διάρκεια'],
      ['addendum', null],
    ]);
    // Sealed at rest: the text is not in the row.
    const [stored] = await sql<{ content: Buffer }>(node.platform, `SELECT content FROM session_note_amendments WHERE id = :id`, { id: amendment.body.id });
    expect(stored!.content.toString('utf8')).not.toContain('Διόρθωση');

    const audited = await sql<{ action: string }>(node.platform, `SELECT action FROM audit_logs WHERE user_id = :id AND entity_id IN (:ids) ORDER BY performed_at, action`, {
      id: therapist.id,
      ids: [amendment.body.id, addendum.body.id],
    });
    expect(audited.map((row) => row.action)).toEqual(['session_note_amendment.write', 'session_note_amendment.write', 'session_note_amendment.read', 'session_note_amendment.read']);
  });

  it('refuses through the API to change a signed note, and to amend a draft', async () => {
    const note = await signedNote();
    const edit = await api('PATCH', `/session-notes/${note.id}`, { token: therapist.token, body: { version: note.version, ...soap('Αλλαγή') } });
    expect(edit.body.error.code).toBe('NOTE_SIGNED');
    const appointmentId = await pastAppointment(therapist.id, client.id);
    const draft = await api('POST', `/appointments/${appointmentId}/session-notes`, { token: therapist.token, body: soap('Πρόχειρο') });
    const amendDraft = await api('POST', `/session-notes/${draft.body.id}/amendments`, { token: therapist.token, body: { kind: 'addendum', text: 'x' } });
    expect(amendDraft.status).toBe(409);
    expect(amendDraft.body.error.code).toBe('NOTE_NOT_SIGNED');
    expect((await api('POST', `/session-notes/${note.id}/amendments`, { token: therapist.token, body: { kind: 'erasure', text: 'x' } })).status).toBe(400);
  });

  it('the database itself refuses an UPDATE of a signed note’s content, signature or deletion, from the app role and the owner', async () => {
    const note = await signedNote();
    await expect(asApp(therapist, `UPDATE session_notes SET content = '\\x01' WHERE id = :id RETURNING id`, { id: note.id })).rejects.toThrow(/signed/);
    await expect(asApp(therapist, `UPDATE session_notes SET is_signed = FALSE, signed_at = NULL WHERE id = :id RETURNING id`, { id: note.id })).rejects.toThrow(/signed/);
    await expect(asApp(therapist, `UPDATE session_notes SET deleted_at = now() WHERE id = :id RETURNING id`, { id: note.id })).rejects.toThrow(/signed/);
    await expect(asApp(therapist, `DELETE FROM session_notes WHERE id = :id RETURNING id`, { id: note.id })).rejects.toThrow(/signed/);
    await expect(sql(node.platform, `UPDATE session_notes SET risk_assessment = '\\x02' WHERE id = :id RETURNING id`, { id: note.id })).rejects.toThrow(/signed/);
    // Key rotation (not the app role) may re-seal under another key.
    expect(await sql(node.platform, `UPDATE session_notes SET content = content, encryption_key_id = 'rotated' WHERE id = :id RETURNING id`, { id: note.id })).toHaveLength(1);

    const amendment = await api('POST', `/session-notes/${note.id}/amendments`, { token: therapist.token, body: { kind: 'addendum', text: 'Συμπλήρωση' } });
    await expect(sql(node.platform, `UPDATE session_note_amendments SET created_at = now() - interval '1 day' WHERE id = :id RETURNING id`, { id: amendment.body.id })).rejects.toThrow(/written once/);
    await expect(asApp(therapist, `UPDATE session_note_amendments SET content = '\\x03' WHERE id = :id RETURNING id`, { id: amendment.body.id })).rejects.toThrow(/permission denied/);
    await expect(sql(node.platform, `UPDATE session_note_versions SET content = '\\x03' WHERE note_id = :id RETURNING id`, { id: note.id })).rejects.toThrow(/written once/);
  });

  it('lets nobody but the note’s therapist amend it or read its record', async () => {
    const note = await signedNote();
    for (const who of [otherTherapist, client]) {
      expect((await api('POST', `/session-notes/${note.id}/amendments`, { token: who.token, body: { kind: 'addendum', text: 'x' } })).status).toBe(404);
      expect((await api('GET', `/session-notes/${note.id}/record`, { token: who.token })).status).toBe(404);
    }
    const denied = await sql<{ user_id: string }>(node.platform, `SELECT user_id FROM audit_logs WHERE action = 'access_denied' AND entity_id = :id`, { id: note.id });
    expect(denied.length).toBeGreaterThanOrEqual(4);
  });

  it('starts a note from a template: the platform’s SOAP, DAP and BIRP in Greek and English, and the therapist’s own', async () => {
    const all = await api('GET', '/note-templates', { token: therapist.token });
    expect(all.status).toBe(200);
    const platform = (all.body as Array<{ id: string; therapistId: string | null; noteType: string; language: string }>).filter((template) => template.therapistId === null);
    expect(platform.map((template) => `${template.noteType}/${template.language}`).sort()).toEqual(['birp/el', 'birp/en', 'dap/el', 'dap/en', 'soap/el', 'soap/en']);

    const greekSoap = await api('GET', '/note-templates?noteType=soap&language=el', { token: therapist.token });
    expect(greekSoap.body).toHaveLength(1);
    expect(greekSoap.body[0].content.subjective).toMatch(/θεραπευόμενος/);

    const own = await api('POST', '/note-templates', {
      token: therapist.token,
      body: { name: 'ΓΣΘ συνεδρία', noteType: 'dap', therapeuticApproach: 'CBT', language: 'el', content: { data: 'Γνωσιακές διαστρεβλώσεις', assessment: '', plan: 'Εργασία' } },
    });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    expect(own.body).toMatchObject({ therapistId: therapist.id, noteType: 'dap', therapeuticApproach: 'CBT', isDefault: false });
    const cbt = await api('GET', '/note-templates?noteType=dap&therapeuticApproach=cbt&language=el', { token: therapist.token });
    expect(cbt.body.map((template: { id: string }) => template.id)[0]).toBe(own.body.id);

    // The template's content starts a note as it is.
    const appointmentId = await pastAppointment(therapist.id, client.id);
    const started = await api('POST', `/appointments/${appointmentId}/session-notes`, { token: therapist.token, body: { noteType: own.body.noteType, content: own.body.content } });
    expect(started.status).toBe(201);

    expect((await api('GET', `/note-templates/${own.body.id}`, { token: otherTherapist.token })).status).toBe(404);
    expect((await api('GET', '/note-templates', { token: otherTherapist.token })).body.some((template: { id: string }) => template.id === own.body.id)).toBe(false);
    expect((await api('GET', '/note-templates', { token: client.token })).status).toBe(403);
    expect((await api('DELETE', `/note-templates/${platform[0]!.id}`, { token: therapist.token })).status).toBe(404);
    expect((await api('DELETE', `/note-templates/${own.body.id}`, { token: otherTherapist.token })).status).toBe(404);
    expect((await api('DELETE', `/note-templates/${own.body.id}`, { token: therapist.token })).status).toBe(204);
    expect((await api('POST', '/note-templates', { token: therapist.token, body: { name: 'x', noteType: 'soap', content: { data: 'wrong shape' } } })).status).toBe(400);
  });
});
