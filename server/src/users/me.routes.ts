import type { MiddlewareHandler } from 'hono';
import { meApi } from '@therapy-field/sync';
import { bindRoutes, createRouter, type AppEnv } from '../http/index.js';
import type { MeService } from './me.service.js';

/** `/me`: only ever the caller's own account. Its guard stands before every `/me/*` path mounted after it. */
export function meRoutes(service: MeService, authenticated: MiddlewareHandler<AppEnv>) {
  const router = createRouter();
  router.use('/me/*', authenticated);
  return bindRoutes(router, meApi, {
    getMe: (_input, c) => service.get(c.var.user.id),
    updateMe: ({ body }, c) => service.update(c.var.user.id, body),
  });
}
