import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryTypes } from 'sequelize';
import { createLogger, EmbeddedPostgresServer, loadConfig, Platform } from '@therapy-field/server';
import { API_BASE_PATH } from '@therapy-field/sync';
import { freePort } from '../../test/support/free-port.js';
import { benchRolePasswords } from '../role-passwords.js';
import type { BookingResults, BookingWork } from './clients.js';

const RACE_ROUNDS = 50;
const RACERS = 100;
const SUSTAINED_BOOKINGS = 600;
const SUSTAINED_CONCURRENCY = 16;

/**
 * Booking under load on a fresh embedded PostgreSQL: 50 rounds of a 100-way race for one slot
 * (latency of every request, winners and 5xx counted per round) and a sustained stream of bookings
 * of distinct slots, both made by clients in a separate process (clients.ts).
 */
export default async function run() {
  const logger = createLogger('silent');
  const root = await mkdtemp(join(tmpdir(), 'tf-bench-booking-'));
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
    const url = await platform.listen();
    const query = <T extends object>(sql: string, replacements: Record<string, unknown> = {}) =>
      platform!.database.owner.query<T>(sql, { type: QueryTypes.SELECT, replacements });

    const account = async (role: 'client' | 'therapist') => {
      const email = `${role}.${randomBytes(6).toString('hex')}@bench.gr`;
      const [user] = await query<{ id: string }>(
        `INSERT INTO users (email, email_normalized, password_hash, role, status, email_verified) VALUES (:email, :email, 'x', :role, 'active', TRUE) RETURNING id`,
        { email, role },
      );
      await query(`INSERT INTO user_profiles (user_id, first_name, last_name) VALUES (:id, 'Bench', 'User') RETURNING user_id`, { id: user!.id });
      if (role === 'client') await query(`INSERT INTO client_profiles (user_id) VALUES (:id) RETURNING user_id`, { id: user!.id });
      return { id: user!.id, token: await platform!.auth.tokens.signAccessToken({ id: user!.id, role }) };
    };

    const therapist = await account('therapist');
    await query(
      `INSERT INTO therapist_profiles (user_id, license_number, is_verified, min_notice_minutes, buffer_minutes, booking_horizon_days)
       VALUES (:id, :license, TRUE, 0, 0, 730) RETURNING user_id`,
      { id: therapist.id, license: `BENCH-${randomBytes(4).toString('hex')}` },
    );
    for (let day = 0; day < 7; day += 1) {
      await query(`INSERT INTO availability_templates (therapist_id, day_of_week, start_time, end_time) VALUES (:id, :day, '00:00', '23:59') RETURNING id`, { id: therapist.id, day });
    }
    const [type] = await query<{ id: string }>(`INSERT INTO appointment_types (name, duration_minutes) VALUES ('Bench', 50) RETURNING id`);
    const clients: Array<{ id: string; token: string }> = [];
    for (let index = 0; index < RACERS; index += 1) clients.push(await account('client'));

    const slots: string[] = [];
    for (let week = 0; slots.length < RACE_ROUNDS + SUSTAINED_BOOKINGS; week += 1) {
      const from = new Date(Date.now() + (1 + week * 7) * 86_400_000).toISOString();
      const to = new Date(Date.now() + (1 + (week + 1) * 7) * 86_400_000).toISOString();
      const response = await fetch(`${url}${API_BASE_PATH}/therapists/${therapist.id}/slots?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&type=${type!.id}`);
      slots.push(...((await response.json()) as { slots: Array<{ start: string }> }).slots.map((slot) => slot.start));
    }

    const clientProcess = fork(new URL('./clients.ts', import.meta.url).pathname, [], { execArgv: ['--import', 'tsx'] });
    const work: BookingWork = {
      url: `${url}${API_BASE_PATH}`,
      therapistId: therapist.id,
      appointmentTypeId: type!.id,
      tokens: clients.map((client) => client.token),
      raceSlots: slots.slice(0, RACE_ROUNDS),
      sustainedSlots: slots.slice(RACE_ROUNDS, RACE_ROUNDS + SUSTAINED_BOOKINGS),
      sustainedConcurrency: SUSTAINED_CONCURRENCY,
    };
    const finished = new Promise<BookingResults>((resolve, reject) => {
      clientProcess.once('message', (results) => resolve(results as BookingResults));
      clientProcess.once('exit', (code) => reject(new Error(`the booking clients exited (${code}) before answering`)));
    });
    clientProcess.send(work);
    const { rounds, sustained } = await finished;

    const raceLatencies = rounds.flatMap((round) => round.latenciesMs);
    const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
    return {
      clients: 'a separate process',
      raceRounds: RACE_ROUNDS,
      racersPerRound: RACERS,
      raceWinnersPerRound: rounds.map((round) => round.winners),
      raceRoundsWithoutOneWinner: rounds.filter((round) => round.winners !== 1).length,
      race5xx: sum(rounds.map((round) => round.serverErrors)),
      raceRequestErrors: sum(rounds.map((round) => round.requestErrors)),
      raceP50Ms: round(percentile(raceLatencies, 50)),
      raceP99Ms: round(percentile(raceLatencies, 99)),
      raceWallMsAvg: round(sum(rounds.map((result) => result.wallMs)) / rounds.length),
      bookingsPerSecond: round(sustained.booked / sustained.seconds),
      sustainedBookings: sustained.booked,
      sustainedAttempts: work.sustainedSlots.length,
      sustainedConcurrency: SUSTAINED_CONCURRENCY,
      sustained5xx: sustained.serverErrors,
      sustainedRequestErrors: sustained.requestErrors,
      sustainedP50Ms: round(percentile(sustained.latenciesMs, 50)),
      sustainedP99Ms: round(percentile(sustained.latenciesMs, 99)),
    };
  } finally {
    await platform?.close();
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
