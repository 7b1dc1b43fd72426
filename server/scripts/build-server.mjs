// `npm run build:server`: the server and its command-line tools as plain JavaScript, so production
// runs `node` without tsx or any dev dependency. The workspaces (sync, media) are bundled in, as
// they are TypeScript; npm packages stay external and come from `npm ci --omit=dev`.
//
// The output sits three folders below the repository root, as the sources do (server/src/<module>),
// so what the code finds by its own location (migrations/sql, web/dist) is where it was.
import { build } from 'esbuild';
import { rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export const outdir = fileURLToPath(new URL('../dist/js/', import.meta.url));
const source = (path) => fileURLToPath(new URL(`../src/${path}`, import.meta.url));

/** Entry points: the node, and the tools an operator runs in its image. */
const entryPoints = {
  main: source('main.ts'),
  migrate: source('database/cli.ts'),
  'create-admin': source('admin/create-admin.cli.ts'),
  backup: source('backups/backup.cli.ts'),
  'rotate-keys': source('key-rotation/rotate-keys.cli.ts'),
  reindex: source('search/reindex.cli.ts'),
};

const npmPackagesExternal = {
  name: 'npm-packages-external',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@therapy-field/') ? undefined : { path: args.path, external: true }));
  },
};

export async function buildServer() {
  await rm(outdir, { recursive: true, force: true });
  const result = await build({
    entryPoints,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
    plugins: [npmPackagesExternal],
  });
  await writeFile(new URL('meta.json', `file://${outdir}`), JSON.stringify(result.metafile));
  return result.metafile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildServer();
  console.log(`built ${Object.keys(entryPoints).map((name) => `${name}.js`).join(', ')} in ${outdir}`);
}
