export type { AppEnv, AuthenticatedUser } from './app-env.js';
export { createHttpApp } from './create-app.js';
export { createRouter } from './router.js';
export { errorResponse, rejectMalformedRequest, validationDetails } from './errors.js';
export { errorResponses, jsonBody, jsonContent } from './openapi.js';
export { bindRoutes, type RouteHandler, type RouteInput } from './bind-routes.js';
export { clientIp, requestOrigin, type RequestOrigin } from './request-origin.js';
export { decodePageCursor, encodePageCursor, type PagePosition } from './page-cursor.js';
export { IdempotentRequests } from './idempotency-key.js';
