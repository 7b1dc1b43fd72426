import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

interface DevSecrets {
  JWT_SECRET: string;
  ENCRYPTION_KEYS: string;
  DATABASE_APP_PASSWORD: string;
  DATABASE_SYSTEM_PASSWORD: string;
  BACKUP_ENCRYPTION_KEY: string;
}

/**
 * Outside production, `npm start` must work with no configuration: secrets the environment does not
 * give are generated once and kept in the data folder, so tokens and encrypted rows survive a restart.
 */
export async function withDevSecrets(env: NodeJS.ProcessEnv, dataDir: string): Promise<NodeJS.ProcessEnv> {
  const names = ['JWT_SECRET', 'ENCRYPTION_KEYS', 'DATABASE_APP_PASSWORD', 'DATABASE_SYSTEM_PASSWORD'] as const;
  if (env.NODE_ENV === 'production' || names.every((name) => env[name])) return env;
  const file = join(dataDir, 'dev-secrets.json');
  const fresh = (): DevSecrets => ({
    JWT_SECRET: randomBytes(48).toString('base64url'),
    ENCRYPTION_KEYS: `dev1:${randomBytes(32).toString('base64')}`,
    DATABASE_APP_PASSWORD: randomBytes(24).toString('base64url'),
    DATABASE_SYSTEM_PASSWORD: randomBytes(24).toString('base64url'),
    BACKUP_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  });
  const kept = await readFile(file, 'utf8').then(
    (text) => JSON.parse(text) as Partial<DevSecrets>,
    () => undefined,
  );
  // A file from before a secret existed keeps what it has and gains the missing ones.
  const secrets: DevSecrets = { ...fresh(), ...kept };
  // The backup key is kept too (a backup is useless without it) but never makes a file by itself.
  if (!kept || [...names, 'BACKUP_ENCRYPTION_KEY' as const].some((name) => !kept[name])) {
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return { ...secrets, ...env };
}
