import { Hono } from 'hono';
import type { PlatformMetrics } from './metrics.js';

/** `GET /metrics` in the Prometheus text format, for the scraper on the internal network. */
export function metricsRoutes(metrics: PlatformMetrics) {
  return new Hono().get('/', async (c) => c.text(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType }));
}
