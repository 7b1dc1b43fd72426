export { PlatformMetrics } from './metrics.js';
export { metricsRoutes } from './metrics.routes.js';
