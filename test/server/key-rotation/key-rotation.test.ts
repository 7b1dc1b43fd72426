import { randomBytes } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, createLogger, Database, FieldCipher, rotateEncryptionKeys, sealedTables, type SealedTable } from '@therapy-field/server';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { testDatabaseRoles } from '../../support/database-roles.js';

const oldKey = randomBytes(32);
const oldCipher = new FieldCipher(new Map([['old', oldKey]]), 'old');
const newCipher = new FieldCipher(new Map([['old', oldKey], ['new', randomBytes(32)]]), 'new');

let testDatabase: TestDatabase;
let database: Database;
const sql = <T extends object>(query: string, replacements: Record<string, unknown> = {}) =>
  database.owner.query<T>(query, { type: QueryTypes.SELECT, replacements });

/** The text sealed into one column of one row, so a decrypted value names where it belongs. */
const clinicalText = (table: string, column: string, key: string) => `${table}.${column} ${key} — Ιστορικό`;

/** Plaintext that 0303 moved aside (notes written before the notes were sealed), by table. */
const legacyNotes = { mood_entries: 'παλιές σημειώσεις διάθεσης', habit_logs: 'παλιές σημειώσεις συνήθειας' } as const;

async function insertUser(role: 'client' | 'therapist'): Promise<string> {
  const email = `${role}.${randomBytes(4).toString('hex')}@example.gr`;
  const [row] = await sql<{ id: string }>(`INSERT INTO users (email, email_normalized, password_hash, role) VALUES (:email, :email, 'x', :role) RETURNING id`, { email, role });
  return row!.id;
}

/** One or more rows in every table of `sealedTables`, their clinical columns still empty. */
async function insertClinicalRows(): Promise<void> {
  const client = await insertUser('client');
  const therapist = await insertUser('therapist');
  const supervisee = await insertUser('therapist');
  const ids = { client, therapist, supervisee };
  await sql(`INSERT INTO appointments (client_id, therapist_id, scheduled_start, scheduled_end, status)
             VALUES (:client, :therapist, now() + interval '1 day', now() + interval '1 day 50 minutes', 'requested')`, ids);
  for (let i = 0; i < 5; i++) await sql(`INSERT INTO journal_entries (user_id, content) VALUES (:client, '\\x00')`, ids);
  // Several months, so rotation walks more than one partition; five rows and batches of two.
  for (let i = 0; i < 5; i++) await sql(`INSERT INTO mood_entries (user_id, recorded_at, mood_score) VALUES (:client, now() - make_interval(days => :days), 5)`, { ...ids, days: i * 20 });
  const [habit] = await sql<{ id: string }>(`INSERT INTO habit_definitions (user_id) VALUES (:client) RETURNING id`, ids);
  await sql(`INSERT INTO goals (user_id) VALUES (:client)`, ids);
  for (let i = 0; i < 3; i++) {
    await sql(`INSERT INTO habit_logs (habit_id, user_id, logged_at) VALUES (:habit, :client, now() - make_interval(days => :days))`, { ...ids, habit: habit!.id, days: i * 20 });
  }
  await sql(`INSERT INTO session_notes (therapist_id, client_id, content) VALUES (:therapist, :client, '\\x00')`, ids);
  // A signed note's earlier version and amendment (1251): written once, re-sealed only by rotation.
  const [signed] = await sql<{ id: string }>(`INSERT INTO session_notes (therapist_id, client_id, content, is_signed, signed_at) VALUES (:therapist, :client, '\\x00', TRUE, now()) RETURNING id`, ids);
  await sql(`INSERT INTO session_note_versions (note_id, version, note_type, content) VALUES (:note, 1, 'soap', '\\x00')`, { note: signed!.id });
  await sql(`INSERT INTO session_note_amendments (note_id, author_id, kind, content) VALUES (:note, :therapist, 'addendum', '\\x00')`, { ...ids, note: signed!.id });
  for (const table of ['patient_medical_history', 'patient_psychiatric_history', 'patient_social_history']) await sql(`INSERT INTO ${table} (client_id) VALUES (:client)`, ids);
  await sql(`INSERT INTO treatment_plans (client_id, therapist_id, start_date) VALUES (:client, :therapist, current_date)`, ids);
  const [relationship] = await sql<{ id: string }>(`INSERT INTO supervision_relationships (supervisor_id, supervisee_id, start_date) VALUES (:therapist, :supervisee, current_date) RETURNING id`, ids);
  await sql(`INSERT INTO supervision_sessions (relationship_id, scheduled_at) VALUES (:relationship, now())`, { relationship: relationship!.id });
  const [questionnaire] = await sql<{ id: string }>(`INSERT INTO questionnaire_templates (name, type) VALUES ('PHQ-9', 'clinical_assessment') RETURNING id`);
  await sql(`INSERT INTO questionnaire_responses (client_id, questionnaire_id) VALUES (:client, :questionnaire)`, { ...ids, questionnaire: questionnaire!.id });
}

const keysOf = (sealedTable: SealedTable) =>
  sql<{ key: string[] }>(`SELECT ARRAY[${sealedTable.keyColumns.map((column) => `${column}::text`).join(', ')}] AS key FROM ${sealedTable.table}`);

