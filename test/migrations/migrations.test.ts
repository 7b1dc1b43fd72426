import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { QueryTypes, type Sequelize } from 'sequelize';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { AuditLog, createLogger, createMigrator, Database, FieldCipher, migrationsDir, rotateEncryptionKeys, sealedTables } from '@therapy-field/server';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

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
      database = await Database.create({ databaseUrl: testDatabase.url, dataDir: '.', embeddedPostgresPort: 0 }, logger);
      expect(await database.migrate()).toEqual(await migrationNames());
      expect(await database.migrate()).toEqual([]);
      expect((await database.isReady()).pendingMigrations).toEqual([]);
    });

    it('create every table of the seed architecture, and `reviews`', async () => {
      const rows = await select<{ table_name: string }>(database.sequelize, `SELECT table_name::text AS table_name FROM information_schema.tables WHERE table_schema = 'public'`);
      const existing = new Set(rows.map((row) => row.table_name));
      const missing = [...(await seedTables()), 'reviews'].filter((name) => !existing.has(name));
      expect(missing).toEqual([]);
    });

    it('enforce the seed rules in PostgreSQL itself', async () => {
      const sequelize = database.sequelize;
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

    it('0303 sets plaintext notes aside for rotate-keys to seal; its down refuses while sealed notes exist', async () => {
      const sequelize = database.sequelize;
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
      const wellness = sealedTables.filter((sealedTable) => ['mood_entries', 'habit_logs'].includes(sealedTable.table));
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
      const migrator = createMigrator(database.sequelize, logger);
      const names = await migrationNames();
      expect((await migrator.down({ to: 0 })).map((migration) => migration.name)).toEqual([...names].reverse());
      const left = await select<{ count: string }>(database.sequelize, `SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migrations'`);
      expect(Number(left[0]!.count)).toBe(0);
      expect(await database.migrate()).toEqual(names);
    });
  });
}

schemaContract('the embedded PostgreSQL 18', () => inject('postgresAdminUrl'));
schemaContract("the machine's PostgreSQL 15", () => process.env.MACHINE_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
