import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryTypes } from 'sequelize';
import { createLogger, EmbeddedPostgresServer, loadConfig, Platform } from '@therapy-field/server';
import { freePort } from '../../test/support/free-port.js';
import { benchRolePasswords } from '../role-passwords.js';

const ISSUERS = 4;
const DOCUMENTS_PER_ISSUER = 150;
const CONCURRENCY = 16;
const BASELINE_DOCUMENTS = 100;

/**
 * Receipts issued per second on a fresh embedded PostgreSQL: the baseline is one issuer issuing
 * one document at a time; then 16 lanes issue for 4 issuers at once, and 16 lanes for one issuer
 * (every issue waits on that issuer's number counter). Each run checks the numbers are gapless.
 */
export default async function run() {
  const logger = createLogger('silent');
  const root = await mkdtemp(join(tmpdir(), 'tf-bench-billing-'));
  await chmod(root, 0o755);
  const server = await EmbeddedPostgresServer.create({ dataDir: join(root, 'data'), port: await freePort(), logger });
  let platform: Platform | undefined;
  try {
    await server.createDatabaseIfMissing('bench');
    const config = loadConfig({
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_URL: server.url('bench'),
      JWT_SECRET: randomBytes(32).toString('hex'),
      ENCRYPTION_KEYS: `bench:${randomBytes(32).toString('base64')}`,
      LOG_LEVEL: 'silent',
      ...benchRolePasswords(),
    });
    platform = await Platform.create(config, logger);
    // Listening attaches the socket server, which `close()` expects.
    await platform.listen();
    const query = <T extends object>(sql: string, replacements: Record<string, unknown> = {}) =>
      platform!.database.owner.query<T>(sql, { type: QueryTypes.SELECT, replacements });
    const user = async (role: 'client' | 'therapist') => {
      const email = `${role}.${randomBytes(6).toString('hex')}@bench.gr`;
      const [row] = await query<{ id: string }>(
        `INSERT INTO users (email, email_normalized, password_hash, role, status, email_verified) VALUES (:email, :email, 'x', :role, 'active', TRUE) RETURNING id`,
        { email, role },
      );
      await query(`INSERT INTO user_profiles (user_id, first_name, last_name) VALUES (:id, 'Bench', 'User') RETURNING user_id`, { id: row!.id });
      return row!.id;
    };
    const [type] = await query<{ id: string }>(`INSERT INTO appointment_types (name, duration_minutes) VALUES ('Bench', 50) RETURNING id`);
    const client = await user('client');
    const issuer = async () => {
      const id = await user('therapist');
      await query(`INSERT INTO therapist_profiles (user_id, license_number, is_verified) VALUES (:id, :license, TRUE) RETURNING user_id`, { id, license: `B-${randomBytes(4).toString('hex')}` });
      await query(`INSERT INTO therapist_rates (therapist_id, appointment_type_id, rate_amount, effective_from) VALUES (:id, :type, 57.35, '2020-01-01') RETURNING id`, { id, type: type!.id });
      return id;
    };
    // Held sessions, completed: each gets its receipt below.
    const sessions = async (therapistId: string, count: number) =>
      (
        await query<{ id: string }>(
          `INSERT INTO appointments (therapist_id, client_id, appointment_type_id, scheduled_start, scheduled_end, status)
           SELECT :therapistId, :client, :type, now() - make_interval(days => 20, mins => n), now() - make_interval(days => 20, mins => n - 50), 'completed'
             FROM generate_series(1, :count) AS n RETURNING id`,
          { therapistId, client, type: type!.id, count },
        )
      ).map((row) => row.id);
    await query(`VACUUM ANALYZE`).catch(() => undefined);

    const invoices = platform.billing.service.invoices;
    const issueAll = async (ids: string[], lanes: number) => {
      let next = 0;
      let failures = 0;
      const began = performance.now();
      await Promise.all(
        Array.from({ length: lanes }, async () => {
          for (let index = next++; index < ids.length; index = next++) {
            await invoices.issueForAppointment(ids[index]!, 'session').catch(() => (failures += 1));
          }
        }),
      );
      const seconds = (performance.now() - began) / 1000;
      return { documents: ids.length - failures, failures, invoicesPerSecond: round((ids.length - failures) / seconds) };
    };
    const gapless = async (issuers: string[]) => {
      for (const id of issuers) {
        const [row] = await query<{ count: number; max: number; distinct: number }>(
          `SELECT count(*)::int AS count, coalesce(max(sequence_number), 0) AS max, count(DISTINCT sequence_number)::int AS distinct FROM invoices WHERE issuer_key = :id AND series = 'R'`,
          { id },
        );
        if (row!.count !== row!.max || row!.distinct !== row!.count) return false;
      }
      return true;
    };

    const baselineIssuer = await issuer();
    const baseline = await issueAll(await sessions(baselineIssuer, BASELINE_DOCUMENTS), 1);
    const manyIssuers = await Promise.all(Array.from({ length: ISSUERS }, issuer));
    const manyIds: string[] = [];
    for (const id of manyIssuers) manyIds.push(...(await sessions(id, DOCUMENTS_PER_ISSUER)));
    const parallelIssuers = await issueAll(manyIds.sort(() => Math.random() - 0.5), CONCURRENCY);
    const oneIssuer = await issuer();
    const contended = await issueAll(await sessions(oneIssuer, DOCUMENTS_PER_ISSUER), CONCURRENCY);

    return {
      baseline: { ...baseline, lanes: 1, issuers: 1, gapless: await gapless([baselineIssuer]) },
      parallelIssuers: { ...parallelIssuers, lanes: CONCURRENCY, issuers: ISSUERS, gapless: await gapless(manyIssuers) },
      oneIssuerContended: { ...contended, lanes: CONCURRENCY, issuers: 1, gapless: await gapless([oneIssuer]) },
    };
  } finally {
    await platform?.close();
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
