import { randomBytes } from 'node:crypto';
import { createLogger, loadConfig, Platform, type Config, type PlatformOptions } from '@therapy-field/server';
import { createTestDatabase, type TestDatabase } from './database.js';
import { RecordingTransport } from './delivery.js';
import { TEST_DATABASE_ROLE_PASSWORDS } from './database-roles.js';

export const TEST_ENCRYPTION_KEY = randomBytes(32).toString('base64');

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-signing',
    ENCRYPTION_KEYS: `test1:${TEST_ENCRYPTION_KEY}`,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    AUTH_RATE_LIMIT_PER_MINUTE: '10000',
    ...TEST_DATABASE_ROLE_PASSWORDS,
    ...env,
  });
}

export interface TestPlatform {
  platform: Platform;
  url: string;
  database: TestDatabase;
  close(): Promise<void>;
}

/** A running node on its own copy of the migrated database, listening on a free port. */
export async function startTestPlatform(env: Record<string, string> = {}, database?: TestDatabase, options: PlatformOptions = {}): Promise<TestPlatform> {
  const db = database ?? (await createTestDatabase());
  const config = testConfig({ DATABASE_URL: db.url, ...env });
  // Sent emails lose their body in the queue: tests read the links from what was sent.
  const platform = await Platform.create(config, createLogger(config.logLevel), { emailTransport: new RecordingTransport(), ...options });
  const url = await platform.listen();
  return {
    platform,
    url,
    database: db,
    close: async () => {
      await platform.close();
      if (!database) await db.drop();
    },
  };
}
