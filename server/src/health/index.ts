export { healthRoutes } from './health.routes.js';
export { databaseHealthRoutes } from './database-health.routes.js';
export { DatabaseHealthRepository, healthSeverity } from './database-health.repository.js';
