import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { PassThrough } from 'node:stream';
import { createGzip } from 'node:zlib';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { backupCipher } from './backup-file.js';

export const BACKUP_FORMAT = 1;
/** The migrator's own table: a restore migrates the target itself, up to the backup's migrations. */
const NOT_DUMPED = new Set(['schema_migrations']);

export interface TableDigest {
  rows: number;
  sha256: string;
}

export interface BackupManifest {
  kind: 'backup';
  format: number;
  createdAt: string;
  serverVersion: string;
  migrations: string[];
  partitions: Array<{ name: string; parent: string; bound: string }>;
  sequences: Array<{ name: string; value: string }>;
  tables: Array<{ name: string; columns: string[] }>;
}

export type Progress = (done: { tables: number; of: number; rows: number }) => void;

/**
 * A logical dump of the public schema from one REPEATABLE READ snapshot: every table's rows in
 * COPY text form, the partitions that hold them, sequence positions and the migrations applied.
 * COPY over the ordinary protocol works against any server version (the embedded 18 as well as an
 * external 15), where pg_dump must match the server and the embedded package ships none.
 */
export async function writeDump(databaseUrl: string, file: string, key: Buffer, progress: Progress = () => {}): Promise<{ tables: Record<string, TableDigest> }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { header, cipher } = backupCipher(key);
  const out = createWriteStream(file, { mode: 0o600 });
  out.write(header);
  const plain = new PassThrough();
  const written = pipeline(plain, createGzip(), cipher, out, { end: false });
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const manifest = await readManifest(client);
    await write(plain, `${JSON.stringify(manifest)}\n`);
    const digests: Record<string, TableDigest> = {};
    let rows = 0;
    for (const [index, table] of manifest.tables.entries()) {
      digests[table.name] = await dumpTable(client, plain, table);
      rows += digests[table.name]!.rows;
      progress({ tables: index + 1, of: manifest.tables.length, rows });
    }
    await write(plain, `${JSON.stringify({ kind: 'end', tables: digests })}\n`);
    await client.query('COMMIT');
    plain.end();
    await written;
    out.end(cipher.getAuthTag());
    await once(out, 'close');
    return { tables: digests };
  } catch (error) {
    plain.destroy(error as Error);
    out.destroy();
    throw error;
  } finally {
    await client.end();
  }
}

async function readManifest(client: pg.Client): Promise<BackupManifest> {
  const { rows: [version] } = await client.query<{ server_version: string }>('SHOW server_version');
  const migrations = (await client.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).rows.map((row) => row.name);
  const tables = await client.query<{ name: string; columns: string[] }>(
    `SELECT c.relname AS name, array_agg(a.attname::text ORDER BY a.attnum) AS columns
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
      GROUP BY c.relname ORDER BY c.relname`,
  );
  const partitions = await client.query<{ name: string; parent: string; bound: string }>(
    `SELECT c.relname AS name, p.relname AS parent, pg_get_expr(c.relpartbound, c.oid) AS bound
       FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid AND c.relispartition AND c.relkind IN ('r', 'p')
       JOIN pg_class p ON p.oid = i.inhparent
       JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
      ORDER BY p.relname, c.relname`,
  );
  const sequences = await client.query<{ name: string; value: string }>(
    `SELECT sequencename AS name, last_value::text AS value FROM pg_sequences WHERE schemaname = 'public' AND last_value IS NOT NULL ORDER BY sequencename`,
  );
  return {
    kind: 'backup',
    format: BACKUP_FORMAT,
    createdAt: new Date().toISOString(),
    serverVersion: version!.server_version,
    migrations,
    partitions: partitions.rows,
    sequences: sequences.rows,
    tables: tables.rows.filter((table) => !NOT_DUMPED.has(table.name)),
  };
}

/** One table: its record line, its COPY rows, the COPY end marker; returns its digest. */
async function dumpTable(client: pg.Client, plain: PassThrough, table: { name: string; columns: string[] }): Promise<TableDigest> {
  await write(plain, `${JSON.stringify({ kind: 'table', name: table.name })}\n`);
  const columns = table.columns.map((column) => client.escapeIdentifier(column)).join(', ');
  const copy = client.query(copyTo(`COPY (SELECT ${columns} FROM ${client.escapeIdentifier(table.name)}) TO STDOUT`));
  const hash = createHash('sha256');
  let rows = 0;
  for await (const chunk of copy as AsyncIterable<Buffer>) {
    hash.update(chunk);
    for (const byte of chunk) if (byte === 10) rows += 1;
    await write(plain, chunk);
  }
  await write(plain, '\\.\n');
  return { rows, sha256: hash.digest('hex') };
}

async function write(stream: PassThrough, data: string | Buffer): Promise<void> {
  if (!stream.write(data)) await once(stream, 'drain');
}
