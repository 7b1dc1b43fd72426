import { OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { except } from 'hono/combine';
import { cors } from 'hono/cors';
import { requestId } from 'hono/request-id';
import { routePath } from 'hono/route';
import { API_BASE_PATH, apiTables, AppError, errorBodySchema } from '@therapy-field/sync';
import type { Logger } from '../logger/index.js';
import { apiDocsRoutes } from './api-docs.js';
import type { AppEnv } from './app-env.js';
import { errorResponse } from './errors.js';
import { nameComponentSchemas, withBodyRefusals } from './openapi.js';
import { allowedMethods, routeMissing } from './method-not-allowed.js';
import { createRouter } from './router.js';
import { securityHeaders } from './secure-headers.js';

export interface HttpAppOptions {
  logger: Logger;
  bodyLimitBytes: number;
  /** Web app origins allowed to call the API from a browser (CORS); empty: same origin only. */
  corsOrigins: string[];
  /** Each capability adds its routes here, on the root of the API: their paths are relative to `API_BASE_PATH`. */
  mount: (root: OpenAPIHono<AppEnv>) => void;
  /** Routes at the root of the origin, outside any API version: the probes load balancers, orchestrators and Prometheus call by fixed paths. */
  probes?: (root: OpenAPIHono<AppEnv>) => void;
  /** Answers what no route did outside the API (the web app's files and pages), before the JSON 404. */
  fallback?: MiddlewareHandler<AppEnv>;
  /** Told about every answered request (for /metrics). */
  observeRequest?: (request: { method: string; route: string; status: number; seconds: number }) => void;
}

/**
 * The Hono app: CORS, security headers, request id and logging, body limit, the probes, the API
 * under `API_BASE_PATH` with its OpenAPI document and docs page, JSON errors (405 with `Allow`
 * for a wrong method on a path that exists), then the fallback.
 */
export function createHttpApp({ logger, bodyLimitBytes, corsOrigins, mount, probes, fallback, observeRequest }: HttpAppOptions): OpenAPIHono<AppEnv> {
  const app = createRouter();
  const httpLogger = logger.child({ module: 'http' });

  // Tokens travel in the Authorization header, never in cookies: no credentials mode needed.
  if (corsOrigins.length > 0) app.use(cors({ origin: corsOrigins, allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'], exposeHeaders: ['Idempotent-Replayed'], maxAge: 600 }));
  app.use(securityHeaders());
  app.use(requestId());
  app.use(async (c, next) => {
    const started = performance.now();
    c.set('logger', httpLogger.child({ requestId: c.var.requestId }));
    await next();
    const seconds = (performance.now() - started) / 1000;
    // The pattern of the handler that answered (`/calendar/:token`), never the path or query: a
    // path can carry a secret (the ICS feed's) and a label per path would have no bound.
    const answered = { method: c.req.method, route: routePath(c), status: c.res.status };
    observeRequest?.({ ...answered, seconds });
    c.var.logger.info({ ...answered, durationMs: Math.round(seconds * 1000) }, 'request');
  });
  app.use(
    bodyLimit({
      maxSize: bodyLimitBytes,
      // The rest of the body is never read: without `Connection: close` the client would reuse a
      // connection that the server then resets (ECONNRESET on its next request).
      onError: (c) => c.json(new AppError('PAYLOAD_TOO_LARGE', `Request body exceeds ${bodyLimitBytes} bytes`).toBody(), 413, { Connection: 'close' }),
    }),
  );

  const api = createRouter();
  mount(api);
  if (probes) {
    const rootRoutes = createRouter();
    probes(rootRoutes);
    app.route('/', rootRoutes);
    documentAtRoot(rootRoutes, api);
  }
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  let document: ReturnType<typeof apiDocument> | undefined;
  api.get('/openapi.json', (c) => c.json((document ??= apiDocument(api))));
  api.route('/docs', apiDocsRoutes());
  app.route(API_BASE_PATH, api);
  // Nothing under /api is a page of the web app: a miss there is the API's 404 or 405.
  if (fallback) app.use('*', except('/api/*', fallback));

  app.notFound(routeMissing(allowedMethods(app)));
  app.onError(errorResponse);
  return app;
}

/**
 * The API's OpenAPI 3.1 document, generated once (every route is mounted by the first request):
 * the contract's shared schemas as components, the error body with its codes as an enum, and
 * 413/415 on every route that takes a body, bound from the contract or not.
 */
function apiDocument(api: OpenAPIHono<AppEnv>) {
  nameComponentSchemas({ Error: errorBodySchema, ...Object.assign({}, ...apiTables.map((table) => table.components)) });
  const definitions = api.openAPIRegistry.definitions.map((definition) => (definition.type === 'route' ? { ...definition, route: withBodyRefusals(definition.route) } : definition));
  return new OpenApiGeneratorV31(definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'Therapy Field API', version: '0.1.0', description: 'Practice platform for psychotherapists, clients and businesses in Greece.' },
    servers: [{ url: API_BASE_PATH, description: 'Version 1 of the API, on this origin' }],
  });
}

/** Root routes in the API's document, each with the server they are really on. */
function documentAtRoot(rootRoutes: OpenAPIHono<AppEnv>, api: OpenAPIHono<AppEnv>): void {
  for (const definition of rootRoutes.openAPIRegistry.definitions) {
    if (definition.type === 'route') api.openAPIRegistry.registerPath({ ...definition.route, servers: [{ url: '/', description: 'The root of this origin, outside the API version' }] });
  }
}
