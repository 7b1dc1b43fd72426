import type { MiddlewareHandler } from 'hono';
import type { Sequelize } from 'sequelize';
import type { AuditLog } from '../audit/index.js';
import type { SessionRevoker } from '../auth/index.js';
import type { AppEnv } from '../http/index.js';
import { adminRoutes } from './admin.routes.js';
import { AdminService } from './admin.service.js';

export function createAdminModule(sequelize: Sequelize, audit: AuditLog, sessions: SessionRevoker, superAdminOnly: MiddlewareHandler<AppEnv>) {
  const service = new AdminService(sequelize, audit, sessions);
  return { service, routes: adminRoutes(service, superAdminOnly) };
}
