import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import {
  appointmentSchema,
  availabilityExceptionSchema,
  availabilitySchema,
  bookAppointmentRequestSchema,
  calendarFeedSchema,
  cancelSeriesRequestSchema,
  completeRequestSchema,
  createSeriesRequestSchema,
  listAppointmentsQuerySchema,
  privateNotesResponseSchema,
  proposeAppointmentRequestSchema,
  privateNotesSchema,
  reasonRequestSchema,
  rescheduleRequestSchema,
  seriesSchema,
  setAvailabilityRequestSchema,
  slotsQuerySchema,
  slotsResponseSchema,
} from '@therapy-field/sync';
import { createRouter, errorResponses, jsonBody, jsonContent, type AppEnv } from '../http/index.js';
import type { CalendarService } from './calendar.service.js';
import type { SchedulingService } from './scheduling.service.js';
import type { SeriesService } from './series.service.js';

const secured = [{ bearerAuth: [] }];
const idParams = z.object({ id: z.uuid() });
const appointment = jsonContent(appointmentSchema, 'The appointment');

export interface SchedulingRouteDeps {
  scheduling: SchedulingService;
  series: SeriesService;
  calendar: CalendarService;
  authenticated: MiddlewareHandler<AppEnv>;
  therapist: MiddlewareHandler<AppEnv>;
}

