import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { eraseRequestSchema, privacyExportSchema } from '@therapy-field/sync';
import { createRouter, errorResponses, jsonBody, jsonContent, requestOrigin, type AppEnv } from '../http/index.js';
import type { PrivacyService } from './privacy.service.js';

const secured = [{ bearerAuth: [] }];

export interface PrivacyRouteDeps {
  service: PrivacyService;
  authenticated: MiddlewareHandler<AppEnv>;
  /** Per user: an export decrypts the whole account, an erasure checks a password. */
  rateLimit: MiddlewareHandler<AppEnv>;
}

/** `/me/export` and `/me/erase`: the caller's own data only. */
export function privacyRoutes({ service, authenticated, rateLimit }: PrivacyRouteDeps): OpenAPIHono<AppEnv> {
  const limited = { security: secured, middleware: [authenticated, rateLimit] };
  const routes = {
    export: createRoute({
      method: 'get', path: '/export', tags: ['privacy'], summary: 'Download all my data, decrypted (GDPR right of access; audited)', ...limited,
      responses: { 200: jsonContent(privacyExportSchema, 'The export, as an attachment'), ...errorResponses(401, 429) },
    }),
    erase: createRoute({
      method: 'post', path: '/erase', tags: ['privacy'], summary: 'Erase my account and data for good (GDPR right to erasure; clients only)', ...limited,
      request: { body: jsonBody(eraseRequestSchema) },
      responses: { 204: { description: 'Erased; every session and socket of the account has ended' }, ...errorResponses(400, 401, 403, 429) },
    }),
  };
  return createRouter()
    .openapi(routes.export, async (c) => {
      const exported = await service.exportData(c.var.user.id, requestOrigin(c));
      const filename = `therapy-field-export-${exported.exportedAt.slice(0, 10)}.json`;
      return c.json(exported, 200, { 'content-disposition': `attachment; filename="${filename}"`, 'cache-control': 'no-store' });
    })
    .openapi(routes.erase, async (c) => {
      await service.erase(c.var.user, c.req.valid('json'));
      return c.body(null, 204);
    });
}
