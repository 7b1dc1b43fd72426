import { z } from '@hono/zod-openapi';
import { errorBodySchema } from '@therapy-field/sync';

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
