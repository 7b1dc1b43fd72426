import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

interface DevSecrets {
  JWT_SECRET: string;
  ENCRYPTION_KEYS: string;
}

/**
 * Outside production, `npm start` must work with no configuration: secrets the environment does not
 * give are generated once and kept in the data folder, so tokens and encrypted rows survive a restart.
 */
export async function withDevSecrets(env: NodeJS.ProcessEnv, dataDir: string): Promise<NodeJS.ProcessEnv> {
  if (env.NODE_ENV === 'production' || (env.JWT_SECRET && env.ENCRYPTION_KEYS)) return env;
  const file = join(dataDir, 'dev-secrets.json');
  const secrets = await readFile(file, 'utf8').then(
    (text) => JSON.parse(text) as DevSecrets,
    async () => {
      const fresh: DevSecrets = {
        JWT_SECRET: randomBytes(48).toString('base64url'),
        ENCRYPTION_KEYS: `dev1:${randomBytes(32).toString('base64')}`,
      };
      await mkdir(dataDir, { recursive: true });
      await writeFile(file, JSON.stringify(fresh, null, 2), { mode: 0o600 });
      return fresh;
    },
  );
  return { ...secrets, ...env };
}
