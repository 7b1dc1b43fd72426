import { describeFailure, loadConfig, StartupError, withDevSecrets } from '../config/index.js';
import { Database } from '../database/index.js';
import { createLogger } from '../logger/index.js';
import { Backups } from './backups.js';
import type { Progress } from './dump.js';
import { prepareRestoreTarget } from './prepare-restore.js';

/** Progress on a terminal only: logs and callers reading stderr get the result or the one-line failure. */
const progress: Progress | undefined = process.stderr.isTTY ? ({ tables, of, rows }) => process.stderr.write(`\r${tables}/${of} tables, ${rows} rows`) : undefined;

/**
 * `npm run backup [-- --dir FOLDER]`: an encrypted backup of the configured database (embedded or
 * DATABASE_URL) into BACKUP_DIR. `npm run restore -- FILE [--replace]`: the backup's rows into the
 * configured database, migrated to the backup's version first and to the code's after.
 */
async function run([command, ...args]: string[]): Promise<void> {
  const config = loadConfig(await withDevSecrets(process.env, process.env.DATA_DIR ?? '.data'));
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const database = await Database.create(config, logger);
  const backups = new Backups({ owner: database.owner, databaseUrl: database.url, key: config.backups.key, dir: config.backups.dir, logger });
  try {
    if (command === 'backup') {
      const dirIndex = args.indexOf('--dir');
      const made = await backups.backup({ dir: dirIndex >= 0 ? args[dirIndex + 1] : undefined, progress });
      console.log(`\nbackup ${made.file}: ${made.rows} rows, ${made.sizeBytes} bytes, sha256 ${made.checksum}`);
    } else if (command === 'restore' && args[0] && !args[0].startsWith('--')) {
      const manifest = await backups.manifest(args[0]).catch((error: unknown) => {
        throw error instanceof StartupError ? error : new StartupError(`restore: cannot read ${args[0]} (${error instanceof Error ? error.message : error})`);
      });
      await prepareRestoreTarget(database, manifest, { replace: args.includes('--replace') }, logger);
      const tables = await backups.restore(args[0], progress);
      await database.migrate();
      console.log(`\nrestored ${Object.keys(tables).length} tables from the backup of ${manifest.createdAt}`);
    } else {
      throw new StartupError('usage: npm run backup [-- --dir FOLDER] | npm run restore -- FILE [--replace]');
    }
  } finally {
    await database.close();
  }
}

run(process.argv.slice(2)).catch((error: unknown) => {
  console.error(describeFailure(error));
  process.exit(1);
});
