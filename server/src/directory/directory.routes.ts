import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import {
  appointmentTypeSchema,
  catalogEntrySchema,
  createAppointmentTypeRequestSchema,
  createCatalogEntryRequestSchema,
  createLocationRequestSchema,
  createRateRequestSchema,
  setApproachesRequestSchema,
  setLanguagesRequestSchema,
  setSpecializationsRequestSchema,
  therapistProfileSchema,
  therapistSearchQuerySchema,
  therapistSearchResultSchema,
  updateTherapistRequestSchema,
} from '@therapy-field/sync';
import { createRouter, errorResponses, jsonBody, jsonContent, type AppEnv } from '../http/index.js';
import type { DirectoryService } from './directory.service.js';

const secured = [{ bearerAuth: [] }];
const idParams = z.object({ id: z.uuid() });
const profile = jsonContent(therapistProfileSchema, 'The therapist profile');

export interface DirectoryRouteDeps {
  service: DirectoryService;
  authenticated: MiddlewareHandler<AppEnv>;
  therapist: MiddlewareHandler<AppEnv>;
  superAdmin: MiddlewareHandler<AppEnv>;
}

/** `GET /<kind>` lists a catalogue in English and Greek; `POST /<kind>` adds to it (super admin). */
function catalogRoutes(kind: 'specializations' | 'approaches', superAdmin: MiddlewareHandler<AppEnv>) {
  return {
    list: createRoute({
      method: 'get', path: `/${kind}`, tags: ['directory'], summary: `All ${kind}, named in English and Greek`,
      responses: { 200: jsonContent(z.array(catalogEntrySchema), 'Catalogue') },
    }),
    add: createRoute({
      method: 'post', path: `/${kind}`, tags: ['directory'], summary: `Add to ${kind} (super admin)`,
      security: secured, middleware: [superAdmin] as const,
      request: { body: jsonBody(createCatalogEntryRequestSchema) },
      responses: { 201: jsonContent(catalogEntrySchema, 'Added'), ...errorResponses(400, 401, 403, 409) },
    }),
  };
}

