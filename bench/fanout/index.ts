import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server } from 'socket.io';
import { businessRoom, createLogger, EmbeddedPostgresServer, loadConfig, Platform } from '@therapy-field/server';
import { benchRolePasswords } from '../role-passwords.js';

const SOCKETS = 5_000;

interface Run {
  targeted: Stats;
  broadcast: Stats;
  memoryPerConnection: { rssBytes: number; heapBytes: number };
}
interface Stats {
  p50Ms: number;
  p99Ms: number;
  messagesPerSecond: number;
}

const now = () => performance.timeOrigin + performance.now();

function stats(sentAt: number, arrivals: number[]): Stats {
  const latencies = arrivals.map((at) => at - sentAt).sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]! * 10) / 10;
  return { p50Ms: at(0.5), p99Ms: at(0.99), messagesPerSecond: Math.round(latencies.length / ((latencies.at(-1)! || 1) / 1000)) };
}

function clientProcess(): { child: ChildProcess; ask: (command: object, reply: string) => Promise<any> } {
  const child = fork(new URL('./clients.ts', import.meta.url).pathname, [], { execArgv: ['--import', 'tsx'] });
  const ask = (command: object, reply: string) =>
    new Promise<any>((resolve) => {
      const listener = (message: { type: string }) => {
        if (message.type !== reply) return;
        child.off('message', listener);
        resolve(message);
      };
      child.on('message', listener);
      child.send(command);
    });
  return { child, ask };
}

/** Connects the clients, then times one targeted message per socket and one room broadcast. */
async function measure(url: string, auths: Array<Record<string, unknown>>, send: { targeted: () => Promise<void>; broadcast: () => Promise<void> }, events: { targeted: string; broadcast: string }): Promise<Run> {
  const { child, ask } = clientProcess();
  global.gc?.();
  const before = process.memoryUsage();
  await ask({ type: 'connect', url, auths }, 'connected');
  global.gc?.();
  const after = process.memoryUsage();
  const result: Partial<Run> = {
    memoryPerConnection: { rssBytes: Math.round((after.rss - before.rss) / SOCKETS), heapBytes: Math.round((after.heapUsed - before.heapUsed) / SOCKETS) },
  };
  for (const kind of ['targeted', 'broadcast'] as const) {
    await ask({ type: 'measure', event: events[kind], expected: SOCKETS }, 'armed');
    const arrived = new Promise<any>((resolve) => child.on('message', (message: { type: string }) => message.type === 'arrivals' && resolve(message)));
    const sentAt = now();
    await send[kind]();
    result[kind] = stats(sentAt, (await arrived).arrivals);
  }
  child.send({ type: 'exit' });
  return result as Run;
}

async function bare(): Promise<Run> {
  const http = createServer();
  const io = new Server(http, { transports: ['websocket'] });
  io.on('connection', (socket) => void socket.join('everyone'));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
  const payload = { seq: 1, collection: 'notifications', recordId: randomUUID(), operation: 'upsert', data: { message: 'x'.repeat(120) } };
  const run = await measure(url, Array.from({ length: SOCKETS }, () => ({})), {
    targeted: async () => {
      for (const id of io.of('/').sockets.keys()) io.to(id).emit('change', payload);
    },
    broadcast: async () => void io.to('everyone').emit('appointment', payload),
  }, { targeted: 'change', broadcast: 'appointment' });
  await new Promise<void>((resolve) => io.close(() => resolve()));
  return run;
}

async function platform(): Promise<Run> {
  const logger = createLogger('silent');
  const root = await mkdtemp(join(tmpdir(), 'tf-bench-pg-'));
  await chmod(root, 0o755);
  const postgres = await EmbeddedPostgresServer.create({ dataDir: join(root, 'data'), port: 54000 + Math.floor(Math.random() * 1000), logger });
  await postgres.createDatabaseIfMissing('bench');
  const node = await Platform.create(
    loadConfig({
      NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', DATABASE_URL: postgres.url('bench'),
      JWT_SECRET: randomBytes(32).toString('hex'), ENCRYPTION_KEYS: `b1:${randomBytes(32).toString('base64')}`, ...benchRolePasswords(),
    }),
    logger,
  );
  try {
    const url = await node.listen();
    const sequelize = node.database.owner;
    const ids = Array.from({ length: SOCKETS }, () => randomUUID());
    await sequelize.query(
      `INSERT INTO users (id, email, email_normalized, password_hash, role, status)
       SELECT id, id || '@bench.gr', id || '@bench.gr', 'x', 'client', 'active' FROM unnest(ARRAY[:ids]::uuid[]) AS id`,
      { replacements: { ids } },
    );
    const auths = await Promise.all(ids.map(async (id) => ({ token: await node.auth.tokens.signAccessToken({ id, role: 'client' }) })));
    const room = businessRoom(randomUUID());
    return await measure(url, auths, {
      // Through the whole path: SQL insert → trigger → change log → sequencer → loader → user rooms.
      targeted: async () => {
        await sequelize.query(`INSERT INTO notifications (user_id, type, message) SELECT id, 'bench', 'Νέο μήνυμα' FROM unnest(ARRAY[:ids]::uuid[]) AS id`, { replacements: { ids } });
      },
      broadcast: async () => {
        node.realtime.io.socketsJoin(room);
        node.realtime.io.to(room).emit('server.shutdown', { reconnectAfterMs: 0 });
      },
    }, { targeted: 'change', broadcast: 'server.shutdown' });
  } finally {
    await node.close();
    await postgres.close();
    await rm(root, { recursive: true, force: true });
  }
}

/** `npm run bench fanout`: 5,000 sockets, targeted and broadcast delivery, hub vs bare socket.io. */
export default async function fanout() {
  const bareRun = await bare();
  const hubRun = await platform();
  const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
  return {
    sockets: SOCKETS,
    bareSocketIo: bareRun,
    hub: hubRun,
    overhead: {
      targetedP50: ratio(hubRun.targeted.p50Ms, bareRun.targeted.p50Ms),
      targetedP99: ratio(hubRun.targeted.p99Ms, bareRun.targeted.p99Ms),
      broadcastP50: ratio(hubRun.broadcast.p50Ms, bareRun.broadcast.p50Ms),
      memoryPerConnection: ratio(hubRun.memoryPerConnection.heapBytes, bareRun.memoryPerConnection.heapBytes),
    },
    notes: 'hub targeted latency includes the SQL insert, trigger, sequencing and loading each record from PostgreSQL; bare emits from memory',
  };
}
