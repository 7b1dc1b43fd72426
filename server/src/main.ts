import { API_BASE_PATH } from '@therapy-field/sync';
import { loadConfig, StartupError, withDevSecrets } from './config/index.js';
import { createLogger } from './logger/index.js';
import { Platform } from './platform.js';
import { DEMO_PASSWORD, demoLogins, seedDemoData } from './seed/index.js';

/** `npm start`: one node, on the embedded PostgreSQL unless DATABASE_URL is set. */
async function main(): Promise<void> {
  const config = loadConfig(await withDevSecrets(process.env, process.env.DATA_DIR ?? '.data'));
  const logger = createLogger(config.logLevel);
  const platform = await Platform.create(config, logger);
  if (config.seedDemoData) await seedDemoData({ sequelize: platform.database.owner, cipher: platform.cipher, sync: platform.sync.service }, logger);
  const url = await platform.listen();

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await platform.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);

  console.log(`\nTherapy Field is running at ${url}  (API docs: ${url}${API_BASE_PATH}/docs)`);
  if (config.seedDemoData) {
    console.log(`Demo logins (password for all: ${DEMO_PASSWORD}):`);
    for (const login of demoLogins) console.log(`  ${login.role.padEnd(15)} ${login.email}`);
  }
}

main().catch((error: unknown) => {
  if (error instanceof StartupError) {
    console.error(error.message);
  } else {
    console.error('Therapy Field failed to start:', error);
  }
  process.exit(1);
});
