export { PlatformMetrics, type HttpRequestObservation, type MetricProbes } from './metrics.js';
export { metricsRoutes } from './metrics.routes.js';
