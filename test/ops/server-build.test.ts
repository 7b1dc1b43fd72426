import { spawn } from 'node:child_process';
import { builtinModules } from 'node:module';
import { readFile } from 'node:fs/promises';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, outdir } from '../../server/scripts/build-server.mjs';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { serverEnvironment, startNodeProcess, type NodeProcess } from '../support/node-process.js';

let metafile: Metafile;
let database: TestDatabase;
let node: NodeProcess | undefined;

// NODE_OPTIONS empty: nothing may bring tsx in behind the built JavaScript's back.
const plainNode = { NODE_OPTIONS: '' };

beforeAll(async () => {
  metafile = await buildServer();
  database = await createTestDatabase({ empty: true });
});
afterAll(async () => {
  await node?.close();
  await database?.drop();
});

const packageName = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

async function productionDependencies(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const workspace of ['server', 'sync', 'media']) {
    const manifest = JSON.parse(await readFile(new URL(`../../${workspace}/package.json`, import.meta.url), 'utf8')) as Record<string, Record<string, string> | undefined>;
    for (const name of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) names.add(name);
  }
  return names;
}

function runBuilt(script: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [`${outdir}${script}`, ...args], { env: serverEnvironment({ ...plainNode, ...env }), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

describe('the server built to JavaScript (npm run build:server)', () => {
  it('imports at run time only Node built-ins and the production dependencies npm ci --omit=dev installs', async () => {
    const declared = await productionDependencies();
    const builtins = new Set(builtinModules);
    const external = new Set(
      Object.values(metafile.outputs)
        .flatMap((output) => output.imports)
        .filter((entry) => entry.external && !entry.path.startsWith('node:') && !builtins.has(entry.path))
        .map((entry) => packageName(entry.path)),
    );
    expect(external.size).toBeGreaterThan(10);
    expect([...external].filter((name) => !declared.has(name))).toEqual([]);
    // The workspaces are TypeScript: they are inside the bundle, never imported.
    expect([...external].filter((name) => name.startsWith('@therapy-field/') || name === 'tsx')).toEqual([]);
  });

  it('migrates an empty database with the built migrate.js (the one-shot service), then main.js serves /health and /ready', async () => {
    const migrated = await runBuilt('migrate.js', ['up'], { DATABASE_URL: database.url });
    expect(migrated.output).toContain('applied: 0001_extensions_and_types');
    expect(migrated.code).toBe(0);

    node = await startNodeProcess({ DATABASE_URL: database.url, ...plainNode }, ['--enable-source-maps', `${outdir}main.js`]);
    const health = await fetch(`${node.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    expect((await fetch(`${node.url}/ready`)).status).toBe(200);
    // A second migrate run (a restarted one-shot service) has nothing to do.
    expect(await runBuilt('migrate.js', ['up'], { DATABASE_URL: database.url })).toMatchObject({ code: 0, output: expect.stringContaining('nothing to apply') });
  });
});