const whereKey = (sealedTable: SealedTable) => sealedTable.keyColumns.map((column, i) => `${column} = :key${i}`).join(' AND ');
const keyReplacements = (key: string[]) => Object.fromEntries(key.map((value, i) => [`key${i}`, value]));

/**
 * Seals every clinical column of every row under the old key, as the app wrote them. Users keep
 * a null encryption_key_id: the 2FA writes do not set it, and rotation must not rely on it.
 */
async function sealUnderOldKey(): Promise<number> {
  let rows = 0;
  for (const sealedTable of sealedTables) {
    for (const { key } of await keysOf(sealedTable)) {
      const values = Object.fromEntries(sealedTable.sealedColumns.map((column) => [column, oldCipher.encrypt(clinicalText(sealedTable.table, column, key[0]!))]));
      const keyId = sealedTable.table === 'users' ? null : 'old';
      await database.owner.query(
        `UPDATE ${sealedTable.table} SET ${sealedTable.sealedColumns.map((column) => `${column} = :${column}`).join(', ')}, encryption_key_id = :keyId WHERE ${whereKey(sealedTable)}`,
        { replacements: { ...values, keyId, ...keyReplacements(key) } },
      );
      rows++;
    }
  }
  return rows;
}

/** Rows as 0303 leaves notes written before it: plaintext aside, nothing sealed; and a row without notes. */
async function insertLegacyRows(): Promise<void> {
  const [owner] = await sql<{ client: string; habit: string }>(`SELECT user_id AS client, habit_id AS habit FROM habit_logs LIMIT 1`);
  const { client, habit } = owner!;
  await sql(`INSERT INTO mood_entries (user_id, recorded_at, mood_score, notes_plaintext) VALUES (:client, now(), 4, :notes)`, { client, notes: legacyNotes.mood_entries });
  await sql(`INSERT INTO habit_logs (habit_id, user_id, logged_at, notes_plaintext) VALUES (:habit, :client, now(), :notes)`, { habit, client, notes: legacyNotes.habit_logs });
  await sql(`INSERT INTO mood_entries (user_id, recorded_at, mood_score) VALUES (:client, now(), 6)`, { client });
}

interface StoredRow {
  key: string[];
  keyId: string | null;
  sealed: Record<string, Buffer | null>;
  plaintext: Record<string, string | null>;
}

async function storedRows(sealedTable: SealedTable): Promise<StoredRow[]> {
  const plaintextColumns = Object.values(sealedTable.pendingPlaintext ?? {});
  const rows = await sql<Record<string, any>>(
    `SELECT ARRAY[${sealedTable.keyColumns.map((column) => `${column}::text`).join(', ')}] AS _key, encryption_key_id AS _key_id,
            ${[...sealedTable.sealedColumns, ...plaintextColumns].join(', ')}
       FROM ${sealedTable.table}`,
  );
  return rows.map((row) => ({
    key: row._key,
    keyId: row._key_id,
    sealed: Object.fromEntries(sealedTable.sealedColumns.map((column) => [column, row[column]])),
    plaintext: Object.fromEntries(plaintextColumns.map((column) => [column, row[column]])),
  }));
}

const rekeyAudits = (entityType: string) =>
  sql<{ entity_id: string; metadata: { keyId: string; columns: string[] } }>(`SELECT entity_id, metadata FROM audit_logs WHERE action = :action`, { action: `${entityType}.rekey` });

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  database = await Database.create({ databaseUrl: testDatabase.url, dataDir: '.', embeddedPostgresPort: 0, databaseRoles: testDatabaseRoles }, createLogger('silent'));
});
afterAll(async () => {
  await database?.close();
  await testDatabase?.drop();
});

describe('the list of sealed tables', () => {
  it('names every bytea column of every table that records an encryption_key_id, and nothing else', async () => {
    const columns = await sql<{ table_name: string; column_name: string }>(
      `SELECT c.table_name::text AS table_name, c.column_name::text AS column_name
         FROM information_schema.columns c
         JOIN pg_class k ON k.relname = c.table_name AND k.relkind IN ('r', 'p') AND NOT k.relispartition
        WHERE c.table_schema = 'public' AND c.data_type = 'bytea'
          AND EXISTS (SELECT 1 FROM information_schema.columns e WHERE e.table_schema = 'public' AND e.table_name = c.table_name AND e.column_name = 'encryption_key_id')`,
    );
    const inSchema = columns.map((row) => `${row.table_name}.${row.column_name}`).sort();
    const listed = sealedTables.flatMap((sealedTable) => sealedTable.sealedColumns.map((column) => `${sealedTable.table}.${column}`)).sort();
    expect(listed).toEqual(inSchema);
  });
});

