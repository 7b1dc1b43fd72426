import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Context, MiddlewareHandler } from 'hono';

/** Where `npm run build:web` (run by `npm start` when stale) puts the web app. */
export const defaultWebAppDir = fileURLToPath(new URL('../../../web/dist', import.meta.url));

/** Hashed file names: cached for good. Everything else (index.html, sw.js) is checked on each load. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

const isNavigation = (c: Context) => (c.req.method === 'GET' || c.req.method === 'HEAD') && (c.req.header('accept') ?? '').includes('text/html');

/**
 * The web app on the API's port: its built files, and `index.html` for a browser navigation to
 * any other path (the app's own routes, e.g. the `/verify-email?token=…` link of an email). Mounted
 * after every API route, so it only sees what no route answered; API callers (no `text/html` in
 * Accept) still get the JSON 404. Without a build it serves nothing.
 */
export function webAppHandler(distDir: string = defaultWebAppDir): MiddlewareHandler | undefined {
  if (!existsSync(join(distDir, 'index.html'))) return undefined;
  const files = serveStatic({
    root: distDir,
    onFound: (path, c) => c.header('Cache-Control', path.includes('/assets/') ? IMMUTABLE : 'no-cache'),
  });
  const shell = serveStatic({ root: distDir, path: 'index.html', onFound: (_path, c) => c.header('Cache-Control', 'no-cache') });
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    const served = await files(c, async () => undefined);
    if (served) return served;
    if (isNavigation(c)) {
      const page = await shell(c, async () => undefined);
      if (page) return page;
    }
    return next();
  };
}
