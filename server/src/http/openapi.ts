import { zodToOpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z, type RouteConfig } from '@hono/zod-openapi';
import { errorBodySchema, errorStatus, routeErrors, type ApiRoute, type ErrorCode } from '@therapy-field/sync';

/** `{ content: { 'application/json': { schema } } }`, the shape every JSON body has in OpenAPI. */
export function jsonContent<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { 'application/json': { schema } } };
}

/** The error responses a route documents, by status. */
export function errorResponses(...statuses: Array<400 | 401 | 403 | 404 | 409 | 413 | 422 | 429>) {
  return Object.fromEntries(statuses.map((status) => [status, jsonContent(errorBodySchema, 'Error')])) as Record<
    (typeof statuses)[number],
    ReturnType<typeof jsonContent<typeof errorBodySchema>>
  >;
}

/** Error responses by status, each naming the codes it may carry. */
function errorResponsesFor(codes: ErrorCode[]) {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) byStatus.set(errorStatus[code], [...(byStatus.get(errorStatus[code]) ?? []), code]);
  return Object.fromEntries([...byStatus].map(([status, statusCodes]) => [status, jsonContent(errorBodySchema, `Error: ${statusCodes.join(', ')}`)]));
}

/** A route of the contract as OpenAPI describes it: operationId, input schemas, the success answer and every refusal. */
export function describedRoute(route: ApiRoute): RouteConfig {
  const { response } = route;
  return {
    operationId: route.operationId,
    method: route.method,
    path: route.path,
    tags: [route.tag],
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    ...(route.public ? {} : { security: [{ bearerAuth: [] }] }),
    request: {
      ...(route.params ? { params: route.params } : {}),
      ...(route.query ? { query: route.query } : {}),
      ...(route.body ? { body: { required: !route.bodyOptional, content: { 'application/json': { schema: route.body } } } } : {}),
    },
    responses: {
      [response.status]: response.schema
        ? { description: response.description, content: { [response.contentType ?? 'application/json']: { schema: response.schema } } }
        : { description: response.description },
      ...errorResponsesFor(routeErrors(route)),
    },
  } as RouteConfig;
}

/**
 * Names schemas as shared components (`#/components/schemas/<name>`): wherever one is used, in a
 * route or inside another schema, the document refers to it instead of repeating it. The
 * generator keeps names in its own registry, keyed by the schema object itself.
 */
export function nameComponentSchemas(components: Record<string, z.ZodType>): void {
  for (const [name, schema] of Object.entries(components)) {
    const known = zodToOpenAPIRegistry.get(schema);
    zodToOpenAPIRegistry.add(schema, { ...known, _internal: { ...known?._internal, refId: name } });
  }
}

const bodyRefusals: Record<number, ErrorCode> = { 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE' };

/**
 * What the server does to every route that takes a body, said on routes not yet bound from the
 * contract too: the body limit (413) and the JSON check (415) stand in front of all of them.
 */
export function withBodyRefusals(route: RouteConfig): RouteConfig {
  if (!route.request?.body) return route;
  const missing = Object.entries(bodyRefusals).filter(([status]) => !(status in route.responses));
  if (missing.length === 0) return route;
  const added = Object.fromEntries(missing.map(([status, code]) => [status, jsonContent(errorBodySchema, `Error: ${code}`)]));
  return { ...route, responses: { ...route.responses, ...added } };
}