/** `/therapists`, `/specializations`, `/approaches`, `/appointment-types`. */
export function directoryRoutes({ service, authenticated, therapist, superAdmin }: DirectoryRouteDeps): OpenAPIHono<AppEnv> {
  const editRoute = <Body extends z.ZodType>(path: string, summary: string, body: Body, method: 'put' | 'post' | 'patch' = 'put') =>
    createRoute({
      method, path, tags: ['directory'], summary, security: secured, middleware: [authenticated] as const,
      request: { params: idParams, body: jsonBody(body) },
      responses: { 200: profile, ...errorResponses(400, 401, 403, 404, 409) },
    });

  const routes = {
    search: createRoute({
      method: 'get', path: '/therapists', tags: ['directory'], operationId: 'searchTherapists',
      summary: 'Search verified, active therapists: Greek, English or Greeklish text, filters, sorts, cursor, facets',
      request: { query: therapistSearchQuerySchema },
      responses: { 200: jsonContent(therapistSearchResultSchema, 'Matching therapists, best first'), ...errorResponses(400) },
    }),
    mine: createRoute({
      method: 'get', path: '/therapists/me', tags: ['directory'], summary: 'The signed-in therapist’s own profile, listed or not',
      security: secured, middleware: [therapist] as const,
      responses: { 200: profile, ...errorResponses(401, 403) },
    }),
    get: createRoute({
      method: 'get', path: '/therapists/{id}', tags: ['directory'], summary: 'A verified, active therapist',
      request: { params: idParams },
      responses: { 200: profile, ...errorResponses(400, 404) },
    }),
    update: editRoute('/therapists/{id}', 'Change a profile and scheduling settings (own profile only)', updateTherapistRequestSchema, 'patch'),
    specializations: editRoute('/therapists/{id}/specializations', 'Replace the therapist’s specializations', setSpecializationsRequestSchema),
    approaches: editRoute('/therapists/{id}/approaches', 'Replace the therapist’s therapeutic approaches', setApproachesRequestSchema),
    languages: editRoute('/therapists/{id}/languages', 'Replace the languages the therapist works in', setLanguagesRequestSchema),
    addLocation: editRoute('/therapists/{id}/locations', 'Add a practice location', createLocationRequestSchema, 'post'),
    addRate: editRoute('/therapists/{id}/rates', 'Add a rate (with corporate and sliding-scale terms)', createRateRequestSchema, 'post'),
    removeLocation: createRoute({
      method: 'delete', path: '/therapists/{id}/locations/{locationId}', tags: ['directory'], summary: 'Retire a practice location',
      security: secured, middleware: [authenticated] as const,
      request: { params: idParams.extend({ locationId: z.uuid() }) },
      responses: { 204: { description: 'Retired' }, ...errorResponses(400, 401, 403, 404) },
    }),
    specializationCatalog: catalogRoutes('specializations', superAdmin),
    approachCatalog: catalogRoutes('approaches', superAdmin),
    appointmentTypes: createRoute({
      method: 'get', path: '/appointment-types', tags: ['directory'], summary: 'Appointment types and their durations',
      responses: { 200: jsonContent(z.array(appointmentTypeSchema), 'Appointment types') },
    }),
    addAppointmentType: createRoute({
      method: 'post', path: '/appointment-types', tags: ['directory'], summary: 'Add an appointment type (super admin)',
      security: secured, middleware: [superAdmin] as const,
      request: { body: jsonBody(createAppointmentTypeRequestSchema) },
      responses: { 201: jsonContent(appointmentTypeSchema, 'Added'), ...errorResponses(400, 401, 403) },
    }),
  };

  return createRouter()
    .openapi(routes.search, async (c) => c.json(await service.search(c.req.valid('query')), 200))
    .openapi(routes.mine, async (c) => c.json(await service.get(c.var.user.id, c.var.user), 200))
    .openapi(routes.get, async (c) => c.json(await service.get(c.req.valid('param').id), 200))
    .openapi(routes.update, async (c) => c.json(await service.update(c.var.user, c.req.valid('param').id, c.req.valid('json')), 200))
    .openapi(routes.specializations, async (c) => c.json(await service.setSpecializations(c.var.user, c.req.valid('param').id, c.req.valid('json')), 200))
    .openapi(routes.approaches, async (c) => c.json(await service.setApproaches(c.var.user, c.req.valid('param').id, c.req.valid('json')), 200))
    .openapi(routes.languages, async (c) => c.json(await service.setLanguages(c.var.user, c.req.valid('param').id, c.req.valid('json')), 200))
    .openapi(routes.addLocation, async (c) => c.json(await service.addLocation(c.var.user, c.req.valid('param').id, c.req.valid('json')), 200))
    .openapi(routes.addRate, async (c) => c.json(await service.addRate(c.var.user, c.req.valid('param').id, c.req.valid('json')), 200))
    .openapi(routes.removeLocation, async (c) => {
      const { id, locationId } = c.req.valid('param');
      await service.removeLocation(c.var.user, id, locationId);
      return c.body(null, 204);
    })
    .openapi(routes.appointmentTypes, async (c) => c.json(await service.appointmentTypes(), 200))
    .openapi(routes.addAppointmentType, async (c) => c.json(await service.addAppointmentType(c.req.valid('json')), 201))
    .openapi(routes.specializationCatalog.list, async (c) => c.json(await service.catalog('specializations'), 200))
    .openapi(routes.specializationCatalog.add, async (c) => c.json(await service.addCatalogEntry('specializations', c.req.valid('json')), 201))
    .openapi(routes.approachCatalog.list, async (c) => c.json(await service.catalog('approaches'), 200))
    .openapi(routes.approachCatalog.add, async (c) => c.json(await service.addCatalogEntry('approaches', c.req.valid('json')), 201));
}
