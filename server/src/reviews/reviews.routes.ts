import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import {
  createReviewRequestSchema,
  publicReviewListQuerySchema,
  publicReviewPageSchema,
  rejectReviewRequestSchema,
  reviewIdParamsSchema,
  reviewModerationPageSchema,
  reviewModerationQuerySchema,
  reviewSchema,
} from '@therapy-field/sync';
import { createRouter, errorResponses, jsonBody, jsonContent, requestOrigin, type AppEnv } from '../http/index.js';
import type { ReviewsService } from './reviews.service.js';

const secured = [{ bearerAuth: [] }];
const review = jsonContent(reviewSchema, 'The review');

export interface ReviewRouteDeps {
  service: ReviewsService;
  authenticated: MiddlewareHandler<AppEnv>;
  superAdmin: MiddlewareHandler<AppEnv>;
}

/** `/appointments/{id}/review`, `/therapists/{id}/reviews` and the moderation queue under `/admin/reviews`. */
export function reviewsRoutes({ service, authenticated, superAdmin }: ReviewRouteDeps): OpenAPIHono<AppEnv> {
  const moderation = { tags: ['reviews'], security: secured, middleware: superAdmin };
  const routes = {
    write: createRoute({
      method: 'post', path: '/appointments/{id}/review', tags: ['reviews'], security: secured, middleware: [authenticated] as const,
      summary: 'Review the therapist of my completed appointment (once); it is public after a super admin approves it',
      request: { params: z.object({ id: z.uuid() }), body: jsonBody(createReviewRequestSchema) },
      responses: { 201: review, ...errorResponses(400, 401, 404, 409) },
    }),
    public: createRoute({
      method: 'get', path: '/therapists/{id}/reviews', tags: ['reviews'],
      summary: 'Approved reviews of a listed therapist, newest first (cursor pagination); authors as first name and last initial, or anonymous',
      request: { params: z.object({ id: z.uuid() }), query: publicReviewListQuerySchema },
      responses: { 200: jsonContent(publicReviewPageSchema, 'A page'), ...errorResponses(400, 404) },
    }),
    queue: createRoute({
      method: 'get', path: '/admin/reviews', ...moderation, summary: 'Reviews in one status (default pending), newest first (super admin)',
      request: { query: reviewModerationQuerySchema },
      responses: { 200: jsonContent(reviewModerationPageSchema, 'A page'), ...errorResponses(400, 401, 403) },
    }),
    approve: createRoute({
      method: 'post', path: '/admin/reviews/{id}/approve', ...moderation, summary: 'Publish a pending review; the therapist is notified (super admin)',
      request: { params: reviewIdParamsSchema },
      responses: { 200: review, ...errorResponses(400, 401, 403, 404, 409) },
    }),
    reject: createRoute({
      method: 'post', path: '/admin/reviews/{id}/reject', ...moderation, summary: 'Refuse a pending review, with the reason (super admin)',
      request: { params: reviewIdParamsSchema, body: jsonBody(rejectReviewRequestSchema) },
      responses: { 200: review, ...errorResponses(400, 401, 403, 404, 409) },
    }),
    hide: createRoute({
      method: 'post', path: '/admin/reviews/{id}/hide', ...moderation, summary: 'Take a published review down, with the reason (super admin)',
      request: { params: reviewIdParamsSchema, body: jsonBody(rejectReviewRequestSchema) },
      responses: { 200: review, ...errorResponses(400, 401, 403, 404, 409) },
    }),
  };

  return createRouter()
    .openapi(routes.write, async (c) => c.json(await service.write(c.var.user, c.req.valid('param').id, c.req.valid('json')), 201))
    .openapi(routes.public, async (c) => c.json(await service.approvedOf(c.req.valid('param').id, c.req.valid('query')), 200))
    .openapi(routes.queue, async (c) => c.json(await service.withStatus(c.req.valid('query')), 200))
    .openapi(routes.approve, async (c) => c.json(await service.approve(c.var.user.id, c.req.valid('param').id, requestOrigin(c)), 200))
    .openapi(routes.reject, async (c) =>
      c.json(await service.reject(c.var.user.id, c.req.valid('param').id, c.req.valid('json').reason, requestOrigin(c)), 200),
    )
    .openapi(routes.hide, async (c) => c.json(await service.hide(c.var.user.id, c.req.valid('param').id, c.req.valid('json').reason, requestOrigin(c)), 200));
}
