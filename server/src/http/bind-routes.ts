import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import type { ApiRoute, ApiTable } from '@therapy-field/sync';
import type { AppEnv } from './app-env.js';
import { describedRoute } from './openapi.js';

type Parsed<Schema> = Schema extends z.ZodType ? z.output<Schema> : undefined;

/** What a handler gets: the route's params, query and body, as its schemas parsed them. */
export interface RouteInput<Route extends ApiRoute> {
  params: Parsed<Route['params']>;
  query: Parsed<Route['query']>;
  body: Route['bodyOptional'] extends true ? Parsed<Route['body']> | undefined : Parsed<Route['body']>;
}

/** What a handler answers: the response body (sent with the route's status), or a Response it made itself. */
export type RouteResult<Route extends ApiRoute> = (Route['response']['schema'] extends z.ZodType ? z.input<Route['response']['schema']> : void) | Response;

export type RouteHandler<Route extends ApiRoute> = (input: RouteInput<Route>, c: Context<AppEnv>) => Promise<RouteResult<Route>> | RouteResult<Route>;

export interface BindOptions<Routes extends Record<string, ApiRoute>> {
  /** Middleware of single routes (a role guard), before validation. */
  middleware?: { [Id in keyof Routes]?: MiddlewareHandler<AppEnv>[] };
}

/**
 * Binds a handler to every route of a capability's table from sync: validation, OpenAPI
 * documentation and the success status all come from the table, so neither can drift from the
 * contract the SDK calls. A table route without a handler does not compile.
 */
export function bindRoutes<Routes extends Record<string, ApiRoute>>(
  router: OpenAPIHono<AppEnv>,
  table: ApiTable<Routes>,
  handlers: { [Id in keyof Routes]: RouteHandler<Routes[Id]> },
  options: BindOptions<Routes> = {},
): OpenAPIHono<AppEnv> {
  for (const [operationId, route] of Object.entries(table.routes)) {
    const handle = handlers[operationId as keyof Routes] as RouteHandler<ApiRoute>;
    const config = createRoute({ ...describedRoute(route), middleware: options.middleware?.[operationId as keyof Routes] ?? [] });
    // The typed handler is checked against the table above; hono's own route typing adds nothing here.
    (router.openapi as (config: unknown, handler: (c: Context<AppEnv>) => Promise<Response>) => void)(config, async (c) => {
      const input = { params: c.req.valid('param' as never), query: c.req.valid('query' as never), body: c.req.valid('json' as never) };
      const result = await handle(input as RouteInput<ApiRoute>, c);
      if (result instanceof Response) return result;
      if (!route.response.schema) return c.body(null, route.response.status);
      return c.json(result, route.response.status as ContentfulStatusCode);
    });
  }
  return router;
}
