import type { Sequelize } from 'sequelize';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/index.js';
import type { TherapistSearchBackend } from '../search/index.js';
import { DirectoryRepository } from './directory.repository.js';
import { directoryRoutes } from './directory.routes.js';
import { DirectoryService } from './directory.service.js';

export { isListed, type DirectoryService } from './directory.service.js';
export type { TherapistRow } from './directory.repository.js';

export interface DirectoryModuleDeps {
  sequelize: Sequelize;
  search: TherapistSearchBackend;
  guard: (...roles: Array<'client' | 'therapist' | 'business_admin' | 'super_admin'>) => MiddlewareHandler<AppEnv>;
}

/** Therapist profiles, their catalogue links, locations and rates, and the public directory search. */
export function createDirectoryModule({ sequelize, search, guard }: DirectoryModuleDeps) {
  const service = new DirectoryService(new DirectoryRepository(sequelize), search);
  return {
    service,
    routes: directoryRoutes({ service, authenticated: guard('therapist', 'super_admin'), therapist: guard('therapist'), superAdmin: guard('super_admin') }),
  };
}
