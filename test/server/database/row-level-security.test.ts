import { randomUUID } from 'node:crypto';
import { QueryTypes, type Sequelize } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ROLE, createLogger, Database, runAsUser } from '@therapy-field/server';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { testDatabaseRoles } from '../../support/database-roles.js';

/** Columns that name a person: a table with one holds personal or clinical data. */
const PERSON_COLUMNS = ['user_id', 'client_id', 'therapist_id', 'sender_id', 'recipient_id', 'author_id', 'supervisor_id', 'supervisee_id', 'created_by', 'administered_by'];

/** Tables anyone may read through the app (catalogues, the therapist directory, forum reading). */
const PUBLIC_TABLES = [
  'anonymized_mood_daily_stats', 'appointment_types', 'articles', 'availability_exceptions', 'availability_templates',
  'backup_policies', 'data_retention_policies', 'forum_categories', 'forum_replies', 'forum_threads', 'place_names',
  'questionnaire_templates', 'specializations', 'therapeutic_approaches', 'therapeutic_resources', 'therapist_approaches',
  'therapist_languages', 'therapist_locations', 'therapist_profiles', 'therapist_rates', 'therapist_specializations',
].sort();

type Person = { id: string; role: 'client' | 'therapist' | 'business_admin' | 'super_admin' };

/**
 * One row of another user's data: how to find it, who may see it, and a harmless change that must
 * not happen for anyone else.
 */
interface GuardedRow {
  table: string;
  /** The row's key column and value. */
  key: string;
  id: string;
  /** Who rightfully sees the row (proves the policy is not simply "nobody"). */
  seenBy: Person;
  /** `SET …` of an UPDATE that would change the row. */
  change: string;
}

