import { QueryTypes } from 'sequelize';
import { StartupError } from '../config/index.js';
import { createMigrator, type Database } from '../database/index.js';
import type { Logger } from '../logger/index.js';
import type { BackupManifest } from './dump.js';

/**
 * Brings the target to the backup's schema before its rows go in: migrated up to the backup's
 * last migration (a fresh database too); refused when the target is ahead of the backup or holds
 * accounts and the operator did not say `--replace`.
 */
export async function prepareRestoreTarget(database: Database, manifest: BackupManifest, options: { replace: boolean }, logger: Logger): Promise<void> {
  const migrator = createMigrator(database.owner, logger);
  const applied = (await migrator.executed()).map((migration) => migration.name);
  const ahead = applied.filter((name) => !manifest.migrations.includes(name));
  if (ahead.length > 0) throw new StartupError(`restore: the database has migrations the backup lacks (${ahead.join(', ')}): restore into a fresh database`);
  if (applied.length > 0 && !options.replace) {
    const [accounts] = await database.owner.query<{ count: number }>('SELECT count(*)::int AS count FROM users', { type: QueryTypes.SELECT });
    if (accounts!.count > 0) throw new StartupError(`restore: the database holds ${accounts!.count} accounts; every row would be replaced: add --replace to mean it`);
  }
  const last = manifest.migrations.at(-1);
  if (last && !applied.includes(last)) await migrator.up({ to: last });
}
