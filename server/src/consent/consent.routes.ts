import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { consentKindSchema, consentOverviewSchema, consentRecordSchema, giveConsentRequestSchema } from '@therapy-field/sync';
import { createRouter, errorResponses, jsonBody, jsonContent, requestOrigin, type AppEnv } from '../http/index.js';
import type { ConsentService } from './consent.service.js';

/** `/me/consents`: the caller's own consents only (mounted under `/me`). */
export function consentRoutes({ service, authenticated }: { service: ConsentService; authenticated: MiddlewareHandler<AppEnv> }): OpenAPIHono<AppEnv> {
  const own = { security: [{ bearerAuth: [] }], middleware: authenticated };
  const routes = {
    list: createRoute({
      method: 'get', path: '/consents', operationId: 'listMyConsents', tags: ['consent'], summary: 'My consents: each kind’s standing and every record, newest first', ...own,
      responses: { 200: jsonContent(consentOverviewSchema, 'My consents'), ...errorResponses(401) },
    }),
    give: createRoute({
      method: 'post', path: '/consents', operationId: 'giveConsent', tags: ['consent'], summary: 'Give a consent to a version of its text (time and address recorded; a newer version replaces the standing one)', ...own,
      request: { body: jsonBody(giveConsentRequestSchema) },
      responses: { 201: jsonContent(consentRecordSchema, 'The record'), ...errorResponses(400, 401, 409) },
    }),
    withdraw: createRoute({
      method: 'post', path: '/consents/{kind}/withdraw', operationId: 'withdrawConsent', tags: ['consent'], summary: 'Withdraw a standing consent; what it allowed stops at once', ...own,
      request: { params: z.object({ kind: consentKindSchema }) },
      responses: { 200: jsonContent(consentRecordSchema, 'The withdrawn record'), ...errorResponses(400, 401, 404) },
    }),
  };
  return createRouter()
    .openapi(routes.list, async (c) => c.json(await service.overview(c.var.user), 200))
    .openapi(routes.give, async (c) => c.json(await service.give(c.var.user, c.req.valid('json'), requestOrigin(c)), 201))
    .openapi(routes.withdraw, async (c) => c.json(await service.withdraw(c.var.user, c.req.valid('param').kind, requestOrigin(c)), 200));
}
