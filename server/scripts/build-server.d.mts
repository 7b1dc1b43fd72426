import type { Metafile } from 'esbuild';

/** Where `npm run build:server` writes `main.js`, `migrate.js` and the other tools (ends with `/`). */
export const outdir: string;
/** Bundles the server and its tools into `outdir`; resolves with esbuild's metafile. */
export function buildServer(): Promise<Metafile>;
