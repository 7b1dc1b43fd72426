import type { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { consentApi } from '@therapy-field/sync';
import { bindRoutes, createRouter, requestOrigin, type AppEnv } from '../http/index.js';
import type { ConsentService } from './consent.service.js';

/** `/me/consents`: the caller's own consents only. */
export function consentRoutes({ service, authenticated }: { service: ConsentService; authenticated: MiddlewareHandler<AppEnv> }): OpenAPIHono<AppEnv> {
  const router = createRouter();
  // Also guards `/me/consents` itself.
  router.use('/me/consents/*', authenticated);
  return bindRoutes(router, consentApi, {
    listMyConsents: (_input, c) => service.overview(c.var.user),
    giveConsent: ({ body }, c) => service.give(c.var.user, body, requestOrigin(c)),
    withdrawConsent: ({ params }, c) => service.withdraw(c.var.user, params.kind, requestOrigin(c)),
  });
}
