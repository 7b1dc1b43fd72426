import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { randomBytes, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { createClient } from '@therapy-field/client-sdk';
import { createLogger, EmbeddedPostgresServer, loadConfig, Platform } from '@therapy-field/server';
import { API_BASE_PATH } from '@therapy-field/sync';
import { freePort } from '../../test/support/free-port.js';
import { benchRolePasswords } from '../role-passwords.js';

const PASSWORD = 'correct horse battery staple';

async function waitUntil(condition: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('bench timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * `npm run bench sync`: a real platform on an embedded PostgreSQL and real SDK devices
 * (in-memory RxDB). Measures the first sync of 10,000 mood entries to a new device and the push
 * of 1,000 entries logged offline.
 */
export default async function benchSync() {
  const logger = createLogger('silent');
  const root = await mkdtemp(join(tmpdir(), 'tf-bench-sync-'));
  await chmod(root, 0o755);
  const postgres = await EmbeddedPostgresServer.create({ dataDir: join(root, 'data'), port: await freePort(), logger });
  await postgres.createDatabaseIfMissing('bench');
  const config = loadConfig({
    NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', DATABASE_URL: postgres.url('bench'),
    JWT_SECRET: randomBytes(32).toString('hex'), ENCRYPTION_KEYS: `bench:${randomBytes(32).toString('base64')}`, AUTH_RATE_LIMIT_PER_MINUTE: '10000', ...benchRolePasswords(),
  });
  const platform = await Platform.create(config, logger);
  const url = await platform.listen();
  const sequelize = platform.database.owner;
  try {
    const signUp = async () => {
      const email = `bench.${randomBytes(4).toString('hex')}@example.gr`;
      const response = await fetch(`${url}${API_BASE_PATH}/auth/register`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'client', email, password: PASSWORD, firstName: 'Bench', lastName: 'User' }),
      });
      if (response.status !== 202) throw new Error(`registration answered ${response.status}`);
      const [row] = (await sequelize.query(`UPDATE users SET email_verified = true, status = 'active' WHERE email = :email RETURNING id`, {
        replacements: { email },
      }))[0] as Array<{ id: string }>;
      const id = row!.id;
      return { id, email };
    };
    const device = async (name: string) =>
      createClient({ url, storage: getRxStorageMemory(), databaseName: `${name}${randomBytes(4).toString('hex')}`, collections: ['mood_entries'], pullBatchSize: 500, retryTimeMs: 200 });

    // 1. First sync of 10,000 mood entries (written server-side, notes sealed as the app seals them) to a new device.
    const reader = await signUp();
    const sealedNotes = Array.from({ length: 10_000 }, (_, index) => platform.cipher.encrypt(`entry ${index + 1}`).toString('base64'));
    await sequelize.query(
      `INSERT INTO mood_entries (id, user_id, recorded_at, mood_score, notes, encryption_key_id)
       SELECT gen_random_uuid(), :userId, now() - make_interval(mins => n::int), 1 + n % 10, decode(note, 'base64'), :keyId
         FROM jsonb_array_elements_text(:notes::jsonb) WITH ORDINALITY AS sealed(note, n)`,
      { replacements: { userId: reader.id, keyId: platform.cipher.currentKeyId, notes: JSON.stringify(sealedNotes) } },
    );
    const fresh = await device('fresh');
    await fresh.auth.login(reader.email, PASSWORD);
    let started = performance.now();
    fresh.sync.start();
    await waitUntil(async () => (await fresh.db.mood_entries.count().exec()) === 10_000, 300_000);
    const pullMs = performance.now() - started;
    await fresh.close();

    // 2. Push of 1,000 entries logged offline.
    const writer = await signUp();
    const offline = await device('offline');
    await offline.auth.login(writer.email, PASSWORD);
    await offline.db.mood_entries.bulkInsert(
      Array.from({ length: 1000 }, (_, index) => ({ id: randomUUID(), recordedAt: new Date(Date.now() - index * 60_000).toISOString(), moodScore: 1 + (index % 10), sharedWithTherapist: false })),
    );
    started = performance.now();
    offline.sync.start();
    await waitUntil(() => offline.sync.state.pendingPushes === 0, 300_000);
    const pushMs = performance.now() - started;
    const [row] = await sequelize.query<{ n: string }>('SELECT count(*) AS n FROM mood_entries WHERE user_id = :id', { type: 'SELECT' as never, replacements: { id: writer.id } });
    await offline.close();

    return {
      firstSyncToNewDevice: { rows: 10_000, wallMs: Math.round(pullMs), rowsPerSecond: Math.round(10_000 / (pullMs / 1000)), pullBatchSize: 500 },
      pushOfflineEntries: { rows: 1000, stored: Number(row!.n), wallMs: Math.round(pushMs), rowsPerSecond: Math.round(1000 / (pushMs / 1000)), pushBatchSize: 100 },
    };
  } finally {
    await platform.close();
    await postgres.close();
    await rm(root, { recursive: true, force: true });
  }
}
