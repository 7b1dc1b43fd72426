import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { accountSuspensionSchema, therapistsAwaitingVerificationSchema, therapistVerificationSchema } from '@therapy-field/sync';
import { createRouter, errorResponses, jsonContent, requestOrigin, type AppEnv } from '../http/index.js';
import type { AdminService } from './admin.service.js';

const verifyTherapist = createRoute({
  method: 'post', path: '/therapists/{id}/verify', tags: ['admin'], summary: 'Mark a therapist license as verified', security: [{ bearerAuth: [] }],
  request: { params: z.object({ id: z.uuid() }) },
  responses: {
    200: jsonContent(therapistVerificationSchema, 'Verified'),
    ...errorResponses(400, 401, 403, 404),
  },
});

const therapistsAwaitingVerification = createRoute({
  method: 'get', path: '/therapists/awaiting-verification', tags: ['admin'], operationId: 'listTherapistsAwaitingVerification',
  summary: 'Therapists whose license no admin has checked yet, oldest first', security: [{ bearerAuth: [] }],
  responses: {
    200: jsonContent(therapistsAwaitingVerificationSchema, 'Awaiting verification'),
    ...errorResponses(401, 403),
  },
});

const suspendUser = createRoute({
  method: 'post', path: '/users/{id}/suspend', tags: ['admin'], summary: 'Suspend an account: no more sign-ins, every session and socket ends now', security: [{ bearerAuth: [] }],
  request: { params: z.object({ id: z.uuid() }) },
  responses: {
    200: jsonContent(accountSuspensionSchema, 'Suspended'),
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `/admin/*`: super admins only. */
export function adminRoutes(service: AdminService, superAdminOnly: MiddlewareHandler<AppEnv>) {
  const router = createRouter();
  router.use('*', superAdminOnly);
  return router
    .openapi(therapistsAwaitingVerification, async (c) => c.json({ therapists: await service.therapistsAwaitingVerification() }, 200))
    .openapi(verifyTherapist, async (c) => c.json(await service.verifyTherapist(c.req.valid('param').id, c.var.user.id, requestOrigin(c)), 200))
    .openapi(suspendUser, async (c) => c.json(await service.suspendUser(c.req.valid('param').id, c.var.user.id, requestOrigin(c)), 200));
}
