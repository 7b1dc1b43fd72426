import { z } from 'zod';
import { isoDateTimeSchema } from './common.js';

/** `HH:mm` (or `HH:mm:ss`) wall-clock time in the therapist's time zone. */
export const wallTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, 'a time as HH:mm');

export const availabilitySessionTypeSchema = z.enum(['in_person', 'online', 'both']);

export const availabilityTemplateSchema = z
  .object({
    dayOfWeek: z.number().int().min(0).max(6).describe('0 = Sunday … 6 = Saturday'),
    startTime: wallTimeSchema,
    endTime: wallTimeSchema,
    sessionType: availabilitySessionTypeSchema.default('both'),
    locationId: z.uuid().nullable().default(null),
  })
  .strict()
  .refine((window) => window.endTime > window.startTime, { path: ['endTime'], message: 'must be after startTime' });
export type AvailabilityTemplate = z.infer<typeof availabilityTemplateSchema>;

export const setAvailabilityRequestSchema = z.array(availabilityTemplateSchema).max(100);

export const availabilityExceptionSchema = z
  .object({
    date: z.iso.date(),
    /** Both absent: the whole day. */
    startTime: wallTimeSchema.nullable().default(null),
    endTime: wallTimeSchema.nullable().default(null),
    /** false: closed (the whole day or the given hours); true: extra hours. */
    isAvailable: z.boolean().default(false),
    reason: z.string().max(200).nullable().default(null),
  })
  .strict()
  .refine((exception) => (exception.startTime === null) === (exception.endTime === null), { path: ['endTime'], message: 'give both times or neither' })
  .refine((exception) => !exception.startTime || !exception.endTime || exception.endTime > exception.startTime, {
    path: ['endTime'],
    message: 'must be after startTime',
  })
  .refine((exception) => !exception.isAvailable || exception.startTime !== null, { path: ['startTime'], message: 'extra hours need times' });
export type AvailabilityException = z.infer<typeof availabilityExceptionSchema>;

export const availabilitySchema = z.object({
  templates: z.array(availabilityTemplateSchema),
  exceptions: z.array(availabilityExceptionSchema),
});

const dateOrDateTime = z.union([z.iso.date(), isoDateTimeSchema]);

export const slotsQuerySchema = z.object({
  from: dateOrDateTime.describe('a date (in the therapist’s zone, from its start) or a date-time'),
  to: dateOrDateTime.describe('a date (inclusive) or a date-time (exclusive)'),
  type: z.uuid().describe('appointment type id'),
  mode: z.enum(['online', 'in_person']).optional(),
});

export const slotSchema = z.object({
  start: isoDateTimeSchema,
  end: isoDateTimeSchema,
  online: z.boolean(),
  inPerson: z.boolean(),
  locationId: z.uuid().nullable(),
});
export type Slot = z.infer<typeof slotSchema>;

export const slotsResponseSchema = z.object({
  timezone: z.string(),
  slots: z.array(slotSchema),
});

/**
 * `requested`: a client's booking waiting for the therapist; `proposed`: a therapist's proposal
 * waiting for the client (it grants the therapist nothing until the client accepts it).
 */
export const appointmentStatusSchema = z.enum(['proposed', 'requested', 'confirmed', 'declined', 'cancelled', 'completed', 'no_show', 'rescheduled']);
export type AppointmentStatus = z.infer<typeof appointmentStatusSchema>;

export const appointmentSchema = z.object({
  id: z.uuid(),
  therapistId: z.uuid(),
  clientId: z.uuid(),
  appointmentTypeId: z.uuid().nullable(),
  recurringAppointmentId: z.uuid().nullable(),
  status: appointmentStatusSchema,
  scheduledStart: isoDateTimeSchema,
  scheduledEnd: isoDateTimeSchema,
  actualStart: isoDateTimeSchema.nullable(),
  actualEnd: isoDateTimeSchema.nullable(),
  isOnline: z.boolean(),
  locationId: z.uuid().nullable(),
  clientNotes: z.string().nullable(),
  cancellationReason: z.string().nullable(),
  cancelledBy: z.uuid().nullable(),
  cancelledAt: isoDateTimeSchema.nullable(),
  isLateCancellation: z.boolean(),
  rescheduledFrom: z.uuid().nullable(),
});
export type Appointment = z.infer<typeof appointmentSchema>;

