import { Hono } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import type { PlatformMetrics } from './metrics.js';

/** `GET /metrics` in the Prometheus text format; with `token`, only for `Authorization: Bearer <token>`. */
export function metricsRoutes(metrics: PlatformMetrics, token?: string) {
  const routes = new Hono();
  if (token) routes.use('*', bearerAuth({ token }));
  return routes.get('/', async (c) => c.text(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType }));
}
