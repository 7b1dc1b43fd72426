import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { runAsUser } from '@therapy-field/server';
import { signUp } from '../../support/accounts.js';
import { createClinicalCast, pastAppointments } from '../../support/clinical.js';
import { apiClient, type ApiRequest } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { sql, type Account } from '../../support/scheduling.js';

const SECRET_SUBJECTIVE = 'Η Μαρία μιλά για τον θάνατο του πατέρα της';
const SUPERVISOR_REMARK = 'Πρόσεξε την αντιμεταβίβαση στη διαχείριση του πένθους';

describe('supervision: the active supervisor reads only the notes marked for review', () => {
  let node: TestPlatform;
  let api: ApiRequest;
  let supervisee: Account;
  let supervisor: Account;
  let otherTherapist: Account;
  let client: Account;
  let superAdmin: Account;
  let businessAdmin: Account;
  let pastAppointment: ReturnType<typeof pastAppointments>;
  let relationshipId: string;
  let marked: string;
  let unmarked: string;

  const writeNote = async (sign: boolean) => {
    const appointmentId = await pastAppointment(supervisee.id, client.id);
    const note = await api('POST', `/appointments/${appointmentId}/session-notes`, {
      token: supervisee.token,
      body: { noteType: 'soap', content: { subjective: SECRET_SUBJECTIVE, objective: '', assessment: 'Πένθος', plan: '' } },
    });
    expect(note.status).toBe(201);
    if (sign) expect((await api('POST', `/session-notes/${note.body.id}/sign`, { token: supervisee.token })).status).toBe(200);
    return note.body.id as string;
  };

  beforeAll(async () => {
    node = await startTestPlatform();
    api = apiClient(node.url);
    let therapist: Account;
    ({ therapist, otherTherapist, client, superAdmin, businessAdmin } = await createClinicalCast(node, api));
    supervisee = therapist;
    const signedUp = await signUp(api, node.platform.database.owner, 'therapist');
    supervisor = { id: signedUp.id, token: signedUp.accessToken };
    pastAppointment = pastAppointments(node);
    marked = await writeNote(true);
    unmarked = await writeNote(true);
  });
  afterAll(async () => {
    await node?.close();
  });

  it('the database requires both parties to be therapists; the supervisee chooses their supervisor', async () => {
    await expect(
      sql(node.platform, `INSERT INTO supervision_relationships (supervisor_id, supervisee_id, start_date) VALUES (:supervisor, :client, current_date) RETURNING id`, {
        supervisor: supervisor.id,
        client: client.id,
      }),
    ).rejects.toThrow(/must both have the therapist role/);
    await expect(
      sql(node.platform, `INSERT INTO supervision_relationships (supervisor_id, supervisee_id, start_date) VALUES (:client, :supervisee, current_date) RETURNING id`, {
        client: client.id,
        supervisee: supervisee.id,
      }),
    ).rejects.toThrow(/must both have the therapist role/);
    expect((await api('POST', '/supervision/relationships', { token: supervisee.token, body: { supervisorId: client.id } })).status).toBe(404);
    expect((await api('POST', '/supervision/relationships', { token: supervisee.token, body: { supervisorId: supervisee.id } })).status).toBe(400);
    expect((await api('POST', '/supervision/relationships', { token: client.token, body: { supervisorId: supervisor.id } })).status).toBe(403);
    // A would-be supervisor cannot make themselves one, even in SQL through the app role.
    await expect(
      runAsUser({ id: otherTherapist.id, role: 'therapist' }, () =>
        node.platform.database.sequelize.query(`INSERT INTO supervision_relationships (supervisor_id, supervisee_id, start_date) VALUES (:me, :supervisee, current_date) RETURNING id`, {
          type: QueryTypes.SELECT,
          replacements: { me: otherTherapist.id, supervisee: supervisee.id },
        }),
      ),
    ).rejects.toThrow(/row-level security/);

    const started = await api('POST', '/supervision/relationships', { token: supervisee.token, body: { supervisorId: supervisor.id, supervisionType: 'κλινική', frequency: 'εβδομαδιαία' } });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    expect(started.body).toMatchObject({ supervisorId: supervisor.id, superviseeId: supervisee.id, status: 'active', endDate: null });
    relationshipId = started.body.id;
    expect((await api('GET', '/supervision/relationships', { token: supervisor.token })).body).toEqual([started.body]);
    expect((await api('GET', '/supervision/relationships', { token: otherTherapist.token })).body).toEqual([]);
  });

  it('the access matrix: only the active supervisor reads a marked note; nobody reads an unmarked one; break-glass needs a reason', async () => {
    expect((await api('POST', `/session-notes/${marked}/review-request`, { token: otherTherapist.token })).status).toBe(404);
    expect((await api('POST', `/session-notes/${marked}/review-request`, { token: supervisee.token })).status).toBe(204);

    const queue = await api('GET', '/supervision/review-queue', { token: supervisor.token });
    expect(queue.status).toBe(200);
    expect(queue.body.map((entry: { note: { id: string } }) => entry.note.id)).toEqual([marked]);
    expect(queue.body[0].note.content.subjective).toBe(SECRET_SUBJECTIVE);

    const asSupervisor = await api('GET', `/supervision/notes/${marked}`, { token: supervisor.token });
    expect(asSupervisor.status).toBe(200);
    expect((await api('GET', `/supervision/notes/${unmarked}`, { token: supervisor.token })).status).toBe(404);
    // The supervisor reads through supervision only, never as the note's author.
    expect((await api('GET', `/session-notes/${marked}`, { token: supervisor.token })).status).toBe(404);

    const read = (who: Account, path: string) => api('GET', path, { token: who.token }).then((response) => response.status);
    expect(await read(otherTherapist, `/supervision/notes/${marked}`)).toBe(404);
    expect((await api('GET', '/supervision/review-queue', { token: otherTherapist.token })).body).toEqual([]);
    expect(await read(supervisee, `/supervision/notes/${marked}`)).toBe(404);
    expect(await read(supervisee, `/session-notes/${marked}`)).toBe(200);
    for (const outsider of [client, businessAdmin, superAdmin]) {
      expect(await read(outsider, `/supervision/notes/${marked}`)).toBe(403);
      expect(await read(outsider, `/session-notes/${marked}`)).toBe(404);
    }

    const coSigned = await api('POST', `/supervision/notes/${marked}/co-sign`, { token: supervisor.token, body: { supervisorNotes: SUPERVISOR_REMARK } });
    expect(coSigned.status, JSON.stringify(coSigned.body)).toBe(200);
    expect(coSigned.body).toMatchObject({ supervisorReviewed: true, supervisorNotes: SUPERVISOR_REMARK });
    // The note itself is unchanged (only its updatedAt moves with the co-signature).
    expect({ ...coSigned.body.note, updatedAt: null }).toEqual({ ...asSupervisor.body.note, updatedAt: null });
    expect((await api('POST', `/supervision/notes/${unmarked}/co-sign`, { token: supervisor.token, body: {} })).status).toBe(404);
    expect((await api('POST', `/supervision/notes/${marked}/co-sign`, { token: otherTherapist.token, body: {} })).status).toBe(404);
    const [stored] = await sql<{ supervisor_notes: Buffer }>(node.platform, `SELECT supervisor_notes FROM session_notes WHERE id = :id`, { id: marked });
    expect(stored!.supervisor_notes.toString('utf8')).not.toContain('αντιμεταβίβαση');
    // The supervisor's own write can touch only the supervision columns, even in SQL.
    await expect(
      runAsUser({ id: supervisor.id, role: 'therapist' }, () =>
        node.platform.database.sequelize.query(`UPDATE session_notes SET review_requested_at = NULL WHERE id = :id RETURNING id`, { type: QueryTypes.SELECT, replacements: { id: marked } }),
      ),
    ).rejects.toThrow(/supervisor changes only/);

    // Platform admin: without break-glass nothing; with a written reason, the notes but never the supervisor's.
    expect((await api('POST', `/admin/break-glass/clients/${client.id}`, { token: superAdmin.token, body: { reason: 'urgent' } })).status).toBe(400);
    expect((await api('POST', `/admin/break-glass/clients/${client.id}`, { token: otherTherapist.token, body: { reason: 'Ο θεραπευτής δεν απαντά και υπάρχει κίνδυνος' } })).status).toBe(403);
    const glass = await api('POST', `/admin/break-glass/clients/${client.id}`, { token: superAdmin.token, body: { reason: 'Ο θεραπευτής δεν απαντά και υπάρχει άμεσος κίνδυνος' } });
    expect(glass.status, JSON.stringify(glass.body)).toBe(200);
    expect(glass.body.sessionNotes.map((note: { id: string }) => note.id).sort()).toEqual([marked, unmarked].sort());
    expect(JSON.stringify(glass.body)).not.toContain('αντιμεταβίβαση');

    const audited = await sql<{ action: string; user_id: string }>(node.platform, `SELECT action, user_id FROM audit_logs WHERE entity_id = :id AND action LIKE 'session_note.%' ORDER BY performed_at`, { id: marked });
    expect(audited.filter((row) => row.user_id === supervisor.id).map((row) => row.action)).toEqual(['session_note.read', 'session_note.read', 'session_note.write']);
    expect(audited.some((row) => row.user_id === superAdmin.id && row.action === 'session_note.read')).toBe(true);
  });

  it('records supervision sessions: topics and action items for both, the supervisor’s notes sealed and the supervisor’s alone', async () => {
    const added = await api('POST', `/supervision/relationships/${relationshipId}/sessions`, {
      token: supervisor.token,
      body: { scheduledAt: '2026-11-20T10:00:00+02:00', durationMinutes: 60, status: 'completed', topics: ['Πένθος', 'Όρια'], actionItems: [{ text: 'Διάβασε Worden' }], supervisorNotes: SUPERVISOR_REMARK },
    });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body).toMatchObject({ topics: ['Πένθος', 'Όρια'], actionItems: [{ text: 'Διάβασε Worden', done: false }], supervisorNotes: SUPERVISOR_REMARK, scheduledAt: '2026-11-20T10:00:00+02:00' });
    const [stored] = await sql<{ supervisor_notes: Buffer }>(node.platform, `SELECT supervisor_notes FROM supervision_sessions WHERE id = :id`, { id: added.body.id });
    expect(stored!.supervisor_notes.toString('utf8')).not.toContain('αντιμεταβίβαση');

    const forSupervisee = await api('GET', `/supervision/relationships/${relationshipId}/sessions`, { token: supervisee.token });
    expect(forSupervisee.body).toEqual([{ ...added.body, supervisorNotes: null }]);
    expect((await api('GET', `/supervision/relationships/${relationshipId}/sessions`, { token: otherTherapist.token })).status).toBe(404);
    expect((await api('POST', `/supervision/relationships/${relationshipId}/sessions`, { token: supervisee.token, body: { scheduledAt: '2026-11-27T10:00:00+02:00' } })).status).toBe(404);
  });

  it('once the relationship ends, the former supervisor reads nothing', async () => {
    const ended = await api('POST', `/supervision/relationships/${relationshipId}/end`, { token: supervisee.token });
    expect(ended.status).toBe(200);
    expect(ended.body.status).toBe('completed');
    expect((await api('GET', `/supervision/notes/${marked}`, { token: supervisor.token })).status).toBe(404);
    expect((await api('GET', '/supervision/review-queue', { token: supervisor.token })).body).toEqual([]);
  });
});
