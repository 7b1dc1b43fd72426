import { describeFailure, loadConfig, withDevSecrets } from '../config/index.js';
import { createLogger } from '../logger/index.js';
import { Database } from './database.js';
import { createMigrator } from './migrator.js';

/** `npm run migrate` (all pending) and `npm run migrate:down` (the last one, or `-- --to NAME|0`). */
async function run(direction: string | undefined, args: string[]): Promise<void> {
  const config = loadConfig(await withDevSecrets(process.env, process.env.DATA_DIR ?? '.data'));
  const logger = createLogger(config.logLevel);
  const database = await Database.create(config, logger);
  try {
    if (direction === 'up') {
      const applied = await database.migrate();
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'nothing to apply');
    } else if (direction === 'down') {
      const toIndex = args.indexOf('--to');
      const to = toIndex >= 0 ? args[toIndex + 1] : undefined;
      const migrator = createMigrator(database.owner, logger);
      const reverted = await (to === undefined ? migrator.down() : migrator.down({ to: to === '0' ? 0 : to }));
      console.log(reverted.length ? `reverted: ${reverted.map((m) => m.name).join(', ')}` : 'nothing to revert');
    } else {
      throw new Error('usage: cli.ts up | down [--to NAME|0]');
    }
  } finally {
    await database.close();
  }
}

run(process.argv[2], process.argv.slice(3)).catch((error: unknown) => {
  console.error(describeFailure(error));
  process.exit(1);
});
