import type { MiddlewareHandler } from 'hono';
import type { Sequelize } from 'sequelize';
import type { AuditLog } from '../audit/index.js';
import type { AppEnv } from '../http/index.js';
import { adminRoutes } from './admin.routes.js';
import { AdminService } from './admin.service.js';

export function createAdminModule(sequelize: Sequelize, audit: AuditLog, superAdminOnly: MiddlewareHandler<AppEnv>) {
  const service = new AdminService(sequelize, audit);
  return { service, routes: adminRoutes(service, superAdminOnly) };
}
