import { randomBytes } from 'node:crypto';
import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, seedDemoData } from '@therapy-field/server';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { runServerCommand } from '../../support/node-process.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';

const MACHINE_POSTGRES = process.env.MACHINE_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const BACKUP_KEY = randomBytes(32).toString('base64');
const command = 'server/src/backups/backup.cli.ts';

/**
 * Row count and an order-independent digest of every public table, as the database itself prints
 * the rows. Not backup_history: a backup holds its own history row as it was in the snapshot
 * ('running'), completed only after the snapshot was taken.
 */
async function tableDigests(url: string): Promise<Record<string, { rows: number; digest: string }>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`SET TimeZone = 'UTC'`);
    const { rows: tables } = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
        WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname NOT IN ('schema_migrations', 'backup_history') ORDER BY 1`,
    );
    const digests: Record<string, { rows: number; digest: string }> = {};
    for (const { name } of tables) {
      const { rows: [row] } = await client.query<{ rows: number; digest: string }>(
        `SELECT count(*)::int AS rows, md5(coalesce(string_agg(md5(t::text), '' ORDER BY md5(t::text)), '')) AS digest FROM ${client.escapeIdentifier(name)} t`,
      );
      digests[name] = row!;
    }
    return digests;
  } finally {
    await client.end();
  }
}

/** Accounts in the database; none when it has no users table yet. */
async function accounts(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: [table] } = await client.query<{ exists: boolean }>(`SELECT to_regclass('public.users') IS NOT NULL AS exists`);
    return table!.exists ? (await client.query<{ count: number }>('SELECT count(*)::int AS count FROM users')).rows[0]!.count : 0;
  } finally {
    await client.end();
  }
}

describe('npm run backup / npm run restore', () => {
  let source: TestPlatform;
  let folder: string;
  const targets: TestDatabase[] = [];
  const env = (databaseUrl: string) => ({ DATABASE_URL: databaseUrl, BACKUP_ENCRYPTION_KEY: BACKUP_KEY, BACKUP_DIR: folder });
  const backupOf = async (databaseUrl: string) => {
    const made = await runServerCommand(command, ['backup'], env(databaseUrl));
    expect(made.code, made.stderr).toBe(0);
    return /^backup (\S+):/m.exec(made.stdout)![1]!;
  };

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'tf-backups-'));
    // The demo practice: encrypted notes, partitioned moods and audit rows, sequences, a month of activity.
    source = await startTestPlatform();
    const { platform } = source;
    await seedDemoData({ sequelize: platform.database.owner, cipher: platform.cipher, sync: platform.sync.service }, createLogger('silent'));
  }, 180_000);
  afterAll(async () => {
    await source?.close();
    for (const target of targets) await target.drop();
    await rm(folder, { recursive: true, force: true });
  });

  it('restores the embedded database into a fresh one and into the machine’s PostgreSQL 15: every table’s rows and checksum equal', async () => {
    const file = await backupOf(source.database.url);
    const expected = await tableDigests(source.database.url);
    expect(expected.users!.rows).toBeGreaterThan(10);
    expect(expected.mood_entries!.rows).toBeGreaterThan(20);

    // Recorded with its size and the file's SHA-256.
    const [history] = (await new pg.Pool({ connectionString: source.database.url }).query(`SELECT status, size_bytes, checksum FROM backup_history WHERE file_path = $1`, [file])).rows;
    expect(history).toMatchObject({ status: 'completed', checksum: (await import('node:crypto')).createHash('sha256').update(await readFile(file)).digest('hex') });

    for (const adminUrl of [undefined, MACHINE_POSTGRES]) {
      const target = await createTestDatabase({ empty: true, adminUrl });
      targets.push(target);
      const restored = await runServerCommand(command, ['restore', file], env(target.url));
      expect(restored.code, restored.stderr).toBe(0);
      expect(await tableDigests(target.url)).toEqual(expected);
    }
  }, 300_000);

  it('backs up the external PostgreSQL 15 too, and restores it into the embedded one', async () => {
    const external = targets.at(-1)!;
    const expected = await tableDigests(external.url);
    const file = await backupOf(external.url);
    const target = await createTestDatabase({ empty: true });
    targets.push(target);
    const restored = await runServerCommand(command, ['restore', file], env(target.url));
    expect(restored.code, restored.stderr).toBe(0);
    expect(await tableDigests(target.url)).toEqual(expected);
  }, 300_000);

  it('refuses a tampered backup in one line and commits none of its rows', async () => {
    const file = await backupOf(source.database.url);
    const bytes = await readFile(file);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    const tampered = join(folder, 'tampered.tfbackup');
    await writeFile(tampered, bytes);
    const target = await createTestDatabase({ empty: true });
    targets.push(target);

    const refused = await runServerCommand(command, ['restore', tampered], env(target.url));
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n').at(-1)).toMatch(/^restore: .*(does not authenticate|does not match|is out of order|ends)/);
    expect(await accounts(target.url)).toBe(0);

    // The wrong key is refused the same way.
    const wrongKey = await runServerCommand(command, ['restore', file], { ...env(target.url), BACKUP_ENCRYPTION_KEY: randomBytes(32).toString('base64') });
    expect(wrongKey.code).toBe(1);
    expect(await accounts(target.url)).toBe(0);
  }, 300_000);

  it('does not restore over a database with accounts unless told to replace it', async () => {
    const file = join(folder, (await readdirNewest(folder))!);
    const refused = await runServerCommand(command, ['restore', file], env(source.database.url));
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toMatch(/^restore: the database holds \d+ accounts; every row would be replaced: add --replace to mean it$/);
  }, 120_000);

  it('refuses to back up without a key, writing nothing unencrypted', async () => {
    const refused = await runServerCommand(command, ['backup'], { DATABASE_URL: source.database.url, BACKUP_DIR: join(folder, 'none'), BACKUP_ENCRYPTION_KEY: '' });
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toMatch(/^BACKUP_ENCRYPTION_KEY is not set/);
  }, 120_000);
});

async function readdirNewest(folder: string): Promise<string | undefined> {
  const { readdir } = await import('node:fs/promises');
  return (await readdir(folder)).filter((name) => name.startsWith('therapy-field-')).sort().at(-1);
}