describe('row-level security: the database itself refuses what the code forgets', () => {
  let testDatabase: TestDatabase;
  let database: Database;
  let owner: Sequelize;
  const people: Record<'client' | 'therapist' | 'stranger' | 'strangerTherapist' | 'businessAdmin' | 'superAdmin', Person> = {} as never;
  const rows: GuardedRow[] = [];

  const asOwner = async <T extends object>(sql: string, replacements: Record<string, unknown> = {}) =>
    owner.query<T>(sql, { type: QueryTypes.SELECT, replacements });
  const insert = async (table: string, values: Record<string, unknown>): Promise<string> => {
    const columns = Object.keys(values);
    const [row] = await asOwner<{ id?: string; user_id?: string; client_id?: string }>(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((column) => `:${column}`).join(', ')}) RETURNING *`,
      values,
    );
    return String(row!.id ?? row!.user_id ?? row!.client_id);
  };
  /** A query through the app's own connection (tf_app), as `person`. */
  const asApp = <T extends object>(person: Person, sql: string, replacements: Record<string, unknown> = {}) =>
    runAsUser(person, () => database.sequelize.query<T>(sql, { type: QueryTypes.SELECT, replacements }));
  const changeAsApp = (person: Person, sql: string, replacements: Record<string, unknown>) =>
    runAsUser(person, async () => {
      const [, affected] = (await database.sequelize.query(sql, { replacements })) as [unknown, { rowCount?: number } | number];
      return typeof affected === 'number' ? affected : (affected?.rowCount ?? 0);
    });

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    database = await Database.create({ databaseUrl: testDatabase.url, dataDir: '.', embeddedPostgresPort: 0, databaseRoles: testDatabaseRoles }, createLogger('silent'));
    await database.migrate();
    owner = database.owner;

    const person = async (key: keyof typeof people, role: Person['role']) => {
      const email = `${key}.${randomUUID().slice(0, 8)}@example.gr`;
      const id = await insert('users', { email, email_normalized: email, password_hash: 'x', role, status: 'active', email_verified: true });
      await insert('user_profiles', { user_id: id, first_name: key, last_name: 'Wall' });
      if (role === 'therapist') await insert('therapist_profiles', { user_id: id, license_number: `L-${key}` });
      people[key] = { id, role };
    };
    await person('client', 'client');
    await person('therapist', 'therapist');
    await person('stranger', 'client');
    await person('strangerTherapist', 'therapist');
    await person('businessAdmin', 'business_admin');
    await person('superAdmin', 'super_admin');
    const { client, therapist } = people;

    const start = new Date(Date.now() + 86_400_000);
    const appointment = await insert('appointments', {
      client_id: client.id, therapist_id: therapist.id, is_online: true, status: 'confirmed',
      scheduled_start: start, scheduled_end: new Date(start.getTime() + 50 * 60_000), client_notes: 'worried about work',
    });
    const habit = await insert('habit_definitions', { user_id: client.id, name: 'walk' });
    const guarded: Array<[string, Record<string, unknown>, Person, string]> = [
      ['appointments', { id: appointment }, client, `client_notes = 'changed'`],
      ['users', { id: client.id }, client, `status = 'suspended'`],
      ['user_profiles', { id: client.id }, client, `first_name = 'changed'`],
      ['client_profiles', { user_id: client.id }, client, `emergency_contact_name = 'changed'`],
      ['session_notes', { client_id: client.id, therapist_id: therapist.id, appointment_id: appointment, content: Buffer.from('sealed note') }, therapist, `content = 'changed'`],
      ['treatment_plans', { client_id: client.id, therapist_id: therapist.id, start_date: '2026-01-01' }, therapist, `start_date = '2025-01-01'`],
      ['patient_medical_history', { client_id: client.id }, therapist, `client_id = client_id`],
      ['patient_psychiatric_history', { client_id: client.id }, therapist, `client_id = client_id`],
      ['patient_social_history', { client_id: client.id }, therapist, `client_id = client_id`],
      ['messages', { sender_id: therapist.id, recipient_id: client.id, body: Buffer.from('sealed'), encryption_key_id: 'k', created_at: new Date() }, client, `read_at = now()`],
      ['journal_entries', { user_id: client.id, content: Buffer.from('sealed journal') }, client, `content = 'changed'`],
      ['mood_entries', { user_id: client.id, recorded_at: new Date(), mood_score: 3 }, client, `mood_score = 9`],
      ['goals', { user_id: client.id, title: 'sleep better' }, client, `title = 'changed'`],
      ['habit_definitions', { id: habit }, client, `name = 'changed'`],
      ['habit_logs', { user_id: client.id, habit_id: habit, logged_at: new Date() }, client, `logged_at = now()`],
      ['notifications', { user_id: client.id, type: 'test', message: 'your appointment' }, client, `message = 'changed'`],
      ['refresh_tokens', { user_id: client.id, token_hash: randomUUID(), family_id: randomUUID(), expires_at: start }, client, `token_hash = 'changed'`],
      ['user_tokens', { user_id: client.id, purpose: 'password_reset', token_hash: randomUUID(), expires_at: start }, client, `token_hash = 'changed'`],
      ['payment_methods', { user_id: client.id, type: 'card' }, client, `type = 'paypal'`],
      ['recurring_appointments', { client_id: client.id, therapist_id: therapist.id, frequency: 'weekly', start_date: '2026-01-01' }, client, `start_date = '2025-01-01'`],
      ['calendar_feeds', { therapist_id: therapist.id, token_hash: randomUUID() }, therapist, `token_hash = 'changed'`],
    ];
    const keyedBy: Record<string, string> = { user_profiles: 'user_id', client_profiles: 'user_id', patient_medical_history: 'client_id', patient_psychiatric_history: 'client_id', patient_social_history: 'client_id' };
    for (const [table, values, seenBy, change] of guarded) {
      const id = 'id' in values && Object.keys(values).length === 1 ? String(values.id) : await insert(table, values);
      rows.push({ table, key: keyedBy[table] ?? 'id', id, seenBy, change });
    }
    await asOwner(`INSERT INTO email_queue (user_id, to_email, next_attempt_at, subject, body_html) VALUES (:id, 'client@example.gr', now(), 'reset link', '<a>link</a>')`, { id: client.id });
    await asOwner(`INSERT INTO audit_logs (user_id, action, entity_type, entity_id) VALUES (:id, 'journal_entries.read', 'journal_entries', :id)`, { id: client.id });
  });

  afterAll(async () => {
    await database?.close();
    await testDatabase?.drop();
  });

  it('runs the app as a login role that owns nothing, is no superuser and does not bypass row-level security', async () => {
    const [role] = await asOwner<{ rolsuper: boolean; rolbypassrls: boolean; owns: number }>(
      `SELECT rolsuper, rolbypassrls, (SELECT count(*)::int FROM pg_class WHERE relowner = r.oid) AS owns FROM pg_roles r WHERE rolname = :role`,
      { role: APP_ROLE },
    );
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, owns: 0 });
    const [seen] = await asApp<{ current_user: string }>(people.client, 'SELECT current_user');
    expect(seen!.current_user).toBe(APP_ROLE);
  });

  it('forces row-level security on every table the app role can reach, with a policy on each that holds personal data', async () => {
    const tables = await asOwner<{ name: string; forced: boolean; enabled: boolean; policies: number; personal: boolean; partition: boolean; reachable: boolean }>(
      `SELECT c.relname AS name, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced, c.relispartition AS partition,
              (SELECT count(*)::int FROM pg_policies p WHERE p.schemaname = 'public' AND p.tablename = c.relname AND :role = ANY (p.roles)) AS policies,
              EXISTS (SELECT 1 FROM information_schema.columns col WHERE col.table_schema = 'public' AND col.table_name = c.relname AND col.column_name IN (:personColumns)) AS personal,
              has_table_privilege(:role, c.oid, 'SELECT') OR has_table_privilege(:role, c.oid, 'INSERT')
                OR has_table_privilege(:role, c.oid, 'UPDATE') OR has_table_privilege(:role, c.oid, 'DELETE') AS reachable
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')`,
      { role: APP_ROLE, personColumns: PERSON_COLUMNS },
    );
    // A partition has no policies of its own: the app must reach its rows only through the parent.
    expect(tables.filter((table) => table.partition && table.reachable).map((table) => table.name)).toEqual([]);
    expect(tables.filter((table) => table.reachable && !(table.enabled && table.forced)).map((table) => table.name)).toEqual([]);
    const personal = tables.filter((table) => table.personal && !table.partition);
    expect(personal.length).toBeGreaterThan(30);
    expect(personal.filter((table) => table.policies === 0).map((table) => table.name)).toEqual([]);

    const open = await asOwner<{ tablename: string }>(
      `SELECT DISTINCT tablename::text FROM pg_policies WHERE schemaname = 'public' AND :role = ANY (roles) AND cmd IN ('SELECT', 'ALL') AND qual = 'true' ORDER BY 1`,
      { role: APP_ROLE },
    );
    expect(open.map((row) => row.tablename)).toEqual(PUBLIC_TABLES);

    // A view runs as its owner, past every policy: only the public directory's is the app's to read.
    const views = await asOwner<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('v', 'm')
          AND has_table_privilege(:role, c.oid, 'SELECT') ORDER BY 1`,
      { role: APP_ROLE },
    );
    expect(views.map((view) => view.name)).toEqual(['therapist_search_view']);
  });

  it("shows another user's notes, histories, plans, messages, journal, mood, appointments, goals, habits and notifications to nobody else", async () => {
    const { stranger, strangerTherapist, businessAdmin, superAdmin } = people;
    for (const row of rows) {
      const find = `SELECT ${row.key} FROM ${row.table} WHERE ${row.key} = :id`;
      expect(await asApp(row.seenBy, find, { id: row.id }), `${row.table} for its rightful reader`).toHaveLength(1);
      for (const other of [stranger, strangerTherapist, businessAdmin, superAdmin]) {
        if (['users', 'user_profiles'].includes(row.table) && other === superAdmin) continue; // accounts are a platform admin's to manage
        expect(await asApp(other, find, { id: row.id }), `${row.table} for a ${other.role}`).toEqual([]);
        expect(await changeAsApp(other, `UPDATE ${row.table} SET ${row.change} WHERE ${row.key} = :id`, { id: row.id }), `UPDATE ${row.table} by a ${other.role}`).toBe(0);
        expect(await changeAsApp(other, `DELETE FROM ${row.table} WHERE ${row.key} = :id`, { id: row.id }), `DELETE ${row.table} by a ${other.role}`).toBe(0);
      }
      expect(await asOwner(find, { id: row.id }), `${row.table} still there`).toHaveLength(1);
    }
  });

  it('keeps audit rows append-only: nobody reads, changes or deletes one through the app, their own included', async () => {
    const { client, stranger } = people;
    expect(await asApp(client, `SELECT id FROM audit_logs WHERE user_id = :id`, { id: client.id })).toEqual([]);
    await expect(changeAsApp(client, `UPDATE audit_logs SET action = 'x' WHERE user_id = :id`, { id: client.id })).rejects.toThrow(/permission denied/);
    await expect(changeAsApp(client, `DELETE FROM audit_logs WHERE user_id = :id`, { id: client.id })).rejects.toThrow(/permission denied/);
    expect(await changeAsApp(client, `INSERT INTO audit_logs (user_id, action) VALUES (:id, 'test.write')`, { id: client.id })).toBe(1);
    await expect(changeAsApp(client, `INSERT INTO audit_logs (user_id, action) VALUES (:id, 'test.write')`, { id: stranger.id })).rejects.toThrow(/row-level security/);
    // Mail queued for someone (with its links) is the platform's to read and send.
    expect(await asApp(stranger, `SELECT id FROM email_queue WHERE user_id = :id`, { id: client.id })).toEqual([]);
    expect(await changeAsApp(stranger, `DELETE FROM email_queue WHERE user_id = :id`, { id: client.id })).toBe(0);
  });

  it('refuses to write a row in another user’s name', async () => {
    const { client, stranger } = people;
    await expect(changeAsApp(stranger, `INSERT INTO journal_entries (user_id, content) VALUES (:id, 'x')`, { id: client.id })).rejects.toThrow(/row-level security/);
    await expect(changeAsApp(stranger, `INSERT INTO messages (sender_id, recipient_id, body, encryption_key_id, created_at) VALUES (:therapist, :id, 'x', 'k', now())`, { id: client.id, therapist: people.therapist.id })).rejects.toThrow(/row-level security/);
    // No care relationship: a therapist may not message a stranger in their own name either.
    await expect(changeAsApp(people.strangerTherapist, `INSERT INTO messages (sender_id, recipient_id, body, encryption_key_id, created_at) VALUES (:me, :id, 'x', 'k', now())`, { id: client.id, me: people.strangerTherapist.id })).rejects.toThrow(/row-level security/);
  });

  it('outside any user, the app role sees no personal row at all', async () => {
    const [counted] = (await database.sequelize.query<{ notes: number; journal: number; appointments: number }>(
      `SELECT (SELECT count(*)::int FROM session_notes) AS notes, (SELECT count(*)::int FROM journal_entries) AS journal, (SELECT count(*)::int FROM appointments) AS appointments`,
      { type: QueryTypes.SELECT },
    )) as Array<{ notes: number; journal: number; appointments: number }>;
    expect(counted).toEqual({ notes: 0, journal: 0, appointments: 0 });
  });
});
