import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUSINESS_MINIMUM_GROUP_SIZE } from '@therapy-field/sync';
import { journalEntry, syncOverHttp } from '../../sync/sync-fixtures.js';
import { signUp } from '../../support/accounts.js';
import { createAppointment } from '../../support/appointments.js';
import { isoWithOffset } from '../../support/clinical.js';
import { apiClient, type ApiRequest } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { createAccounts, sql, type Account } from '../../support/scheduling.js';
import { connectSocket, type ClientSocket } from '../../support/socket.js';

describe('consent records', () => {
  let node: TestPlatform;
  let api: ApiRequest;
  let therapist: Account;
  const sockets: ClientSocket[] = [];
  const { push, pull } = syncOverHttp(() => api);
  const give = (who: Account, kind: string, textVersion = 'v1') => api('POST', '/me/consents', { token: who.token, body: { kind, textVersion } });
  const withdraw = (who: Account, kind: string) => api('POST', `/me/consents/${kind}/withdraw`, { token: who.token });
  const newClient = async () => (await createAccounts(node.platform, 'client', 1))[0]!;

  beforeAll(async () => {
    node = await startTestPlatform();
    api = apiClient(node.url);
    const signedUp = await signUp(api, node.platform.database.owner, 'therapist');
    therapist = { id: signedUp.id, token: signedUp.accessToken };
  });
  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    await node?.close();
  });

  it('records each consent with the text version, time and address; a withdrawal closes it; the list is one’s own', async () => {
    const client = await newClient();
    const other = await newClient();
    const given = await give(client, 'data_processing', '2026-11');
    expect(given.status, JSON.stringify(given.body)).toBe(201);
    expect(given.body).toMatchObject({ kind: 'data_processing', textVersion: '2026-11', withdrawnAt: null, withdrawnIp: null, replacedBy: null });
    expect(given.body.givenAt).toMatch(isoWithOffset);
    expect(given.body.givenIp).toMatch(/127\.0\.0\.1|::1/);

    expect((await give(client, 'data_processing', '2026-11')).body.error.code).toBe('CONSENT_ALREADY_GIVEN');
    const newer = await give(client, 'data_processing', '2026-12');
    expect(newer.status).toBe(201);
    expect((await give(client, 'terms')).status).toBe(201);
    const withdrawn = await withdraw(client, 'terms');
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.withdrawnAt).toMatch(isoWithOffset);
    expect((await withdraw(client, 'terms')).status).toBe(404);
    expect((await withdraw(client, 'not_a_kind')).status).toBe(400);
    expect((await api('POST', '/me/consents', { token: client.token, body: { kind: 'terms', textVersion: '' } })).status).toBe(400);

    const listed = await api('GET', '/me/consents', { token: client.token });
    expect(listed.status).toBe(200);
    expect(listed.body.current).toEqual({ terms: 'withdrawn', data_processing: 'given', therapist_sharing: 'none', telehealth: 'none', business_analytics: 'none' });
    const processing = (listed.body.records as Array<{ kind: string; textVersion: string; replacedBy: string | null }>).filter((record) => record.kind === 'data_processing');
    expect(processing).toEqual([
      expect.objectContaining({ textVersion: '2026-12', replacedBy: null }),
      expect.objectContaining({ textVersion: '2026-11', replacedBy: newer.body.id }),
    ]);
    expect((await api('GET', '/me/consents', { token: other.token })).body.records).toEqual([]);
    expect((await api('GET', '/me/consents')).status).toBe(401);

    const audited = await sql<{ action: string }>(node.platform, `SELECT action FROM audit_logs WHERE user_id = :id AND action LIKE 'consent.%' ORDER BY performed_at`, { id: client.id });
    expect(audited.map((row) => row.action)).toEqual(['consent.give', 'consent.give', 'consent.give', 'consent.withdraw']);
  });

  it('keeps a record as evidence: the database refuses to edit its text version or to undo a withdrawal', async () => {
    const client = await newClient();
    const { id } = (await give(client, 'telehealth')).body;
    await expect(sql(node.platform, `UPDATE consent_records SET text_version = 'v0' WHERE id = :id RETURNING id`, { id })).rejects.toThrow(/consent record changes only/);
    await withdraw(client, 'telehealth');
    await expect(sql(node.platform, `UPDATE consent_records SET withdrawn_at = NULL WHERE id = :id RETURNING id`, { id })).rejects.toThrow(/consent record changes only/);
  });

  it('withdrawing telehealth consent refuses video joins to both parties until it is given again', async () => {
    const client = await newClient();
    const appointmentId = await createAppointment(node.platform.database.owner, { therapistId: therapist.id, clientId: client.id, startsInMinutes: 3 * 24 * 60 });
    const join = async (who: Account) => {
      const socket = await connectSocket(node.url, { token: who.token });
      sockets.push(socket);
      return socket.timeout(10_000).emitWithAck('video.join', { appointmentId });
    };
    // Without any record the booking is the consent: the join reaches the time check.
    expect(await join(client)).toMatchObject({ ok: false, error: { code: 'VIDEO_TOO_EARLY' } });
    await give(client, 'telehealth');
    expect((await withdraw(client, 'telehealth')).status).toBe(200);
    expect(await join(client)).toMatchObject({ ok: false, error: { code: 'VIDEO_CONSENT_WITHDRAWN', message: expect.stringMatching(/consent/) } });
    expect(await join(therapist)).toMatchObject({ ok: false, error: { code: 'VIDEO_CONSENT_WITHDRAWN' } });
    await give(client, 'telehealth', 'v2');
    expect(await join(client)).toMatchObject({ ok: false, error: { code: 'VIDEO_TOO_EARLY' } });
  });

  it('withdrawing consent to sharing takes shared entries off the therapist’s devices, and giving it again brings them back', async () => {
    const client = await newClient();
    await createAppointment(node.platform.database.owner, { therapistId: therapist.id, clientId: client.id, startsInMinutes: -10 * 24 * 60, status: 'completed' });
    const entry = journalEntry({ sharedWithTherapist: true, userId: client.id });
    expect((await push(client.token, 'journal_entries', [{ newDocumentState: entry }])).body).toEqual({ conflicts: [], rejected: [] });
    const documents = async (checkpoint?: unknown) => {
      const pulled = await pull(therapist.token, 'journal_entries', checkpoint);
      expect(pulled.status, JSON.stringify(pulled.body)).toBe(200);
      return { docs: (pulled.body.documents as Array<{ id: string; _deleted: boolean; content?: string }>).filter((doc) => doc.id === entry.id), checkpoint: pulled.body.checkpoint };
    };
    const first = await documents();
    expect(first.docs).toEqual([expect.objectContaining({ _deleted: false, content: entry.content })]);

    // Nothing stands to withdraw: the share flag on the entry was the consent.
    expect((await withdraw(client, 'therapist_sharing')).status).toBe(404);
    const given = await give(client, 'therapist_sharing');
    expect(given.status, JSON.stringify(given.body)).toBe(201);
    expect((await withdraw(client, 'therapist_sharing')).status).toBe(200);
    const afterWithdrawal = await documents(first.checkpoint);
    expect(afterWithdrawal.docs).toEqual([expect.objectContaining({ _deleted: true })]);
    expect(JSON.stringify(afterWithdrawal.docs)).not.toContain(entry.content);
    expect((await documents()).docs.filter((doc) => !doc._deleted)).toEqual([]);
    // The client still has their own entry.
    expect((await pull(client.token, 'journal_entries')).body.documents).toEqual([expect.objectContaining({ id: entry.id, _deleted: false })]);

    await give(client, 'therapist_sharing', 'v2');
    expect((await documents(afterWithdrawal.checkpoint)).docs).toEqual([expect.objectContaining({ _deleted: false, content: entry.content })]);
  });

  it('withdrawing consent to business analytics removes the employee from the company’s aggregates', async () => {
    const [hrAdmin] = (await createAccounts(node.platform, 'business_admin', 1)) as [Account];
    const [business] = await sql<{ id: string }>(node.platform, `INSERT INTO business_accounts (company_name, plan_type, status) VALUES ('Εταιρεία ΑΕ', 'professional', 'active') RETURNING id`);
    await sql(node.platform, `INSERT INTO business_admins (business_id, user_id, role) VALUES (:business, :admin, 'hr_admin') RETURNING user_id`, { business: business!.id, admin: hrAdmin.id });
    const employees = await createAccounts(node.platform, 'client', BUSINESS_MINIMUM_GROUP_SIZE + 1);
    for (const [index, employee] of employees.entries()) {
      await sql(node.platform, `INSERT INTO business_employees (business_id, user_id, enrollment_status, therapy_sessions_limit, therapy_sessions_used) VALUES (:business, :user, 'active', 4, 1) RETURNING id`, {
        business: business!.id,
        user: employee.id,
      });
      await createAppointment(node.platform.database.owner, { therapistId: therapist.id, clientId: employee.id, startsInMinutes: -(20 + index) * 24 * 60, status: 'completed' });
    }
    const sessions = async () => {
      const usage = await api('GET', `/businesses/${business!.id}/usage`, { token: hrAdmin.token });
      expect(usage.status, JSON.stringify(usage.body)).toBe(200);
      const { used, employeesWithSessions, byMonth } = usage.body.sessions;
      return { used, employeesWithSessions, completed: (byMonth as Array<{ completed: number }>).reduce((sum, month) => sum + month.completed, 0) };
    };
    const everyone = BUSINESS_MINIMUM_GROUP_SIZE + 1;
    expect(await sessions()).toEqual({ used: everyone, employeesWithSessions: everyone, completed: everyone });

    await give(employees[0]!, 'business_analytics');
    await withdraw(employees[0]!, 'business_analytics');
    expect(await sessions()).toEqual({ used: everyone - 1, employeesWithSessions: everyone - 1, completed: everyone - 1 });
  });
});
