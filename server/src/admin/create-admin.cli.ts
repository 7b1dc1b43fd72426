import { createInterface } from 'node:readline/promises';
import { describeFailure, loadConfig, StartupError, withDevSecrets } from '../config/index.js';
import { Database } from '../database/index.js';
import { createLogger } from '../logger/index.js';
import { createPlatformAdmin } from './create-admin.js';

/**
 * `npm run create-admin -- --email a@b.gr --first-name Ελένη --last-name Παπαδάκη`: the password
 * comes from ADMIN_PASSWORD or is asked for (never an argument: it would stay in shell history
 * and the process list). Migrates first, so it works on a platform that has never started.
 */
async function run(args: string[]): Promise<void> {
  const option = (name: string) => {
    const index = args.indexOf(`--${name}`);
    return index >= 0 ? args[index + 1] : undefined;
  };
  const email = option('email');
  if (!email) throw new StartupError('usage: npm run create-admin -- --email ADDRESS --first-name NAME --last-name NAME (password from ADMIN_PASSWORD or asked)');
  const password = process.env.ADMIN_PASSWORD ?? (await askPassword());
  const config = loadConfig(await withDevSecrets(process.env, process.env.DATA_DIR ?? '.data'));
  const database = await Database.create(config, createLogger(config.logLevel));
  try {
    await database.migrate();
    const admin = await createPlatformAdmin(database.owner, { email, password, firstName: option('first-name') ?? 'Platform', lastName: option('last-name') ?? 'Admin' });
    console.log(`platform admin ${admin.email} created (${admin.id}); sign in at ${config.publicUrl}/sign-in`);
  } finally {
    await database.close();
  }
}

async function askPassword(): Promise<string> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY });
  try {
    return await prompt.question('password (at least 10 characters): ');
  } finally {
    prompt.close();
  }
}

run(process.argv.slice(2)).catch((error: unknown) => {
  console.error(describeFailure(error));
  process.exit(1);
});
