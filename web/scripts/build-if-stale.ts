import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Builds the web app when `web/dist` is missing or older than what it is built from (its sources,
 * the SDK and the wire contract it bundles, the lockfile). `npm start` runs it first, and the
 * browser tests call it, so nobody builds by hand and a stale build is never served.
 */
const repo = fileURLToPath(new URL('../../', import.meta.url));
const web = join(repo, 'web');
const stamp = join(web, 'dist', '.build-stamp');
const lock = join(web, '.build-lock');
const inputs = ['web/src', 'web/public', 'web/index.html', 'web/vite.config.ts', 'web/package.json', 'client-sdk/src', 'sync/src', 'package-lock.json'];

function newestMtime(path: string): number {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (!stats) return 0;
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestMtime(join(path, entry))), stats.mtimeMs);
}

export function webAppIsStale(): boolean {
  const built = statSync(stamp, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  return inputs.some((input) => newestMtime(join(repo, input)) > built);
}

/** Takes a folder lock (atomic mkdir) so concurrent callers (test workers) build once. */
async function withBuildLock(work: () => void): Promise<void> {
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 5 * 60_000) rmSync(lock, { recursive: true, force: true }); // left by a killed build
      if (Date.now() > deadline) throw new Error(`the web app build lock ${lock} is still held`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export async function ensureWebAppBuilt(): Promise<void> {
  if (!webAppIsStale()) return;
  await withBuildLock(() => {
    if (!webAppIsStale()) return; // another caller built it while we waited
    const started = Date.now();
    const result = spawnSync(process.execPath, [join(repo, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
      cwd: web,
      stdio: 'inherit',
      // A caller's NODE_ENV (vitest sets 'test') would give React's development build, ~25% larger.
      env: { ...process.env, NODE_ENV: 'production' },
    });
    if (result.status !== 0) throw new Error(`the web app build failed (exit ${result.status})`);
    writeFileSync(stamp, new Date().toISOString());
    console.log(`web app built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  ensureWebAppBuilt().catch((error: unknown) => {
    console.error((error as Error).message);
    process.exit(1);
  });
}