export const bookAppointmentRequestSchema = z
  .object({
    therapistId: z.uuid(),
    appointmentTypeId: z.uuid(),
    start: isoDateTimeSchema,
    isOnline: z.boolean().default(true),
    locationId: z.uuid().optional(),
    clientNotes: z.string().max(2000).optional(),
  })
  .strict();
export type BookAppointmentRequest = z.infer<typeof bookAppointmentRequestSchema>;

/** A therapist proposes a slot to a client; it becomes an appointment only when the client accepts. */
export const proposeAppointmentRequestSchema = z
  .object({
    clientId: z.uuid(),
    appointmentTypeId: z.uuid(),
    start: isoDateTimeSchema,
    isOnline: z.boolean().default(true),
    locationId: z.uuid().optional(),
  })
  .strict();
export type ProposeAppointmentRequest = z.infer<typeof proposeAppointmentRequestSchema>;

export const listAppointmentsQuerySchema = z.object({
  from: isoDateTimeSchema.optional(),
  to: isoDateTimeSchema.optional(),
  status: appointmentStatusSchema.optional(),
});

export const reasonRequestSchema = z.object({ reason: z.string().trim().max(1000).optional() }).strict();
export const rescheduleRequestSchema = z.object({ start: isoDateTimeSchema, reason: z.string().trim().max(1000).optional() }).strict();
export const completeRequestSchema = z
  .object({ actualStart: isoDateTimeSchema.optional(), actualEnd: isoDateTimeSchema.optional() })
  .strict()
  .refine((body) => !body.actualStart || !body.actualEnd || body.actualEnd >= body.actualStart, { path: ['actualEnd'], message: 'must not be before actualStart' });
export const privateNotesSchema = z.object({ notes: z.string().max(20_000) }).strict();
/** The notes as read back: null until the therapist writes some. */
export const privateNotesResponseSchema = z.object({ notes: z.string().nullable() });

export const recurrenceFrequencySchema = z.enum(['weekly', 'biweekly', 'monthly']);

export const createSeriesRequestSchema = z
  .object({
    /** Required when a therapist proposes the series to a client (who then accepts or declines it). */
    clientId: z.uuid().optional(),
    /** Required when a client creates the series. */
    therapistId: z.uuid().optional(),
    appointmentTypeId: z.uuid(),
    frequency: recurrenceFrequencySchema,
    startDate: z.iso.date(),
    endDate: z.iso.date().optional(),
    time: wallTimeSchema,
    isOnline: z.boolean().default(true),
    locationId: z.uuid().optional(),
  })
  .strict()
  .refine((series) => !series.endDate || series.endDate >= series.startDate, { path: ['endDate'], message: 'must not be before startDate' });
export type CreateSeriesRequest = z.infer<typeof createSeriesRequestSchema>;

export const seriesConflictSchema = z.object({
  occurrenceStart: isoDateTimeSchema,
  /** `unavailable`: not one of the therapist's bookable slots (outside hours, too short notice). */
  reason: z.enum(['exception', 'overlap', 'session_limit', 'unavailable']),
});

export const seriesSchema = z.object({
  id: z.uuid(),
  therapistId: z.uuid(),
  clientId: z.uuid(),
  appointmentTypeId: z.uuid().nullable(),
  frequency: recurrenceFrequencySchema,
  startDate: z.iso.date(),
  endDate: z.iso.date().nullable(),
  time: z.string(),
  isActive: z.boolean(),
  /** null: the client created the series; otherwise the therapist proposed it and this is the client's answer so far. */
  proposalStatus: z.enum(['proposed', 'accepted', 'declined']).nullable(),
  appointments: z.array(appointmentSchema),
  conflicts: z.array(seriesConflictSchema),
});
export type Series = z.infer<typeof seriesSchema>;

export const cancelSeriesRequestSchema = z
  .object({
    /** Cancel every occurrence from this time on; default: now. */
    from: isoDateTimeSchema.optional(),
    reason: z.string().trim().max(1000).optional(),
  })
  .strict();

export const calendarFeedSchema = z.object({ url: z.url(), token: z.string() });
