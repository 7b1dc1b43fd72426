import type { MiddlewareHandler } from 'hono';
import type { Models } from '../database/index.js';
import type { AppEnv } from '../http/index.js';
import { MeRepository } from './me.repository.js';
import { meRoutes } from './me.routes.js';
import { MeService } from './me.service.js';

export { MeService } from './me.service.js';

export function createMeModule(models: Models, authenticated: MiddlewareHandler<AppEnv>) {
  const service = new MeService(new MeRepository(models));
  return { service, routes: meRoutes(service, authenticated) };
}
