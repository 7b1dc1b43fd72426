import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { QueryTypes, type Sequelize } from 'sequelize';
import { StartupError } from '../config/index.js';
import type { JobDefinition } from '../jobs/index.js';
import type { Logger } from '../logger/index.js';
import { writeDump, type Progress } from './dump.js';
import { loadDump, readManifest } from './restore.js';

export interface BackupsDeps {
  /** The owner connection: backup_history and backup_policies are platform records. */
  owner: Sequelize;
  databaseUrl: string;
  key?: Buffer;
  dir: string;
  logger: Logger;
}

export interface BackupRecord {
  id: string;
  file: string;
  sizeBytes: number;
  checksum: string;
  rows: number;
}

interface DuePolicy {
  id: string;
  policy_name: string;
  retention_days: number;
  storage_location: string | null;
}

const SCHEDULE_INTERVAL = { daily: '1 day', weekly: '7 days', monthly: '1 month', continuous: '1 hour' } as const;

/**
 * Encrypted logical backups (seed §6): each run is recorded in `backup_history` (running →
 * completed with size and SHA-256 of the file, or failed with the reason); `backup_policies` say
 * when the job backs up and how long their files are kept.
 */
export class Backups {
  constructor(private readonly deps: BackupsDeps) {}

  private get key(): Buffer {
    if (!this.deps.key) throw new StartupError('BACKUP_ENCRYPTION_KEY is not set: give the base64 of 32 bytes (openssl rand -base64 32) and keep it apart from the backups');
    return this.deps.key;
  }

  async backup(options: { policyId?: string; dir?: string; progress?: Progress } = {}): Promise<BackupRecord> {
    const key = this.key;
    const dir = resolve(options.dir ?? this.deps.dir);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const startedAt = new Date();
    const file = join(dir, `therapy-field-${startedAt.toISOString().replace(/[:.]/g, '-')}.tfbackup`);
    const [history] = await this.deps.owner.query<{ id: string }>(
      `INSERT INTO backup_history (policy_id, backup_type, start_time, status, file_path) VALUES (:policyId, 'full', :startedAt, 'running', :file) RETURNING id`,
      { type: QueryTypes.SELECT, replacements: { policyId: options.policyId ?? null, startedAt, file } },
    );
    try {
      const { tables } = await writeDump(this.deps.databaseUrl, file, key, options.progress);
      const [{ size }, checksum] = await Promise.all([stat(file), sha256Of(file)]);
      await this.deps.owner.query(
        `UPDATE backup_history SET status = 'completed', end_time = now(), size_bytes = :size, checksum = :checksum WHERE id = :id`,
        { type: QueryTypes.UPDATE, replacements: { id: history!.id, size, checksum } },
      );
      return { id: history!.id, file, sizeBytes: size, checksum, rows: Object.values(tables).reduce((sum, table) => sum + table.rows, 0) };
    } catch (error) {
      await rm(file, { force: true });
      await this.deps.owner.query(`UPDATE backup_history SET status = 'failed', end_time = now(), error_message = :message WHERE id = :id`, {
        type: QueryTypes.UPDATE,
        replacements: { id: history!.id, message: error instanceof Error ? error.message : String(error) },
      });
      throw error;
    }
  }

  /** What a backup holds (read before its tag is verified: for planning a restore only). */
  manifest(file: string) {
    return readManifest(file, this.key);
  }

  /** Replaces the database's rows with the backup's; see loadDump for what makes it all-or-nothing. */
  restore(file: string, progress?: Progress) {
    return loadDump(this.deps.databaseUrl, file, this.key, progress);
  }

  /** Backs up for every active policy that is due, then drops that policy's files past its retention. */
  async runDuePolicies(now: Date = new Date()): Promise<BackupRecord[]> {
    const due = await this.deps.owner.query<DuePolicy>(
      `SELECT id, policy_name, retention_days, storage_location FROM backup_policies
        WHERE is_active AND (next_backup_at IS NULL OR next_backup_at <= :now) ORDER BY policy_name`,
      { type: QueryTypes.SELECT, replacements: { now } },
    );
    const made: BackupRecord[] = [];
    for (const policy of due) {
      made.push(await this.backup({ policyId: policy.id, dir: policy.storage_location ?? undefined }));
      await this.deps.owner.query(
        `UPDATE backup_policies SET last_backup_at = :now, next_backup_at = :now::timestamptz + CASE schedule_type ${Object.entries(SCHEDULE_INTERVAL).map(([type, interval]) => `WHEN '${type}' THEN interval '${interval}'`).join(' ')} END WHERE id = :id`,
        { type: QueryTypes.UPDATE, replacements: { id: policy.id, now } },
      );
      await this.dropExpired(policy, now);
    }
    return made;
  }

  private async dropExpired(policy: DuePolicy, now: Date): Promise<void> {
    const expired = await this.deps.owner.query<{ id: string; file_path: string }>(
      `SELECT id, file_path FROM backup_history WHERE policy_id = :policyId AND status = 'completed' AND start_time < :now::timestamptz - make_interval(days => :days)`,
      { type: QueryTypes.SELECT, replacements: { policyId: policy.id, now, days: policy.retention_days } },
    );
    for (const backup of expired) {
      await rm(backup.file_path, { force: true });
      await this.deps.owner.query(`DELETE FROM backup_history WHERE id = :id`, { type: QueryTypes.DELETE, replacements: { id: backup.id } });
      this.deps.logger.info({ policy: policy.policy_name, file: backup.file_path }, 'expired backup removed');
    }
  }

  /** The scheduled backup on the job runner (one node per tick); without a key it does nothing. */
  job(): JobDefinition {
    return { name: 'database-backup', cron: '7 * * * *', run: () => (this.deps.key ? this.runDuePolicies() : Promise.resolve([])) };
  }
}

function sha256Of(file: string): Promise<string> {
  return new Promise((done, fail) => {
    const hash = createHash('sha256');
    createReadStream(file).on('data', (chunk) => hash.update(chunk)).on('error', fail).on('end', () => done(hash.digest('hex')));
  });
}