describe('rotateEncryptionKeys', () => {
  let sealedRows: number;
  let firstRun: Awaited<ReturnType<typeof rotateEncryptionKeys>>;
  let before: Map<string, StoredRow[]>;

  beforeAll(async () => {
    await insertClinicalRows();
    sealedRows = await sealUnderOldKey();
    await insertLegacyRows();
    firstRun = await rotateEncryptionKeys({ sequelize: database.owner, cipher: newCipher, audit: new AuditLog(database.owner) }, { batchSize: 2 });
    before = new Map(await Promise.all(sealedTables.map(async (sealedTable) => [sealedTable.table, await storedRows(sealedTable)] as const)));
  });

  it('re-encrypts every row of every listed table and reports counts per table', async () => {
    const expected = await Promise.all(
      sealedTables.map(async (sealedTable) => ({ table: sealedTable.table, rotated: (await keysOf(sealedTable)).length - (sealedTable.table === 'mood_entries' ? 1 : 0), remaining: 0 })),
    );
    expect(firstRun).toEqual(expected);
    expect(firstRun.reduce((sum, report) => sum + report.rotated, 0)).toBe(sealedRows + 2);
  });

  it('leaves every sealed value under the new key (the key id inside the bytes) and decrypting to the same text', async () => {
    for (const sealedTable of sealedTables) {
      for (const row of before.get(sealedTable.table)!) {
        const values = Object.entries(row.sealed).filter(([, value]) => value != null);
        if (values.length === 0) {
          expect(row.keyId, `${sealedTable.table} ${row.key} has nothing sealed and is left alone`).toBeNull();
          continue;
        }
        expect(row.keyId, `${sealedTable.table} ${row.key}`).toBe('new');
        for (const [column, value] of values) {
          expect(newCipher.keyIdOf(value!), `${sealedTable.table}.${column}`).toBe('new');
          const legacy = legacyNotes[sealedTable.table as keyof typeof legacyNotes];
          expect([clinicalText(sealedTable.table, column, row.key[0]!), legacy]).toContain(newCipher.decrypt(value!));
        }
      }
    }
  });

  it('seals the plaintext that the migration moved aside and empties its column', async () => {
    for (const table of ['mood_entries', 'habit_logs'] as const) {
      const rows = before.get(table)!;
      expect(rows.every((row) => row.plaintext.notes_plaintext === null), table).toBe(true);
      expect(rows.filter((row) => row.sealed.notes && newCipher.decrypt(row.sealed.notes) === legacyNotes[table]), table).toHaveLength(1);
    }
    const [leak] = await sql<{ n: string }>(`SELECT count(*) AS n FROM mood_entries m WHERE to_jsonb(m)::text LIKE '%παλιές%'`);
    expect(Number(leak!.n)).toBe(0);
  });

  it('audits each re-encryption with the new key id and the columns it changed, never the text', async () => {
    for (const sealedTable of sealedTables) {
      const audits = await rekeyAudits(sealedTable.entityType);
      const report = firstRun.find((entry) => entry.table === sealedTable.table)!;
      expect(audits, sealedTable.table).toHaveLength(report.rotated);
      for (const audit of audits) {
        expect(audit.metadata.keyId).toBe('new');
        expect(sealedTable.sealedColumns).toEqual(expect.arrayContaining(audit.metadata.columns));
      }
    }
    const [leak] = await sql<{ n: string }>(`SELECT count(*) AS n FROM audit_logs a WHERE to_jsonb(a)::text LIKE '%Ιστορικό%' OR to_jsonb(a)::text LIKE '%παλιές%'`);
    expect(Number(leak!.n)).toBe(0);
  });

  it('is idempotent: a second run re-encrypts nothing and changes no byte', async () => {
    const secondRun = await rotateEncryptionKeys({ sequelize: database.owner, cipher: newCipher, audit: new AuditLog(database.owner) }, { batchSize: 2 });
    expect(secondRun).toEqual(sealedTables.map((sealedTable) => ({ table: sealedTable.table, rotated: 0, remaining: 0 })));
    for (const sealedTable of sealedTables) expect(await storedRows(sealedTable), sealedTable.table).toEqual(before.get(sealedTable.table));
    const [audits] = await sql<{ n: string }>(`SELECT count(*) AS n FROM audit_logs WHERE action LIKE '%.rekey'`);
    expect(Number(audits!.n)).toBe(sealedRows + 2);
  });

  it('fails, changing nothing in that batch, when a value is under a key that is not in the ring', async () => {
    const stranger = new FieldCipher(new Map([['lost', randomBytes(32)]]), 'lost');
    const [entry] = await sql<{ id: string }>(`SELECT id FROM journal_entries ORDER BY id LIMIT 1`);
    await sql(`UPDATE journal_entries SET content = :content, encryption_key_id = 'lost' WHERE id = :id`, { id: entry!.id, content: stranger.encrypt('unreadable') });
    const journal = sealedTables.filter((sealedTable) => sealedTable.table === 'journal_entries');
    await expect(rotateEncryptionKeys({ sequelize: database.owner, cipher: newCipher, audit: new AuditLog(database.owner) }, { tables: journal })).rejects.toThrow(/lost is not in the key ring/);
    const [row] = await sql<{ encryption_key_id: string }>(`SELECT encryption_key_id FROM journal_entries WHERE id = :id`, { id: entry!.id });
    expect(row!.encryption_key_id).toBe('lost');
  });
});
