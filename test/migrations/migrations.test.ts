import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { QueryTypes, type Sequelize } from 'sequelize';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { AuditLog, createLogger, createMigrator, Database, FieldCipher, migrationsDir, rotateEncryptionKeys, sealedTables } from '@therapy-field/server';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { testDatabaseRoles } from '../support/database-roles.js';

const logger = createLogger('silent');
const seedArchitecture = new URL('../../../shared/seed/therapy-field-database-architecture.md', import.meta.url);
/** The sketch's example partitions are replaced by partition helpers and default partitions. */
const examplePartition = /^(audit_logs_\d{4}_\d{2}|appointments_\d{4}|session_notes_therapist_\d+)$/;

async function seedTables(): Promise<string[]> {
  const text = await readFile(seedArchitecture, 'utf8');
  const names = [...text.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?(?!IF\b)(\w+)/g)].map((match) => match[1]!);
  return [...new Set(names)].filter((name) => !examplePartition.test(name));
}

async function migrationNames(): Promise<string[]> {
  return (await readdir(migrationsDir)).filter((file) => file.endsWith('.up.sql')).map((file) => file.replace('.up.sql', '')).sort();
}

const select = <T extends object>(sequelize: Sequelize, sql: string) => sequelize.query<T>(sql, { type: QueryTypes.SELECT });

