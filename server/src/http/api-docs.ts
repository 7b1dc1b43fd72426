import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { swaggerUI } from '@hono/swagger-ui';
import { Hono } from 'hono';
import { API_BASE_PATH, NotFoundError } from '@therapy-field/sync';

/** The Swagger UI files the docs page loads, served from the installed swagger-ui-dist (no CDN). */
const assets = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
} as const;
type AssetName = keyof typeof assets;

const assetFolder = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const loaded = new Map<AssetName, Promise<Buffer>>();

function asset(name: AssetName): Promise<Buffer> {
  if (!loaded.has(name)) loaded.set(name, readFile(join(assetFolder, name)));
  return loaded.get(name)!;
}

// Started from a file rather than an inline script, so the Content-Security-Policy needs no
// 'unsafe-inline' for scripts (see secure-headers.ts).
const documentUrl = `${API_BASE_PATH}/openapi.json`;
const startScript = `window.onload = () => { window.ui = SwaggerUIBundle({ dom_id: '#swagger-ui', url: '${documentUrl}' }); };\n`;

/** `docs` of the API: Swagger UI over its `openapi.json`, working on a network without internet access too. */
export function apiDocsRoutes() {
  return new Hono()
    .get(
      '/',
      swaggerUI({
        url: documentUrl,
        baseUrl: `${API_BASE_PATH}/docs/assets`,
        manuallySwaggerUIHtml: (files) => `
          <div id="swagger-ui"></div>
          ${files.css.map((href) => `<link rel="stylesheet" href="${href}" />`).join('')}
          ${files.js.map((src) => `<script src="${src}"></script>`).join('')}
          <script src="${API_BASE_PATH}/docs/assets/start.js"></script>`,
      }),
    )
    .get('/assets/start.js', (c) => c.body(startScript, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=86400' }))
    .get('/assets/swagger-ui-dist/:file', async (c) => {
      const file = c.req.param('file');
      if (!Object.hasOwn(assets, file)) throw new NotFoundError(`Route GET ${c.req.path}`);
      const name = file as AssetName;
      return c.body(new Uint8Array(await asset(name)), 200, { 'content-type': assets[name], 'cache-control': 'public, max-age=86400' });
    });
}