/** Availability and slots under `/therapists/{id}`, `/appointments`, `/recurring-appointments`, `/calendar`. */
export function schedulingRoutes({ scheduling, series, calendar, authenticated, therapist }: SchedulingRouteDeps): OpenAPIHono<AppEnv> {
  const signedIn = { security: secured, middleware: authenticated };
  const action = (name: string, summary: string, body: z.ZodType = reasonRequestSchema) =>
    createRoute({
      method: 'post', path: `/appointments/{id}/${name}`, tags: ['appointments'], summary, ...signedIn,
      request: { params: idParams, body: { required: false, content: { 'application/json': { schema: body } } } },
      responses: { 200: appointment, ...errorResponses(400, 401, 403, 404, 409) },
    });

  const routes = {
    availability: createRoute({
      method: 'get', path: '/therapists/{id}/availability', tags: ['availability'], summary: 'Weekly hours and date exceptions (own schedule)', ...signedIn,
      request: { params: idParams },
      responses: { 200: jsonContent(availabilitySchema, 'Availability'), ...errorResponses(400, 401, 403, 404) },
    }),
    setTemplates: createRoute({
      method: 'put', path: '/therapists/{id}/availability', tags: ['availability'], summary: 'Replace the weekly hours (wall-clock, therapist’s zone)', ...signedIn,
      request: { params: idParams, body: jsonBody(setAvailabilityRequestSchema) },
      responses: { 200: jsonContent(availabilitySchema, 'Availability'), ...errorResponses(400, 401, 403, 404) },
    }),
    setException: createRoute({
      method: 'put', path: '/therapists/{id}/availability/exceptions', tags: ['availability'], summary: 'Close a day or hours, or add extra hours, on one date', ...signedIn,
      request: { params: idParams, body: jsonBody(availabilityExceptionSchema) },
      responses: { 200: jsonContent(availabilitySchema, 'Availability'), ...errorResponses(400, 401, 403, 404) },
    }),
    deleteException: createRoute({
      method: 'delete', path: '/therapists/{id}/availability/exceptions/{date}', tags: ['availability'], summary: 'Remove a date exception', ...signedIn,
      request: { params: idParams.extend({ date: z.iso.date() }) },
      responses: { 204: { description: 'Removed' }, ...errorResponses(400, 401, 403, 404) },
    }),
    slots: createRoute({
      method: 'get', path: '/therapists/{id}/slots', tags: ['availability'], summary: 'Bookable slots for an appointment type, ISO 8601 with offset',
      request: { params: idParams, query: slotsQuerySchema },
      responses: { 200: jsonContent(slotsResponseSchema, 'Slots'), ...errorResponses(400, 404) },
    }),
    book: createRoute({
      method: 'post', path: '/appointments', tags: ['appointments'], summary: 'Request a slot (confirmed at once if the therapist allows)', ...signedIn,
      request: { body: jsonBody(bookAppointmentRequestSchema) },
      responses: { 201: appointment, ...errorResponses(400, 401, 403, 404, 409) },
    }),
    list: createRoute({
      method: 'get', path: '/appointments', tags: ['appointments'], summary: 'The caller’s appointments (as client or therapist)', ...signedIn,
      request: { query: listAppointmentsQuerySchema },
      responses: { 200: jsonContent(z.array(appointmentSchema), 'Appointments'), ...errorResponses(400, 401) },
    }),
    get: createRoute({
      method: 'get', path: '/appointments/{id}', tags: ['appointments'], summary: 'One appointment of the caller', ...signedIn,
      request: { params: idParams },
      responses: { 200: appointment, ...errorResponses(400, 401, 404) },
    }),
    propose: createRoute({
      method: 'post', path: '/appointment-proposals', tags: ['appointments'],
      summary: 'Therapist proposes one of their slots to a client: `proposed`, granting nothing until the client accepts', ...signedIn,
      request: { body: jsonBody(proposeAppointmentRequestSchema) },
      responses: { 201: appointment, ...errorResponses(400, 401, 403, 404, 409) },
    }),
    accept: action('accept', 'Client accepts a therapist’s proposal: it becomes confirmed'),
    confirm: action('confirm', 'Therapist confirms a requested appointment'),
    decline: action('decline', 'Therapist declines a requested appointment, or client declines a proposal'),
    cancel: action('cancel', 'Cancel (client or therapist); inside 24 h it is flagged late'),
    complete: action('complete', 'Therapist records the session as held', completeRequestSchema),
    noShow: action('no-show', 'Therapist records that the client did not come'),
    reschedule: createRoute({
      method: 'post', path: '/appointments/{id}/reschedule', tags: ['appointments'], summary: 'Move to another slot: a new appointment linked by rescheduledFrom', ...signedIn,
      request: { params: idParams, body: jsonBody(rescheduleRequestSchema) },
      responses: { 201: appointment, ...errorResponses(400, 401, 403, 404, 409) },
    }),
    readNotes: createRoute({
      method: 'get', path: '/appointments/{id}/private-notes', tags: ['appointments'], summary: 'The therapist’s private notes (audited)', ...signedIn,
      request: { params: idParams },
      responses: { 200: jsonContent(privateNotesResponseSchema, 'Notes'), ...errorResponses(400, 401, 403, 404) },
    }),
    writeNotes: createRoute({
      method: 'put', path: '/appointments/{id}/private-notes', tags: ['appointments'], summary: 'Write the therapist’s private notes (encrypted, audited)', ...signedIn,
      request: { params: idParams, body: jsonBody(privateNotesSchema) },
      responses: { 204: { description: 'Saved' }, ...errorResponses(400, 401, 403, 404) },
    }),
    createSeries: createRoute({
      method: 'post', path: '/recurring-appointments', tags: ['appointments'],
      summary: 'Start a weekly, biweekly or monthly series (a client), or propose one (a therapist); books the coming weeks', ...signedIn,
      request: { body: jsonBody(createSeriesRequestSchema) },
      responses: { 201: jsonContent(seriesSchema, 'The series, its booked occurrences and conflicts'), ...errorResponses(400, 401, 403, 404, 409) },
    }),
    acceptSeries: createRoute({
      method: 'post', path: '/recurring-appointments/{id}/accept', tags: ['appointments'], summary: 'Client accepts a proposed series: its occurrences become confirmed', ...signedIn,
      request: { params: idParams },
      responses: { 200: jsonContent(seriesSchema, 'The series'), ...errorResponses(400, 401, 403, 404, 409) },
    }),
    declineSeries: createRoute({
      method: 'post', path: '/recurring-appointments/{id}/decline', tags: ['appointments'], summary: 'Client declines a proposed series', ...signedIn,
      request: { params: idParams, body: { required: false, content: { 'application/json': { schema: reasonRequestSchema } } } },
      responses: { 200: jsonContent(seriesSchema, 'The series'), ...errorResponses(400, 401, 403, 404, 409) },
    }),
    getSeries: createRoute({
      method: 'get', path: '/recurring-appointments/{id}', tags: ['appointments'], summary: 'A series with its occurrences and reported conflicts', ...signedIn,
      request: { params: idParams },
      responses: { 200: jsonContent(seriesSchema, 'The series'), ...errorResponses(400, 401, 404) },
    }),
    cancelSeries: createRoute({
      method: 'post', path: '/recurring-appointments/{id}/cancel', tags: ['appointments'], summary: 'Cancel the rest of a series', ...signedIn,
      request: { params: idParams, body: { required: false, content: { 'application/json': { schema: cancelSeriesRequestSchema } } } },
      responses: { 200: jsonContent(seriesSchema, 'The series'), ...errorResponses(400, 401, 404) },
    }),
    createFeed: createRoute({
      method: 'post', path: '/calendar-feed', tags: ['calendar'], summary: 'A new secret ICS feed URL (the previous one stops working)',
      security: secured, middleware: therapist,
      responses: { 201: jsonContent(calendarFeedSchema, 'Feed URL'), ...errorResponses(401, 403) },
    }),
    revokeFeed: createRoute({
      method: 'delete', path: '/calendar-feed', tags: ['calendar'], summary: 'Revoke the ICS feed', security: secured, middleware: therapist,
      responses: { 204: { description: 'Revoked' }, ...errorResponses(401, 403, 404) },
    }),
    feed: createRoute({
      method: 'get', path: '/calendar/{file}', tags: ['calendar'], summary: 'A therapist’s schedule as iCalendar (`<token>.ics`)',
      request: { params: z.object({ file: z.string().regex(/^[A-Za-z0-9_-]{20,100}\.ics$/) }) },
      responses: { 200: { description: 'iCalendar', content: { 'text/calendar': { schema: z.string() } } }, ...errorResponses(400, 404) },
    }),
  };

  return createRouter()
    .openapi(routes.availability, async (c) => c.json(await scheduling.availability(c.var.user, c.req.valid('param').id), 200))
    .openapi(routes.setTemplates, async (c) => c.json(await scheduling.setTemplates(c.var.user, c.req.valid('param').id, c.req.valid('json')), 200))
    .openapi(routes.setException, async (c) => c.json(await scheduling.setException(c.var.user, c.req.valid('param').id, c.req.valid('json')), 200))
    .openapi(routes.deleteException, async (c) => {
      const { id, date } = c.req.valid('param');
      await scheduling.deleteException(c.var.user, id, date);
      return c.body(null, 204);
    })
    .openapi(routes.slots, async (c) => c.json(await scheduling.slots(c.req.valid('param').id, c.req.valid('query')), 200))
    .openapi(routes.book, async (c) => c.json(await scheduling.book(c.var.user, c.req.valid('json')), 201))
    .openapi(routes.list, async (c) => c.json(await scheduling.list(c.var.user, c.req.valid('query')), 200))
    .openapi(routes.get, async (c) => c.json(await scheduling.get(c.var.user, c.req.valid('param').id), 200))
    .openapi(routes.propose, async (c) => c.json(await scheduling.propose(c.var.user, c.req.valid('json')), 201))
    .openapi(routes.accept, async (c) => c.json(await scheduling.transition(c.var.user, c.req.valid('param').id, 'accept'), 200))
    .openapi(routes.confirm, async (c) => c.json(await scheduling.transition(c.var.user, c.req.valid('param').id, 'confirm'), 200))
    .openapi(routes.decline, async (c) => c.json(await scheduling.transition(c.var.user, c.req.valid('param').id, 'decline', await optionalJson(c)), 200))
    .openapi(routes.cancel, async (c) => c.json(await scheduling.transition(c.var.user, c.req.valid('param').id, 'cancel', await optionalJson(c)), 200))
    .openapi(routes.complete, async (c) => c.json(await scheduling.transition(c.var.user, c.req.valid('param').id, 'complete', await optionalJson(c)), 200))
    .openapi(routes.noShow, async (c) => c.json(await scheduling.transition(c.var.user, c.req.valid('param').id, 'no_show'), 200))
    .openapi(routes.reschedule, async (c) => {
      const { start, reason } = c.req.valid('json');
      return c.json(await scheduling.reschedule(c.var.user, c.req.valid('param').id, start, reason), 201);
    })
    .openapi(routes.readNotes, async (c) => c.json(await scheduling.readPrivateNotes(c.var.user, c.req.valid('param').id), 200))
    .openapi(routes.writeNotes, async (c) => {
      await scheduling.writePrivateNotes(c.var.user, c.req.valid('param').id, c.req.valid('json').notes);
      return c.body(null, 204);
    })
    .openapi(routes.createSeries, async (c) => c.json(await series.create(c.var.user, c.req.valid('json')), 201))
    .openapi(routes.getSeries, async (c) => c.json(await series.view(c.var.user, c.req.valid('param').id), 200))
    .openapi(routes.acceptSeries, async (c) => c.json(await series.accept(c.var.user, c.req.valid('param').id), 200))
    .openapi(routes.declineSeries, async (c) => c.json(await series.decline(c.var.user, c.req.valid('param').id, (await optionalJson(c)).reason), 200))
    .openapi(routes.cancelSeries, async (c) => {
      const body = (await optionalJson(c)) as { from?: string; reason?: string };
      return c.json(await series.cancelRest(c.var.user, c.req.valid('param').id, body.from, body.reason), 200);
    })
    .openapi(routes.createFeed, async (c) => c.json(await calendar.createFeed(c.var.user), 201))
    .openapi(routes.revokeFeed, async (c) => {
      await calendar.revokeFeed(c.var.user);
      return c.body(null, 204);
    })
    .openapi(routes.feed, async (c) => {
      const body = await calendar.feed(c.req.valid('param').file.replace(/\.ics$/, ''));
      return c.body(body, 200, { 'content-type': 'text/calendar; charset=utf-8', 'cache-control': 'private, max-age=300' });
    });
}

/** The validated body of a route whose body may be left out. */
async function optionalJson(c: { req: { valid: (target: 'json') => unknown } }): Promise<Record<string, string | undefined>> {
  return (c.req.valid('json') ?? {}) as Record<string, string | undefined>;
}
