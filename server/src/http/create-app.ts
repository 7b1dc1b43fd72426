import type { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { requestId } from 'hono/request-id';
import { routePath } from 'hono/route';
import { AppError, NotFoundError } from '@therapy-field/sync';
import type { Logger } from '../logger/index.js';
import { apiDocsRoutes } from './api-docs.js';
import type { AppEnv } from './app-env.js';
import { errorResponse } from './errors.js';
import { createRouter } from './router.js';
import { securityHeaders } from './secure-headers.js';

export interface HttpAppOptions {
  logger: Logger;
  bodyLimitBytes: number;
  /** Web app origins allowed to call the API from a browser (CORS); empty: same origin only. */
  corsOrigins: string[];
  /** Each capability adds its routes here. */
  mount: (app: OpenAPIHono<AppEnv>) => void;
  /** Told about every answered request (for /metrics). */
  observeRequest?: (request: { method: string; route: string; status: number; seconds: number }) => void;
  /** Answers what no API route did (the web app's files and pages), before the JSON 404. */
  fallback?: MiddlewareHandler<AppEnv>;
}

/** The Hono app: CORS, security headers, request id and logging, body limit, capability routes, OpenAPI, JSON errors, then the fallback. */
export function createHttpApp({ logger, bodyLimitBytes, corsOrigins, mount, fallback, observeRequest }: HttpAppOptions): OpenAPIHono<AppEnv> {
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

  mount(app);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Therapy Field API', version: '0.1.0', description: 'Practice platform for psychotherapists, clients and businesses in Greece.' },
  });
  app.route('/docs', apiDocsRoutes());
  if (fallback) app.use('*', fallback);

  app.notFound((c) => c.json(new NotFoundError(`Route ${c.req.method} ${c.req.path}`).toBody(), 404));
  app.onError(errorResponse);
  return app;
}
