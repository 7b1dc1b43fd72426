import type { MiddlewareHandler } from 'hono';
import type { Sequelize } from 'sequelize';
import type { AuditLog } from '../audit/index.js';
import type { DomainEventBus } from '../events/index.js';
import type { AppEnv } from '../http/index.js';
import { ReviewsRepository } from './reviews.repository.js';
import { reviewsRoutes } from './reviews.routes.js';
import { ReviewsService } from './reviews.service.js';

export type { ReviewsService } from './reviews.service.js';

export interface ReviewsModuleDeps {
  sequelize: Sequelize;
  events: DomainEventBus;
  audit: AuditLog;
  authenticated: MiddlewareHandler<AppEnv>;
  superAdmin: MiddlewareHandler<AppEnv>;
}

/** Clients' reviews of their therapists, their moderation, and the public list of approved ones. */
export function createReviewsModule({ sequelize, events, audit, authenticated, superAdmin }: ReviewsModuleDeps) {
  const service = new ReviewsService(new ReviewsRepository(sequelize), events, audit);
  return { service, routes: reviewsRoutes({ service, authenticated, superAdmin }) };
}
