import type { z } from 'zod';
import { errorStatus, type ErrorCode } from '../errors.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** What a route answers when it succeeds. */
export interface RouteResponse {
  status: 200 | 201 | 202 | 204;
  description: string;
  /** The body; none for a 204. */
  schema?: z.ZodType;
  /** @default 'application/json' */
  contentType?: string;
}

/**
 * One route of the HTTP API, as the server binds it, the SDK calls it and OpenAPI documents it.
 * `path` is relative to `API_BASE_PATH`, with parameters written `{name}`.
 */
export interface RouteDescriptor {
  method: HttpMethod;
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** Anyone may call it, without a bearer token. @default false */
  public?: boolean;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The body may be left out. @default false */
  bodyOptional?: boolean;
  response: RouteResponse;
  /** The refusals of this route's own rules; those of its kind (see routeErrors) are added. */
  errors?: readonly ErrorCode[];
}

/** A descriptor named by its OpenAPI operationId. */
export type ApiRoute = RouteDescriptor & { operationId: string };

/** The routes of a capability, keyed by operationId, and the schemas OpenAPI shares as components. */
export interface ApiTable<Routes extends Record<string, ApiRoute> = Record<string, ApiRoute>> {
  components: Record<string, z.ZodType>;
  routes: Routes;
}

/**
 * A capability's route table: each route's key is its operationId.
 * @example
 * export const messagesApi = defineApi({ components: { Message: messageSchema }, routes: { sendMessage: { method: 'post', … } } });
 */
export function defineApi<const Routes extends Record<string, RouteDescriptor>>(table: {
  components: Record<string, z.ZodType>;
  routes: Routes;
}): ApiTable<{ [Id in keyof Routes & string]: Routes[Id] & { operationId: Id } }> {
  const routes = Object.fromEntries(Object.entries(table.routes).map(([operationId, route]) => [operationId, { ...route, operationId }]));
  return { components: table.components, routes: routes as { [Id in keyof Routes & string]: Routes[Id] & { operationId: Id } } };
}

const authenticationErrors: ErrorCode[] = ['UNAUTHENTICATED', 'TOKEN_INVALID', 'TOKEN_EXPIRED'];

/**
 * Every refusal a route can answer: its own, and those of its kind that the server adds to every
 * such route (input validation, the bearer token, the body limit and JSON body type).
 */
export function routeErrors(route: RouteDescriptor): ErrorCode[] {
  const codes = new Set<ErrorCode>(route.errors);
  if (route.params || route.query || route.body) codes.add('VALIDATION_FAILED');
  if (!route.public) authenticationErrors.forEach((code) => codes.add(code));
  if (route.body) codes.add('PAYLOAD_TOO_LARGE').add('UNSUPPORTED_MEDIA_TYPE');
  return [...codes].sort((a, b) => errorStatus[a] - errorStatus[b]);
}
