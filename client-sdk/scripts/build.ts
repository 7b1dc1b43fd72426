import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';
import { rollup } from 'rollup';
import { dts } from 'rollup-plugin-dts';

/**
 * Builds the SDK as a package an app installs from a tarball: `dist/` holds the JavaScript (ES
 * modules), one bundled declaration file per entry point and its own package.json, and
 * `npm pack client-sdk/dist` packs it.
 *
 * Inside this repository the workspace package (`client-sdk/package.json`) keeps pointing at the
 * TypeScript source, so tests, the web app, tsx and tsc use the source with no build step and no
 * custom resolve condition in any tool; the published package.json is written here instead, so a
 * consumer never resolves a source path the tarball does not hold.
 *
 * - `@therapy-field/sync` (a private workspace) is bundled in, code and declarations.
 * - zod is bundled in too (code and the types the REST API's signatures use), tree-shaken by
 *   rolldown: `import { z } from 'zod'` otherwise makes some bundlers (esbuild) keep every zod
 *   locale (~300 KB).
 * - rxdb and rxjs are peers (the app's own RxDB storage plugins and observables must be the same
 *   copies the SDK uses); socket.io-client and mediasoup-client are dependencies, and only the
 *   `./video` entry imports mediasoup-client.
 */
const require = createRequire(import.meta.url);
const sdk = fileURLToPath(new URL('../', import.meta.url));
const dist = join(sdk, 'dist');
const entries = { index: 'src/index.ts', video: 'src/video/index.ts' };
const source = JSON.parse(readFileSync(join(sdk, 'package.json'), 'utf8')) as { name: string; version: string; dependencies: Record<string, string> };

const peers = ['rxdb', 'rxjs'];
const dependencies = ['socket.io-client', 'mediasoup-client'];
const bundledIn = (id: string) => id === '@therapy-field/sync' || id === 'zod' || id.startsWith('zod/');
const external = (id: string) => !bundledIn(id) && [...peers, ...dependencies].some((name) => id === name || id.startsWith(`${name}/`));

export async function buildSdk(): Promise<void> {
  rmSync(dist, { recursive: true, force: true });
  await build({
    cwd: sdk,
    input: Object.fromEntries(Object.entries(entries).map(([name, path]) => [name, join(sdk, path)])),
    platform: 'neutral',
    external,
    // sync's schemas are built at module level (\`z.object(...)\`); the SDK uses a few of them at run
    // time (the rest only for types), so calls into zod count as pure and unused schemas go.
    treeshake: { manualPureFunctions: ['z'] },
    output: { dir: dist, format: 'esm', entryFileNames: '[name].js', chunkFileNames: 'shared-[hash].js', minify: false },
    logLevel: 'warn',
  });
  // Declarations: tsc writes one per source file, rollup-plugin-dts bundles them per entry point.
  const emitted = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(sdk, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (emitted.status !== 0) throw new Error(`tsc failed (exit ${emitted.status})`);
  const declarations = join(dist, '.types');
  const types = await rollup({
    input: Object.fromEntries(Object.entries(entries).map(([name, path]) => [name, join(declarations, 'client-sdk', path.replace(/\.ts$/, '.d.ts'))])),
    // Declarations of the bundled workspace are inlined; those of real dependencies stay imports.
    external: (id) => !bundledIn(id) && !id.startsWith('.') && !id.startsWith('/'),
    plugins: [
      { name: 'sync-declarations', resolveId: (id) => (id === '@therapy-field/sync' ? join(declarations, 'sync/src/index.d.ts') : null) },
      dts({ respectExternal: true }),
    ],
  });
  await types.write({ dir: dist, format: 'es', entryFileNames: '[name].d.ts', chunkFileNames: 'shared-[hash].d.ts' });
  await types.close();
  rmSync(declarations, { recursive: true, force: true });
  writeFileSync(join(dist, 'package.json'), `${JSON.stringify(publishedManifest(), null, 2)}\n`);
  copyFileSync(join(sdk, 'README.md'), join(dist, 'README.md'));
}

function publishedManifest() {
  const pick = (names: string[]) => Object.fromEntries(names.map((name) => [name, source.dependencies[name]!]));
  return {
    name: source.name,
    version: source.version,
    description: 'The Therapy Field client: auth, typed REST calls, live events, rooms and presence, an offline-first RxDB database; video calls at ./video',
    type: 'module',
    sideEffects: false,
    exports: {
      '.': { types: './index.d.ts', default: './index.js' },
      './video': { types: './video.d.ts', default: './video.js' },
      './package.json': './package.json',
    },
    types: './index.d.ts',
    files: ['*.js', '*.d.ts', 'README.md'],
    dependencies: pick(dependencies),
    peerDependencies: pick(peers),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  mkdirSync(dist, { recursive: true });
  await buildSdk();
  console.log(`built ${dist}`);
}
