import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobNames } from '@therapy-field/server';
import { signUp, TEST_PASSWORD } from '../../support/accounts.js';
import { createAppointment } from '../../support/appointments.js';
import { apiClient, type ApiRequest } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { createAccounts, createAppointmentType, createListedTherapist, everyDay, sql, type Account } from '../../support/scheduling.js';
import { journalEntry, syncOverHttp } from '../../sync/sync-fixtures.js';

/**
 * A client's erasure keeps their therapist's clinical record, detached from the person: no column
 * anywhere names them afterwards, no foreign key dangles, and the retention job removes the record
 * once its period is over.
 */
describe('erasure keeps the clinical record, without the person', () => {
  let node: TestPlatform;
  let api: ApiRequest;
  let admin: Account;
  let appointmentType: string;
  let pastSessions = 0;

  beforeAll(async () => {
    node = await startTestPlatform();
    api = apiClient(node.url);
    [admin] = (await createAccounts(node.platform, 'super_admin', 1)) as [Account];
    appointmentType = await createAppointmentType(api, admin, 50);
  });
  afterAll(async () => {
    await node?.close();
  });

  const sync = syncOverHttp(() => api);
  const word = (prefix: string) => `${prefix}${randomBytes(5).toString('hex')}`;

  /**
   * A client known by a unique name, phone and birth date, booked and confirmed through the API
   * (so reminders naming them are queued for the therapist), with a past session whose note the
   * therapist signed, a treatment plan, a history, messages both ways and a shared journal entry.
   */
  async function treatedClient() {
    const identity = { firstName: word('Zorbexa'), lastName: word('Quillontopoulou'), phone: `+30 69${String(randomBytes(4).readUInt32BE() % 1e8).padStart(8, '0')}`, birthDate: '1983-07-19' };
    const signedUp = await signUp(api, node.platform.database.owner, 'client', { firstName: identity.firstName, lastName: identity.lastName });
    const client = { id: signedUp.id, token: signedUp.accessToken, email: signedUp.email };
    const profile = await api('PATCH', '/me', { token: client.token, body: { phone: identity.phone, birthDate: identity.birthDate, displayName: `${identity.firstName} Q.` } });
    expect(profile.status, JSON.stringify(profile.body)).toBe(200);
    const therapist = await createListedTherapist(api, node.platform, admin, { templates: everyDay('00:00', '23:59') });

    const pastAppointment = await createAppointment(node.platform.database.owner, { therapistId: therapist.id, clientId: client.id, status: 'completed', startsInMinutes: -60 * 24 * ++pastSessions });
    const note = await api('POST', `/appointments/${pastAppointment}/session-notes`, { token: therapist.token, body: { noteType: 'soap', content: { subjective: 'Άγχος πριν τις εξετάσεις', plan: 'Έκθεση' } } });
    expect(note.status, JSON.stringify(note.body)).toBe(201);
    expect((await api('POST', `/session-notes/${note.body.id}/sign`, { token: therapist.token })).status).toBe(200);
    const plan = await api('POST', `/clients/${client.id}/treatment-plans`, {
      token: therapist.token,
      body: { startDate: '2026-03-02', presentingProblems: 'Κρίσεις πανικού', diagnoses: ['F41.0'], treatmentGoals: 'Μετρό χωρίς κρίση' },
    });
    expect(plan.status, JSON.stringify(plan.body)).toBe(201);
    const history = await api('PUT', `/clients/${client.id}/history/psychiatric`, { token: therapist.token, body: { traumaHistory: 'Τροχαίο το 2019' } });
    expect(history.status, JSON.stringify(history.body)).toBe(200);

    const from = new Date(Date.now() + 72 * 3600_000).toISOString();
    const to = new Date(Date.now() + 10 * 24 * 3600_000).toISOString();
    const slots = await api('GET', `/therapists/${therapist.id}/slots?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&type=${appointmentType}`);
    const booked = await api('POST', '/appointments', { token: client.token, body: { therapistId: therapist.id, appointmentTypeId: appointmentType, start: slots.body.slots[0].start, clientNotes: `Είμαι η ${identity.firstName}` } });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    expect((await api('POST', `/appointments/${booked.body.id}/confirm`, { token: therapist.token })).status).toBe(200);

    expect((await api('POST', `/conversations/${therapist.id}/messages`, { token: client.token, body: { body: `Καλησπέρα, ${identity.firstName} εδώ` } })).status).toBe(201);
    expect((await api('POST', `/conversations/${client.id}/messages`, { token: therapist.token, body: { body: 'Τα λέμε την Πέμπτη' } })).status).toBe(201);
    const pushed = await sync.push(client.token, 'journal_entries', [{ newDocumentState: journalEntry({ content: `${identity.firstName}: δύσκολη μέρα`, sharedWithTherapist: true }) }]);
    expect(pushed.body).toEqual({ conflicts: [], rejected: [] });

    return { client, therapist, identity, pastAppointment, futureAppointment: booked.body.id as string, noteId: note.body.id as string, planId: plan.body.id as string };
  }

  /** `table.column` of every text-like column in the public schema (text, varchar, char, json, jsonb, arrays, domains over them) holding `needle`. */
  async function columnsHolding(needles: string[]): Promise<string[]> {
    const columns = await sql<{ table_name: string; column_name: string }>(
      node.platform,
      `SELECT c.table_name, c.column_name
         FROM information_schema.columns c
         JOIN pg_class r ON r.relname = c.table_name AND r.relnamespace = 'public'::regnamespace
        WHERE c.table_schema = 'public' AND r.relkind IN ('r', 'p') AND NOT r.relispartition
          AND (c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY', 'USER-DEFINED')
               OR c.domain_name IS NOT NULL)
        ORDER BY 1, 2`,
    );
    expect(columns.length).toBeGreaterThan(100);
    const byTable = new Map<string, string[]>();
    for (const { table_name: table, column_name: column } of columns) byTable.set(table, [...(byTable.get(table) ?? []), column]);
    const found: string[] = [];
    for (const [table, tableColumns] of byTable) {
      const checks = tableColumns.map((column) => `bool_or(EXISTS (SELECT 1 FROM unnest(ARRAY[:needles]::text[]) needle WHERE strpos(lower("${column}"::text), lower(needle)) > 0)) AS "${column}"`);
      const [hits] = await sql<Record<string, boolean | null>>(node.platform, `SELECT ${checks.join(', ')} FROM "${table}"`, { needles });
      found.push(...Object.entries(hits!).filter(([, hit]) => hit).map(([column]) => `${table}.${column}`));
    }
    return found;
  }

  /** Every foreign key of the public schema whose referencing row points at nothing. */
  async function brokenForeignKeys(): Promise<string[]> {
    const keys = await sql<{ name: string; child: string; parent: string; child_columns: string[]; parent_columns: string[] }>(
      node.platform,
      `SELECT c.conname AS name, c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent,
              array(SELECT quote_ident(a.attname) FROM unnest(c.conkey) WITH ORDINALITY k(attnum, i) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.i) AS child_columns,
              array(SELECT quote_ident(a.attname) FROM unnest(c.confkey) WITH ORDINALITY k(attnum, i) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.i) AS parent_columns
         FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid
        WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace AND NOT r.relispartition`,
    );
    expect(keys.length).toBeGreaterThan(50);
    const broken: string[] = [];
    for (const key of keys) {
      const notNull = key.child_columns.map((column) => `c.${column} IS NOT NULL`).join(' AND ');
      const matches = key.child_columns.map((column, index) => `p.${key.parent_columns[index]} = c.${column}`).join(' AND ');
      const [row] = await sql<{ n: string }>(node.platform, `SELECT count(*) AS n FROM ${key.child} c WHERE ${notNull} AND NOT EXISTS (SELECT 1 FROM ${key.parent} p WHERE ${matches})`);
      if (Number(row!.n) > 0) broken.push(`${key.name} on ${key.child}`);
    }
    return broken;
  }

  const erase = (client: { token: string }) => api('POST', '/me/erase', { token: client.token, body: { password: TEST_PASSWORD, confirm: 'ERASE' } });

  it('leaves no column anywhere holding the client’s email, name, phone or birth date, and no foreign key broken', async () => {
    const { client, identity } = await treatedClient();
    const needles = [client.email, identity.firstName, identity.lastName, identity.phone, identity.birthDate];
    // Before: the identity is in the profile, the account, the reminders queued for the therapist.
    expect(await columnsHolding(needles)).toEqual(expect.arrayContaining(['users.email', 'user_profiles.first_name', 'user_profiles.phone', 'email_queue.payload']));

    expect((await erase(client)).status).toBe(204);

    expect(await columnsHolding(needles)).toEqual([]);
    const [birthDates] = await sql<{ n: string }>(node.platform, `SELECT count(*) AS n FROM user_profiles WHERE birth_date = :birthDate AND user_id = :id`, { birthDate: identity.birthDate, id: client.id });
    expect(Number(birthDates!.n)).toBe(0);
    expect(await brokenForeignKeys()).toEqual([]);
  });

  it('keeps the signed note, plan and history readable to the treating therapist, shown as “Former client”; the client can no longer sign in', async () => {
    const { client, therapist, identity, pastAppointment, futureAppointment, noteId, planId } = await treatedClient();

    expect((await erase(client)).status).toBe(204);

    const notes = await api('GET', `/clients/${client.id}/session-notes`, { token: therapist.token });
    expect(notes.status).toBe(200);
    expect(notes.body.notes).toEqual([expect.objectContaining({ id: noteId, appointmentId: pastAppointment, clientId: client.id, isSigned: true, content: expect.objectContaining({ subjective: 'Άγχος πριν τις εξετάσεις' }) })]);
    const plan = await api('GET', `/treatment-plans/${planId}`, { token: therapist.token });
    expect(plan.status).toBe(200);
    expect(plan.body.presentingProblems).toBe('Κρίσεις πανικού');
    const history = await api('GET', `/clients/${client.id}/history`, { token: therapist.token });
    expect(history.body.psychiatric.traumaHistory).toBe('Τροχαίο το 2019');
    const conversations = await api('GET', '/conversations', { token: therapist.token });
    expect(conversations.body.conversations).toEqual(expect.arrayContaining([expect.objectContaining({ peerId: client.id, peerName: 'Former client' })]));
    const toFormerClient = await api('POST', `/conversations/${client.id}/messages`, { token: therapist.token, body: { body: 'Πώς είσαι;' } });
    expect(toFormerClient.status).toBe(403);
    expect(toFormerClient.body.error.message).toMatch(/erased/);

    // The held session stays on the therapist's devices; the one not yet held is cancelled.
    const appointments = await sync.pull(therapist.token, 'appointments');
    const byId = new Map((appointments.body.documents as Array<{ id: string; status: string; _deleted: boolean }>).map((doc) => [doc.id, doc]));
    expect(byId.get(pastAppointment)).toMatchObject({ status: 'completed', _deleted: false });
    expect(byId.get(futureAppointment)).toMatchObject({ status: 'cancelled' });
    expect(JSON.stringify(appointments.body)).not.toContain(identity.firstName);

    const login = await api('POST', '/auth/login', { body: { email: client.email, password: TEST_PASSWORD } });
    expect(login.status).toBe(401);
    expect((await api('GET', '/me', { token: client.token })).status).toBe(401);
  });

  it('the retention job removes an erased client’s record once the medical-record period has passed since the last session, and nobody else’s', { timeout: 90_000 }, async () => {
    const erased = await treatedClient();
    const kept = await treatedClient();
    const recent = await treatedClient();
    expect((await erase(erased.client)).status).toBe(204);
    expect((await erase(recent.client)).status).toBe(204);
    const [policy] = await sql<{ retention_days: number }>(node.platform, `SELECT retention_days FROM data_retention_policies WHERE table_name = 'session_notes'`);
    expect(policy!.retention_days).toBe(2555);
    // Eight years pass for the first erased client's record and for the client who stayed.
    const ageRecord = async (clientId: string) => {
      // Past the triggers that keep updated_at current and signed notes unchanged, as time would.
      for (const table of ['session_notes', 'treatment_plans', 'patient_psychiatric_history', 'appointments']) {
        const sessionTimes = table === 'appointments' ? `, scheduled_start = scheduled_start - interval '8 years', scheduled_end = scheduled_end - interval '8 years'` : '';
        await node.platform.database.owner.query(
          `ALTER TABLE ${table} DISABLE TRIGGER USER;
           UPDATE ${table} SET updated_at = now() - interval '8 years'${sessionTimes} WHERE client_id = '${clientId}';
           ALTER TABLE ${table} ENABLE TRIGGER USER;`,
        );
      }
    };
    await ageRecord(erased.client.id);
    await ageRecord(kept.client.id);

    await node.platform.jobs.runNow(jobNames.purgeClinicalRecords);

    const remaining = async (clientId: string) =>
      (await sql<{ n: string }>(node.platform, `SELECT (SELECT count(*) FROM session_notes WHERE client_id = :clientId) + (SELECT count(*) FROM appointments WHERE client_id = :clientId)
                                                   + (SELECT count(*) FROM treatment_plans WHERE client_id = :clientId) + (SELECT count(*) FROM patient_psychiatric_history WHERE client_id = :clientId) AS n`, { clientId }))[0]!.n;
    expect(Number(await remaining(erased.client.id))).toBe(0);
    expect(Number(await remaining(kept.client.id))).toBe(5);
    expect(Number(await remaining(recent.client.id))).toBe(5);
    expect(await sql(node.platform, `SELECT 1 FROM audit_logs WHERE action = 'retention.clinical_record_purged' AND entity_id = :id`, { id: erased.client.id })).toHaveLength(1);
    expect(await brokenForeignKeys()).toEqual([]);
  });
});
