import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSdk } from '../../client-sdk/scripts/build.js';
import { signUp, TEST_PASSWORD } from '../support/accounts.js';
import { apiClient } from '../support/http.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const repo = new URL('../../', import.meta.url).pathname;
/**
 * The core entry point as an app's browser bundle carries it (minified, gzipped) with its run-time
 * dependencies (rxdb's core, rxjs, socket.io-client); the RxDB storage is the app's choice and
 * counted apart (Dexie adds ~38 KB).
 */
const CORE_BUDGET_BYTES = 120 * 1024;

/**
 * The SDK as an app outside this repository gets it: built, packed with `npm pack`, installed from
 * the tarball into a scratch project in the system's temp folder (no workspace, no TypeScript
 * source, no `@therapy-field/sync` on disk), then used from plain Node ESM against a real node,
 * type-checked, and bundled for a browser by esbuild.
 */
let node: TestPlatform;
let scratch: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'tf-sdk-consumer-'));
  const [platform] = await Promise.all([startTestPlatform(), buildSdk()]);
  node = platform;
  const packed = await run('npm', ['pack', join(repo, 'client-sdk/dist'), '--pack-destination', scratch, '--json'], { cwd: scratch });
  const { filename } = (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0]!;
  writeFileSync(
    join(scratch, 'package.json'),
    JSON.stringify({ name: 'sdk-consumer', private: true, type: 'module', dependencies: { '@therapy-field/client-sdk': `file:./${filename}`, rxdb: '17.6.0', rxjs: '^7.8.2' } }),
  );
  // The scratch project is not part of this repository: its npm reads no project .npmrc.
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: scratch, timeout: 240_000 });
}, 600_000);
afterAll(async () => {
  await node?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('the SDK from a packed tarball, outside the repository', { timeout: 120_000 }, () => {
  it('holds built JavaScript, declarations and a manifest with its entry points, and no source or workspace package', () => {
    const installed = join(scratch, 'node_modules/@therapy-field/client-sdk');
    const manifest = require(join(installed, 'package.json'));
    expect(manifest.exports['.']).toEqual({ types: './index.d.ts', default: './index.js' });
    expect(manifest.exports['./video']).toEqual({ types: './video.d.ts', default: './video.js' });
    expect(manifest.peerDependencies).toHaveProperty('rxdb');
    expect(Object.keys(manifest.dependencies ?? {})).not.toContain('@therapy-field/sync');
    expect(readdirSync(installed).filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
    expect(readdirSync(join(scratch, 'node_modules/@therapy-field'))).toEqual(['client-sdk']);
  });

  it('signs in, calls the API and opens its local database from plain Node ESM', async () => {
    const user = await signUp(apiClient(node.url), node.platform.database.owner, 'client');
    writeFileSync(
      join(scratch, 'node-app.mjs'),
      `import { createClient, AppError } from '@therapy-field/client-sdk';
import { createVideoClient } from '@therapy-field/client-sdk/video';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
const [url, email, password] = process.argv.slice(2);
const client = await createClient({ url, storage: getRxStorageMemory(), collections: ['mood_entries'], realtime: false });
await client.auth.login(email, password);
const me = await client.api.me.get();
await client.db.mood_entries.insert({ id: crypto.randomUUID(), recordedAt: new Date().toISOString(), moodScore: 6, emotions: ['calm'], sharedWithTherapist: false });
const local = await client.db.mood_entries.count().exec();
let refused;
try { await client.auth.login(email, 'wrong password'); } catch (error) { refused = error instanceof AppError ? error.code : String(error); }
await client.close();
console.log(JSON.stringify({ id: me.id, local, refused, video: typeof createVideoClient }));
`,
    );
    const { stdout } = await run(process.execPath, ['node-app.mjs', node.url, user.email, TEST_PASSWORD], { cwd: scratch });
    expect(JSON.parse(stdout)).toEqual({ id: user.id, local: 1, refused: 'INVALID_CREDENTIALS', video: 'function' });
  });

  it('type-checks an app against its declarations', async () => {
    writeFileSync(
      join(scratch, 'typed-app.ts'),
      `import { createClient, type TherapyFieldClient, type SyncState } from '@therapy-field/client-sdk';
import { createVideoClient, type VideoCall } from '@therapy-field/client-sdk/video';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
export async function open(): Promise<TherapyFieldClient<'mood_entries'>> {
  const client = await createClient({ url: 'http://localhost:3000', storage: getRxStorageMemory(), collections: ['mood_entries'] as const });
  const state: SyncState = client.sync.state;
  const call: Promise<VideoCall> = createVideoClient({ socket: client.live.socket }).join('id');
  void state; void call;
  const appointments = await client.api.appointments.list({});
  void appointments;
  return client;
}
// @ts-expect-error a wrong collection does not compile
export const wrong = (client: TherapyFieldClient<'mood_entries'>) => client.db.journal_entries;
`,
    );
    writeFileSync(
      join(scratch, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false, lib: ['ESNext', 'DOM'], types: [] }, files: ['typed-app.ts'] }),
    );
    const checked = await run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: scratch }).catch((error) => error);
    expect(`${checked.stdout ?? ''}${checked.stderr ?? ''}`).toBe('');
  });

  it('bundles for a browser: the core entry within its budget without video or zod locales, video on its own entry', async () => {
    mkdirSync(join(scratch, 'web'), { recursive: true });
    writeFileSync(join(scratch, 'web/app.js'), `import { createClient } from '@therapy-field/client-sdk';\nwindow.start = (storage) => createClient({ url: location.origin, storage });\n`);
    writeFileSync(join(scratch, 'web/offline-app.js'), `import { createClient } from '@therapy-field/client-sdk';\nimport { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';\nwindow.start = () => createClient({ url: location.origin, storage: getRxStorageDexie() });\n`);
    writeFileSync(join(scratch, 'web/call.js'), `import { createVideoClient } from '@therapy-field/client-sdk/video';\nwindow.video = createVideoClient;\n`);
    const bundle = (entry: string) =>
      build({ entryPoints: [join(scratch, 'web', entry)], absWorkingDir: scratch, bundle: true, minify: true, platform: 'browser', format: 'esm', write: false, metafile: true, logLevel: 'silent' });
    const [app, offlineApp, call] = await Promise.all([bundle('app.js'), bundle('offline-app.js'), bundle('call.js')]);
    const appInputs = Object.keys(app.metafile.inputs);
    expect(appInputs.filter((input) => input.includes('mediasoup-client'))).toEqual([]);
    expect(appInputs.filter((input) => input.includes('locales') || input.startsWith('node:'))).toEqual([]);
    const gzipped = gzipSync(app.outputFiles[0]!.contents).length;
    const withDexie = gzipSync(offlineApp.outputFiles[0]!.contents).length;
    const withVideo = gzipSync(call.outputFiles[0]!.contents).length;
    console.log(`core entry in an app bundle: ${gzipped} bytes gzipped (budget ${CORE_BUDGET_BYTES}); with the Dexie storage ${withDexie}; the video entry alone ${withVideo}`);
    expect(gzipped).toBeLessThan(CORE_BUDGET_BYTES);
    expect(Object.keys(call.metafile.inputs).some((input) => input.includes('mediasoup-client'))).toBe(true);
  });
});
