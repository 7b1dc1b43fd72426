import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { waitFor } from '../support/wait.js';

const root = new URL('../../', import.meta.url).pathname;
const started: ChildProcess[] = [];
let dataDir: string;

afterAll(async () => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** `npm start` as a user runs it: no configuration but a data folder and free ports. */
function npmStart(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn('npm', ['start'], { cwd: root, env: { ...process.env, LOG_LEVEL: 'warn', NODE_ENV: 'development', ...env }, detached: true });
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

function exitOf(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
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
    dataDir = await mkdtemp(join(tmpdir(), 'tf-start-'));
    await chmod(dataDir, 0o755);
    const env = { DATA_DIR: dataDir, PORT: String(await freePort()), EMBEDDED_PG_PORT: String(await freePort()) };
    const port = Number(env.PORT);

    const first = npmStart(env);
    await waitForReady(port, first);
    expect(first.output()).toContain(`http://localhost:${port}`);
    expect(first.output()).toMatch(/Demo logins/);
    const login = await fetch(`http://127.0.0.1:${port}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'eleni.therapist@demo.therapyfield.gr', password: 'therapy-field-demo' }),
    });
    expect(login.status).toBe(200);
    // The demo therapist already has a client in care: a completed session and the next one booked.
    const { accessToken } = (await login.json()) as { accessToken: string };
    const schedule = await fetch(`http://127.0.0.1:${port}/appointments`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(((await schedule.json()) as Array<{ status: string }>).map((appointment) => appointment.status).sort()).toEqual(['completed', 'confirmed']);

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
});
