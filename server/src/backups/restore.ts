import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { StartupError } from '../config/index.js';
import { backupDecipher } from './backup-file.js';
import { BACKUP_FORMAT, type BackupManifest, type Progress, type TableDigest } from './dump.js';

/** The backup's lines, decrypted and unzipped; ends only after the GCM tag was verified. */
async function* backupLines(file: string, key: Buffer): AsyncGenerator<string> {
  const { decipher, start, end } = await backupDecipher(file, key);
  const source = createReadStream(file, { start, end });
  const gunzip = createGunzip();
  source.on('error', (error) => gunzip.destroy(error));
  decipher.on('error', () => gunzip.destroy(new StartupError(`restore: ${file} does not authenticate with BACKUP_ENCRYPTION_KEY: it was changed, or the key is another`)));
  source.pipe(decipher).pipe(gunzip);
  // A chunk may end inside a multi-byte character (Greek text): decode across chunk boundaries.
  const text = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of gunzip as AsyncIterable<Buffer>) {
    const lines = (rest + text.write(chunk)).split('\n');
    rest = lines.pop()!;
    yield* lines;
  }
  rest += text.end();
  if (rest !== '') throw new StartupError(`restore: ${file} ends in the middle of a line`);
}

/** The manifest alone (unauthenticated until the whole file is read: only used to plan). */
export async function readManifest(file: string, key: Buffer): Promise<BackupManifest> {
  const lines = backupLines(file, key);
  const first = await lines.next();
  await lines.return(undefined);
  const manifest = first.done ? undefined : (JSON.parse(first.value) as BackupManifest);
  if (manifest?.kind !== 'backup' || manifest.format !== BACKUP_FORMAT) throw new StartupError(`restore: ${file} is not a backup this version reads`);
  return manifest;
}

/**
 * Replaces the public schema's rows with the backup's in ONE transaction (triggers and foreign
 * keys off while loading, as a dump restore does), committed only after every table's row count
 * and SHA-256 matched and the file's GCM tag verified: a changed or truncated backup changes nothing.
 */
export async function loadDump(databaseUrl: string, file: string, key: Buffer, progress: Progress = () => {}): Promise<Record<string, TableDigest>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const lines = backupLines(file, key);
  try {
    const manifest = JSON.parse((await lines.next()).value as string) as BackupManifest;
    await client.query('BEGIN');
    await client.query('SET LOCAL session_replication_role = replica');
    await client.query(`TRUNCATE ${manifest.tables.map((table) => client.escapeIdentifier(table.name)).join(', ')} CASCADE`);
    for (const partition of manifest.partitions) {
      await client.query(`CREATE TABLE IF NOT EXISTS ${client.escapeIdentifier(partition.name)} PARTITION OF ${client.escapeIdentifier(partition.parent)} ${partition.bound}`);
    }
    const loaded: Record<string, TableDigest> = {};
    let rows = 0;
    for (const table of manifest.tables) {
      const record = JSON.parse((await lines.next()).value as string) as { kind: string; name: string };
      if (record.kind !== 'table' || record.name !== table.name) throw new StartupError(`restore: ${file} is out of order at ${table.name}`);
      loaded[table.name] = await loadTable(client, table, lines);
      rows += loaded[table.name]!.rows;
      progress({ tables: Object.keys(loaded).length, of: manifest.tables.length, rows });
    }
    const end = JSON.parse((await lines.next()).value as string) as { kind: string; tables: Record<string, TableDigest> };
    for (const table of manifest.tables) {
      const expected = end.tables[table.name];
      if (expected?.rows !== loaded[table.name]!.rows || expected.sha256 !== loaded[table.name]!.sha256) throw new StartupError(`restore: table ${table.name} does not match its checksum`);
    }
    for (const sequence of manifest.sequences) await client.query('SELECT setval($1::regclass, $2::bigint, true)', [client.escapeIdentifier(sequence.name), sequence.value]);
    // Reading to the end verifies the tag: nothing is committed before it.
    if (!(await lines.next()).done) throw new StartupError(`restore: ${file} has data after its end`);
    await client.query('COMMIT');
    return loaded;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await lines.return(undefined);
    await client.end();
  }
}

async function loadTable(client: pg.Client, table: { name: string; columns: string[] }, lines: AsyncGenerator<string>): Promise<TableDigest> {
  const columns = table.columns.map((column) => client.escapeIdentifier(column)).join(', ');
  const copy = client.query(copyFrom(`COPY ${client.escapeIdentifier(table.name)} (${columns}) FROM STDIN`));
  const hash = createHash('sha256');
  let rows = 0;
  for (;;) {
    const next = await lines.next();
    if (next.done) throw new StartupError(`restore: the backup ends inside table ${table.name}`);
    if (next.value === '\\.') break;
    const line = `${next.value}\n`;
    hash.update(line);
    rows += 1;
    if (!copy.write(line)) await once(copy, 'drain');
  }
  copy.end();
  await once(copy, 'finish');
  return { rows, sha256: hash.digest('hex') };
}
