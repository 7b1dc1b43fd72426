import type { Context } from 'hono';
import { METHOD_NAME_ALL } from 'hono/router';
import { TrieRouter } from 'hono/router/trie-router';
import type { RouterRoute } from 'hono/types';
import { AppError, NotFoundError } from '@therapy-field/sync';

const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * The methods an app's routes answer on a path, for the 405 of a request whose path exists with
 * other methods. HEAD wherever GET is (Hono answers HEAD with the GET route). Middleware (`use`,
 * method ALL) answers nothing by itself, so it makes no path exist. Built on the first miss, when
 * every route is mounted.
 */
export function allowedMethods(app: { routes: RouterRoute[] }): (path: string) => string[] {
  let router: TrieRouter<string> | undefined;
  return (path) => {
    router ??= routerOf(app.routes);
    const matched = router;
    return methods.filter((method) => matched.match(method === 'HEAD' ? 'GET' : method, path)[0].length > 0);
  };
}

function routerOf(routes: RouterRoute[]): TrieRouter<string> {
  const router = new TrieRouter<string>();
  for (const { method, path } of routes) if (method !== METHOD_NAME_ALL) router.add(method, path, method);
  return router;
}

/** 405 with `Allow` when the path exists with other methods, else the JSON 404. */
export function routeMissing(allowed: (path: string) => string[]) {
  return (c: Context): Response => {
    const allow = allowed(c.req.path);
    if (allow.length === 0) return c.json(new NotFoundError(`Route ${c.req.method} ${c.req.path}`).toBody(), 404);
    const error = new AppError('METHOD_NOT_ALLOWED', `${c.req.path} does not take ${c.req.method}; it takes ${allow.join(', ')}`, { allow });
    return c.json(error.toBody(), 405, { Allow: allow.join(', ') });
  };
}
