import type { z } from 'zod';
import { apiRoutes, type ApiRoute, type ApiRoutes, type OperationId } from '@therapy-field/sync';
import { withQuery, type HttpClient } from './http.js';

/**
 * A query as the caller writes it: the keys the schema can do without stay optional, and the values
 * are what the server reads (numbers, booleans), not the strings they travel as.
 */
export type Query<Schema extends z.ZodType> = { [Key in keyof z.input<Schema>]: Key extends keyof z.output<Schema> ? z.output<Schema>[Key] : never };

/** What a call of the route takes: its path parameters, query and body, each only where the route has one. */
export type RouteRequest<Route extends ApiRoute> = (Route['params'] extends z.ZodType ? { params: z.input<Route['params']> } : unknown) &
  (Route['query'] extends z.ZodType ? { query?: Query<Route['query']> } : unknown) &
  (Route['body'] extends z.ZodType ? (Route['bodyOptional'] extends true ? { body?: z.input<Route['body']> } : { body: z.input<Route['body']> }) : unknown);

/** What the route answers: the response schema's output, nothing for a 204. */
export type RouteReply<Route extends ApiRoute> = Route['response']['schema'] extends z.ZodType ? z.output<Route['response']['schema']> : void;

interface LooseRequest {
  params?: Record<string, string | number>;
  query?: object;
  body?: unknown;
}

/** The route's path with its `{name}` parameters filled in, each URL-encoded. */
function fillPath(path: string, params: Record<string, string | number> = {}): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(params[name])));
}

/** What the call of an operation takes, answers, and its body and query alone: names that keep the SDK's declarations short. */
export type CallRequest<Id extends OperationId> = RouteRequest<ApiRoutes[Id]>;
export type CallReply<Id extends OperationId> = RouteReply<ApiRoutes[Id]>;
export type CallBody<Id extends OperationId> = ApiRoutes[Id] extends { body: infer Body extends z.ZodType } ? z.input<Body> : never;
export type CallQuery<Id extends OperationId> = ApiRoutes[Id] extends { query: infer Schema extends z.ZodType } ? Query<Schema> : never;

/** Calls one route of the contract by its operationId: path, method, query and body all from its descriptor. */
export function callRoute<Id extends OperationId>(http: HttpClient, operationId: Id, request: CallRequest<Id>): Promise<CallReply<Id>> {
  const route: ApiRoute = apiRoutes[operationId];
  const { params, query, body } = request as LooseRequest;
  return http.request<CallReply<Id>>(route.method.toUpperCase(), withQuery(fillPath(route.path, params), query), body, { auth: !route.public });
}

/** `client.api.call`: any route of the contract by its operationId. */
export type RouteCaller = <Id extends OperationId>(operationId: Id, request: CallRequest<Id>) => Promise<CallReply<Id>>;

export function routeCaller(http: HttpClient): RouteCaller {
  return (operationId, request) => callRoute(http, operationId, request);
}