/** The same schema checks on every PostgreSQL the platform supports. */
function schemaContract(label: string, adminUrl: () => string) {
  describe(`migrations on ${label}`, () => {
    let testDatabase: TestDatabase;
    let database: Database;

    afterAll(async () => {
      await database?.close();
      await testDatabase?.drop();
    });

    it('apply in order to an empty database, and a second run is a no-op', async () => {
      testDatabase = await createTestDatabase({ empty: true, adminUrl: adminUrl() });
      database = await Database.create({ databaseUrl: testDatabase.url, dataDir: '.', embeddedPostgresPort: 0, databaseRoles: testDatabaseRoles }, logger);
      expect(await database.migrate()).toEqual(await migrationNames());
      expect(await database.migrate()).toEqual([]);
      expect((await database.isReady()).pendingMigrations).toEqual([]);
    });

    it('create every table of the seed architecture, and `reviews`', async () => {
      const rows = await select<{ table_name: string }>(database.owner, `SELECT table_name::text AS table_name FROM information_schema.tables WHERE table_schema = 'public'`);
      const existing = new Set(rows.map((row) => row.table_name));
      const missing = [...(await seedTables()), 'reviews'].filter((name) => !existing.has(name));
      expect(missing).toEqual([]);
    });

    it('enforce the seed rules in PostgreSQL itself', async () => {
      const sequelize = database.owner;
      const [user] = await select<{ id: string }>(
        sequelize,
        `INSERT INTO users (email, email_normalized, password_hash, role) VALUES ('m@example.gr', 'm@example.gr', 'x', 'client') RETURNING id`,
      );
      await expect(
        sequelize.query(`INSERT INTO mood_entries (user_id, recorded_at, mood_score) VALUES ('${user!.id}', now(), 11)`),
      ).rejects.toThrow(/check constraint/);
      await sequelize.query(`INSERT INTO mood_entries (user_id, recorded_at, mood_score) VALUES ('${user!.id}', '1999-01-01', 10)`);
      await expect(
        sequelize.query(`INSERT INTO users (email, email_normalized, password_hash, role) VALUES ('not-an-email', 'x', 'x', 'client')`),
      ).rejects.toThrow(/chk_email_format/);
      await expect(
        sequelize.query(
          `INSERT INTO appointments (therapist_id, client_id, scheduled_start, scheduled_end, status)
           VALUES ('${user!.id}', '${user!.id}', now(), now() + interval '50 minutes', 'requested')`,
        ),
      ).rejects.toThrow(/violates check constraint/);
    });

    it('0400 messages: each change reaches both parties, only a client and their therapist may message, the GDPR functions include them', async () => {
      const sequelize = database.owner;
      const user = (email: string, role: string) =>
        select<{ id: string }>(sequelize, `INSERT INTO users (email, email_normalized, password_hash, role) VALUES ('${email}', '${email}', 'x', '${role}') RETURNING id`).then((rows) => rows[0]!.id);
      const [client, therapist, stranger] = [await user('c400@example.gr', 'client'), await user('t400@example.gr', 'therapist'), await user('s400@example.gr', 'client')];
      await sequelize.query(
        `INSERT INTO appointments (therapist_id, client_id, scheduled_start, scheduled_end, status)
         VALUES ('${therapist}', '${client}', now() - interval '2 days', now() - interval '2 days' + interval '50 minutes', 'completed')`,
      );
      const mayMessage = (from: string, to: string) => select<{ allowed: boolean }>(sequelize, `SELECT may_message('${from}', '${to}') AS allowed`).then((rows) => rows[0]!.allowed);
      expect([await mayMessage(client, therapist), await mayMessage(therapist, client), await mayMessage(stranger, therapist), await mayMessage(client, client)]).toEqual([true, true, false, false]);

      const [message] = await select<{ id: string }>(
        sequelize,
        `INSERT INTO messages (sender_id, recipient_id, body, encryption_key_id, created_at) VALUES ('${client}', '${therapist}', '\\x00', 'k1', now()) RETURNING id`,
      );
      await sequelize.query(`UPDATE messages SET read_at = now() WHERE id = '${message!.id}'`);
      await sequelize.query(`UPDATE messages SET deleted_at = now() WHERE id = '${message!.id}'`);
      const changes = await select<{ recipient_id: string; operation: string }>(
        sequelize,
        `SELECT recipient_id::text, operation FROM change_log WHERE collection = 'messages' AND record_id = '${message!.id}' ORDER BY id`,
      );
      expect(changes).toEqual(
        [['upsert', 'upsert'], ['upsert', 'upsert'], ['delete', 'delete']].flatMap(([a, b]) => [{ recipient_id: client, operation: a }, { recipient_id: therapist, operation: b }]),
      );
      await expect(sequelize.query(`UPDATE messages SET sender_id = '${stranger}' WHERE id = '${message!.id}'`)).rejects.toThrow(/cannot be changed/);
      await expect(
        sequelize.query(`INSERT INTO messages (sender_id, recipient_id, body, encryption_key_id, created_at) VALUES ('${client}', '${client}', '\\x00', 'k1', now())`),
      ).rejects.toThrow(/chk_message_not_to_self/);

      const [kept] = await select<{ id: string }>(
        sequelize,
        `INSERT INTO messages (sender_id, recipient_id, body, encryption_key_id, created_at) VALUES ('${therapist}', '${client}', '\\x00', 'k1', now()) RETURNING id`,
      );
      const [exported] = await select<{ data: { messages: Array<{ id: string }> } }>(sequelize, `SELECT export_user_data('${client}') AS data`);
      expect(exported!.data.messages.map((row) => row.id)).toEqual([kept!.id]);
      await sequelize.query(`INSERT INTO messages (sender_id, recipient_id, body, encryption_key_id, created_at) VALUES ('${client}', '${therapist}', '\\x00', 'k1', now())`);
      await sequelize.query(`SELECT delete_user_data('${client}')`);
      const left = await select<{ sender_id: string }>(sequelize, `SELECT sender_id::text FROM messages WHERE '${client}' IN (sender_id, recipient_id)`);
      expect(left).toEqual([{ sender_id: therapist }]);
    });

    it('0303 sets plaintext notes aside for rotate-keys to seal; its down refuses while sealed notes exist', async () => {
      const sequelize = database.owner;
      const migrator = createMigrator(sequelize, logger);
      const sealedNotes = '0303_sealed_wellness_notes';
      await migrator.down({ to: sealedNotes });
      const [user] = await select<{ id: string }>(
        sequelize,
        `INSERT INTO users (email, email_normalized, password_hash, role) VALUES ('notes@example.gr', 'notes@example.gr', 'x', 'client') RETURNING id`,
      );
      await sequelize.query(`INSERT INTO mood_entries (user_id, recorded_at, mood_score, notes) VALUES ('${user!.id}', now(), 5, 'άγχος πριν τη συνέντευξη')`);
      const [habit] = await select<{ id: string }>(sequelize, `INSERT INTO habit_definitions (user_id, name) VALUES ('${user!.id}', 'Διάβασμα') RETURNING id`);
      await sequelize.query(`INSERT INTO habit_logs (habit_id, user_id, logged_at, notes) VALUES ('${habit!.id}', '${user!.id}', now(), 'δέκα σελίδες')`);

      await migrator.up({ to: sealedNotes });
      const moved = await select<{ notes: Buffer | null; notes_plaintext: string }>(
        sequelize,
        `SELECT notes, notes_plaintext FROM mood_entries WHERE user_id = '${user!.id}' UNION ALL SELECT notes, notes_plaintext FROM habit_logs WHERE user_id = '${user!.id}'`,
      );
      expect(moved).toEqual([{ notes: null, notes_plaintext: 'άγχος πριν τη συνέντευξη' }, { notes: null, notes_plaintext: 'δέκα σελίδες' }]);

      const cipher = new FieldCipher(new Map([['k1', randomBytes(32)]]), 'k1');
      // The two tables as 0303 left them: 0651 seals more of their columns.
      const wellness = sealedTables
        .filter((sealedTable) => ['mood_entries', 'habit_logs'].includes(sealedTable.table))
        .map((sealedTable) => ({ ...sealedTable, sealedColumns: ['notes'], pendingPlaintext: { notes: 'notes_plaintext' }, jsonColumns: [] }));
      const reports = await rotateEncryptionKeys({ sequelize, cipher, audit: new AuditLog(sequelize) }, { tables: wellness });
      expect(reports).toEqual([{ table: 'mood_entries', rotated: 1, remaining: 0 }, { table: 'habit_logs', rotated: 1, remaining: 0 }]);
      const sealed = await select<{ notes: Buffer; notes_plaintext: string | null }>(
        sequelize,
        `SELECT notes, notes_plaintext FROM mood_entries WHERE user_id = '${user!.id}' UNION ALL SELECT notes, notes_plaintext FROM habit_logs WHERE user_id = '${user!.id}'`,
      );
      expect(sealed.map((row) => [cipher.decrypt(row.notes), row.notes_plaintext])).toEqual([['άγχος πριν τη συνέντευξη', null], ['δέκα σελίδες', null]]);

      await expect(migrator.down({ to: sealedNotes })).rejects.toThrow(/cannot undo 0303_sealed_wellness_notes/);
      await sequelize.query(`DELETE FROM users WHERE id = '${user!.id}'`);
      await migrator.down({ to: sealedNotes });
      const notesType = await select<{ table_name: string; data_type: string }>(
        sequelize,
        `SELECT table_name::text, data_type::text FROM information_schema.columns WHERE column_name = 'notes' AND table_name IN ('mood_entries', 'habit_logs') ORDER BY table_name`,
      );
      expect(notesType).toEqual([{ table_name: 'habit_logs', data_type: 'text' }, { table_name: 'mood_entries', data_type: 'text' }]);
      const names = await migrationNames();
      expect(await database.migrate()).toEqual(names.slice(names.indexOf(sealedNotes)));
    });

    it('undo every migration with migrate:down and apply them again', async () => {
      const migrator = createMigrator(database.owner, logger);
      const names = await migrationNames();
      expect((await migrator.down({ to: 0 })).map((migration) => migration.name)).toEqual([...names].reverse());
      const left = await select<{ count: string }>(database.owner, `SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migrations'`);
      expect(Number(left[0]!.count)).toBe(0);
      expect(await database.migrate()).toEqual(names);
    });
  });
}

schemaContract('the embedded PostgreSQL 18', () => inject('postgresAdminUrl'));
schemaContract("the machine's PostgreSQL 15", () => process.env.MACHINE_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
