import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';
import { TEST_DATABASE_ROLE_PASSWORDS } from './database-roles.js';
import { TEST_ENCRYPTION_KEY } from './platform.js';

export interface NodeProcess {
  url: string;
  port: number;
  /** SIGKILL: the node dies without a goodbye. */
  kill(): Promise<void>;
  /** SIGTERM: graceful shutdown. */
  close(): Promise<void>;
}

const root = fileURLToPath(new URL('../../', import.meta.url));

/** What a server process or command of the tests runs with: test secrets, no demo data. */
export function serverEnvironment(env: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    SEED_DEMO_DATA: 'false',
    LOG_LEVEL: 'warn',
    JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-signing',
    ENCRYPTION_KEYS: `test1:${TEST_ENCRYPTION_KEY}`,
    AUTH_RATE_LIMIT_PER_MINUTE: '10000',
    ...TEST_DATABASE_ROLE_PASSWORDS,
    ...env,
  };
}

/** One of the server's command-line tools (`server/src/.../*.cli.ts`) run to its end, as npm runs it. */
export async function runServerCommand(script: string, args: string[], env: Record<string, string>, stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, env: serverEnvironment(env), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin!.end(stdin);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
  return { code, stdout, stderr };
}

/**
 * A server node in its own process, ready when it prints its URL. Node runs it itself with tsx as
 * a loader (not the tsx CLI, which forks: a SIGKILL would then leave the server running), or runs
 * `nodeArguments` instead (a built `main.js`).
 */
export async function startNodeProcess(env: Record<string, string>, nodeArguments = ['--import', 'tsx', 'server/src/main.ts']): Promise<NodeProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, nodeArguments, {
    cwd: root,
    env: serverEnvironment({ PORT: String(port), ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node did not start:\n${output}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('is running at')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`node exited (${code}) before starting:\n${output}`)));
  });
  const stop = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return { url: `http://127.0.0.1:${port}`, port, kill: () => stop('SIGKILL'), close: () => stop('SIGTERM') };
}
