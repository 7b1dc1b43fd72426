import type { Sequelize } from 'sequelize';
import type { MiddlewareHandler } from 'hono';
import type { ReadCache } from '../cache/index.js';
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
  cache: ReadCache;
  guard: (...roles: Array<'client' | 'therapist' | 'business_admin' | 'super_admin'>) => MiddlewareHandler<AppEnv>;
}

/** Therapist profiles, their catalogue links, locations and rates, and the public directory search. */
export function createDirectoryModule({ sequelize, search, cache, guard }: DirectoryModuleDeps) {
  const service = new DirectoryService(new DirectoryRepository(sequelize), search, cache);
  return {
    service,
    routes: directoryRoutes({ service, authenticated: guard('therapist', 'super_admin'), therapist: guard('therapist'), superAdmin: guard('super_admin') }),
  };
}
