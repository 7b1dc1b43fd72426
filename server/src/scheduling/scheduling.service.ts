import { DateTime } from 'luxon';
import {
  AppError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  type Appointment,
  type AppointmentStatus,
  type AvailabilityException,
  type AvailabilityTemplate,
  type BookAppointmentRequest,
  type ProposeAppointmentRequest,
} from '@therapy-field/sync';
import type { Transaction } from 'sequelize';
import type { AuditLog } from '../audit/index.js';
import { cacheEntries, type ReadCache } from '../cache/index.js';
import type { FieldCipher } from '../crypto/index.js';
import { isListed } from '../directory/index.js';
import type { DomainEventBus } from '../events/index.js';
import type { AuthenticatedUser } from '../http/index.js';
import { nextStatus, usesCompanySession, type AppointmentAction } from './appointment-state.js';
import type { ReminderScheduler } from './reminders.js';
import type { AppointmentRow, SchedulingRepository, TherapistSchedule } from './scheduling.repository.js';
import { computeSlots, toIsoInZone, type ComputedSlot } from './slots.js';

const LATE_CANCELLATION_MS = 24 * 3600_000;
const MAX_SLOT_RANGE_DAYS = 62;

type Party = 'client' | 'therapist';

/** What `bookSlot` books: a client's booking, a therapist's proposal or a series occurrence. */
export interface SlotBooking {
  clientId: string;
  therapist: TherapistSchedule;
  appointmentTypeId: string;
  /** Known already (a series); else looked up from the appointment type. */
  durationMinutes?: number;
  start: Date;
  isOnline: boolean;
  locationId?: string | null;
  clientNotes?: string | null;
  recurringAppointmentId?: string | null;
  status: 'proposed' | 'requested' | 'confirmed';
}

export interface SchedulingServiceDeps {
  repository: SchedulingRepository;
  reminders: ReminderScheduler;
  events: DomainEventBus;
  cipher: FieldCipher;
  audit: AuditLog;
  cache: ReadCache;
  /** The clock; tests and the series job pass their own. */
  now?: () => Date;
}

/** Availability, slots and the life of one appointment: who may do what, then the work. */
export class SchedulingService {
  private readonly now: () => Date;

  constructor(private readonly deps: SchedulingServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async availability(viewer: AuthenticatedUser, therapistId: string) {
    await this.requireOwnSchedule(viewer, therapistId);
    return this.deps.cache.read(cacheEntries.therapistAvailability(therapistId, viewer.id), async () => {
      const [templates, exceptions] = await Promise.all([
        this.deps.repository.templates(therapistId),
        this.deps.repository.exceptions(therapistId),
      ]);
      return { templates, exceptions };
    });
  }

  async setTemplates(viewer: AuthenticatedUser, therapistId: string, templates: AvailabilityTemplate[]) {
    await this.requireOwnSchedule(viewer, therapistId);
    await this.deps.repository.replaceTemplates(therapistId, templates);
    return this.availability(viewer, therapistId);
  }

  async setException(viewer: AuthenticatedUser, therapistId: string, exception: AvailabilityException) {
    await this.requireOwnSchedule(viewer, therapistId);
    await this.deps.repository.upsertException(therapistId, exception);
    return this.availability(viewer, therapistId);
  }

  async deleteException(viewer: AuthenticatedUser, therapistId: string, date: string): Promise<void> {
    await this.requireOwnSchedule(viewer, therapistId);
    if (!(await this.deps.repository.deleteException(therapistId, date))) throw new NotFoundError('Exception');
  }

  /**
   * The earliest bookable start of a listed therapist's session of `durationMinutes` within
   * `withinDays` (capped by their booking horizon), or null; for the directory's "next free slot".
   */
  async nextFreeSlot(therapistId: string, durationMinutes: number, withinDays: number): Promise<Date | null> {
    const therapist = await this.deps.repository.therapistSchedule(therapistId);
    if (!therapist || !isListed(therapist)) return null;
    const from = this.now();
    const to = new Date(from.getTime() + Math.min(withinDays, therapist.booking_horizon_days) * 86_400_000);
    const starts = (await this.computeFor(therapist, durationMinutes, from, to)).map((slot) => slot.start.toMillis());
    return starts.length ? new Date(Math.min(...starts)) : null;
  }

  /**
   * Bookable slots of a listed therapist for one appointment type, in the therapist's zone. A
   * cached answer loses the slots that have since come inside the therapist's notice.
   */
  async slots(therapistId: string, query: { from: string; to: string; type: string; mode?: 'online' | 'in_person' }) {
    const cached = await this.deps.cache.read(cacheEntries.therapistSlots(therapistId, query), () => this.computeSlots(therapistId, query));
    const earliest = this.now().getTime() + cached.noticeMinutes * 60_000;
    return { timezone: cached.timezone, slots: cached.slots.filter((slot) => Date.parse(slot.start) >= earliest) };
  }

  private async computeSlots(therapistId: string, query: { from: string; to: string; type: string; mode?: 'online' | 'in_person' }) {
    const therapist = await this.listedTherapist(therapistId);
    const zone = therapist.timezone;
    const from = parseBound(query.from, zone, 'from');
    const to = parseBound(query.to, zone, 'to');
    if (to <= from) throw new ValidationError('Invalid query', [{ path: 'to', message: 'must be after from' }]);
    if (to.getTime() - from.getTime() > MAX_SLOT_RANGE_DAYS * 86_400_000) {
      throw new ValidationError('Invalid query', [{ path: 'to', message: `at most ${MAX_SLOT_RANGE_DAYS} days after from` }]);
    }
    const duration = await this.durationOf(query.type);
    const slots = await this.computeFor(therapist, duration, from, to, query.mode);
    return { timezone: zone, noticeMinutes: therapist.min_notice_minutes, slots: slots.map((slot) => toSlot(slot)) };
  }

  /** A client books a slot: confirmed at once if the therapist allows, else requested for the therapist to confirm. */
  async book(viewer: AuthenticatedUser, request: BookAppointmentRequest): Promise<Appointment> {
    if (viewer.role !== 'client') throw new ForbiddenError('Only clients book appointments');
    const therapist = await this.listedTherapist(request.therapistId);
    const row = await this.bookSlot(
      {
        clientId: viewer.id,
        therapist,
        appointmentTypeId: request.appointmentTypeId,
        start: new Date(request.start),
        isOnline: request.isOnline,
        locationId: request.locationId,
        clientNotes: request.clientNotes,
        status: therapist.instant_confirmation ? 'confirmed' : 'requested',
      },
      viewer.id,
    );
    return toAppointment(row, therapist.timezone);
  }

  /**
   * A therapist proposes one of their slots to a client, anyone's or their own: the proposal
   * grants nothing (no clinical access, sharing or messages) until the client accepts it.
   */
  async propose(viewer: AuthenticatedUser, request: ProposeAppointmentRequest): Promise<Appointment> {
    if (viewer.role !== 'therapist') throw new ForbiddenError('Only therapists propose appointments');
    const therapist = await this.listedTherapist(viewer.id);
    await this.requireClient(request.clientId);
    const row = await this.bookSlot(
      {
        clientId: request.clientId,
        therapist,
        appointmentTypeId: request.appointmentTypeId,
        start: new Date(request.start),
        isOnline: request.isOnline,
        locationId: request.locationId,
        status: 'proposed',
      },
      viewer.id,
    );
    return toAppointment(row, therapist.timezone);
  }

  /**
   * The one booking path, for a client's booking, a therapist's proposal and a series occurrence:
   * the time must be one of the therapist's bookable slots (hours, exceptions, buffer, notice,
   * horizon); then, in one transaction, competing bookings of the therapist wait their turn, a
   * company-paid session is used (not by a proposal, which uses one once accepted), the row is
   * written and reminders of a confirmed one are queued.
   */
  async bookSlot(booking: SlotBooking, actorId: string | null): Promise<AppointmentRow> {
    const { repository } = this.deps;
    const { therapist, start, status } = booking;
    const duration = booking.durationMinutes ?? (await this.durationOf(booking.appointmentTypeId));
    const slot = await this.requireSlot(therapist, duration, start, booking.isOnline);
    const row = await repository.transaction(async (transaction) => {
      await repository.lockTherapistBookings(therapist.user_id, transaction);
      if (actorId) await this.deps.audit.setActor(actorId, transaction);
      if (usesCompanySession(status) && !(await repository.useEmployeeSession(booking.clientId, transaction))) {
        throw new ConflictError('SESSION_LIMIT_REACHED', 'The company’s therapy sessions are used up');
      }
      const created = await repository.insertAppointment(
        {
          clientId: booking.clientId,
          therapistId: therapist.user_id,
          appointmentTypeId: booking.appointmentTypeId,
          recurringAppointmentId: booking.recurringAppointmentId ?? null,
          start,
          end: new Date(start.getTime() + duration * 60_000),
          isOnline: booking.isOnline,
          locationId: booking.locationId ?? (booking.isOnline ? null : slot.locationId),
          status,
          clientNotes: booking.clientNotes ?? null,
        },
        transaction,
      );
      if (status === 'confirmed') await this.scheduleReminders(created, therapist.timezone, transaction);
      return created;
    });
    this.publish(`appointment.${status}`, row, actorId);
    return row;
  }

  /** The caller's own appointments (cached per caller and filter). */
  list(viewer: AuthenticatedUser, filters: { from?: string; to?: string; status?: AppointmentStatus }): Promise<Appointment[]> {
    return this.deps.cache.read(cacheEntries.userAppointments(viewer.id, filters), async () => {
      const rows = await this.deps.repository.listAppointments(viewer.id, filters);
      const zones = new Map<string, string>();
      for (const row of rows) if (!zones.has(row.therapist_id)) zones.set(row.therapist_id, await this.zoneOf(row.therapist_id));
      return rows.map((row) => toAppointment(row, zones.get(row.therapist_id)!));
    });
  }

  async get(viewer: AuthenticatedUser, id: string): Promise<Appointment> {
    const row = await this.deps.repository.findAppointment(id);
    if (!row) throw new NotFoundError('Appointment');
    partyOf(viewer, row);
    return toAppointment(row, await this.zoneOf(row.therapist_id));
  }

  /** accept, confirm, decline, cancel, complete or no_show, as the state machine allows. */
  async transition(
    viewer: AuthenticatedUser,
    id: string,
    action: Exclude<AppointmentAction, 'reschedule'>,
    body: { reason?: string; actualStart?: string; actualEnd?: string } = {},
  ): Promise<Appointment> {
    const { row, zone } = await this.transitionRow(viewer, id, action, body);
    return toAppointment(row, zone);
  }

  /** The work of `transition`, answering the row (a series accepts its occurrences through it). */
  async transitionRow(
    viewer: AuthenticatedUser,
    id: string,
    action: Exclude<AppointmentAction, 'reschedule'>,
    body: { reason?: string; actualStart?: string; actualEnd?: string } = {},
  ): Promise<{ row: AppointmentRow; zone: string }> {
    const { repository } = this.deps;
    const now = this.now();
    let zone = '';
    const row = await repository.transaction(async (transaction) => {
      await this.deps.audit.setActor(viewer.id, transaction);
      const current = await repository.findAppointment(id, transaction, true);
      if (!current) throw new NotFoundError('Appointment');
      const party = partyOf(viewer, current);
      const status = nextStatus(current.status, action, party);
      zone = await this.zoneOf(current.therapist_id, transaction);
      const changes: Record<string, unknown> = { status };
      if (action === 'complete' || action === 'no_show') {
        if (current.scheduled_start > now) {
          throw new ConflictError('INVALID_TRANSITION', 'The appointment has not started yet', { from: current.status, action });
        }
      }
      if (action === 'accept') {
        if (current.scheduled_start <= now) throw new ConflictError('INVALID_TRANSITION', 'The proposed time has passed', { from: current.status, action });
        // It now takes the slot: wait for competing bookings like a booking does.
        await repository.lockTherapistBookings(current.therapist_id, transaction);
        if (!(await repository.useEmployeeSession(current.client_id, transaction))) {
          throw new ConflictError('SESSION_LIMIT_REACHED', 'The company’s therapy sessions are used up');
        }
      }
      if (action === 'complete') {
        changes.actual_start = body.actualStart ? new Date(body.actualStart) : current.scheduled_start;
        changes.actual_end = body.actualEnd ? new Date(body.actualEnd) : current.scheduled_end;
      }
      if (action === 'cancel' || action === 'decline') {
        const late = action === 'cancel' && current.scheduled_start.getTime() - now.getTime() < LATE_CANCELLATION_MS;
        Object.assign(changes, {
          cancellation_reason: body.reason ?? null,
          cancelled_by: viewer.id,
          cancelled_at: now,
          is_late_cancellation: late,
        });
        // A late cancellation still uses up the company-paid session; a proposal never used one.
        if (!late && usesCompanySession(current.status)) await repository.releaseEmployeeSession(current.client_id, transaction);
      }
      const updated = await repository.updateAppointment(id, changes, transaction);
      if (status === 'confirmed') await this.scheduleReminders(updated, zone, transaction);
      if (status === 'cancelled' || status === 'declined') await this.deps.reminders.remove(id, transaction);
      return updated;
    });
    const eventName = ({ accept: 'appointment.confirmed', confirm: 'appointment.confirmed', decline: 'appointment.declined', cancel: 'appointment.cancelled', complete: 'appointment.completed', no_show: 'appointment.no_show' } as const)[action];
    this.publish(eventName, row, viewer.id);
    return { row, zone };
  }

  /** Moves an appointment: the old one becomes `rescheduled`, a new one points back with `rescheduled_from`. */
  async reschedule(viewer: AuthenticatedUser, id: string, startIso: string, reason?: string): Promise<Appointment> {
    const { repository } = this.deps;
    const existing = await repository.findAppointment(id);
    if (!existing) throw new NotFoundError('Appointment');
    const party = partyOf(viewer, existing);
    nextStatus(existing.status, 'reschedule', party);
    const therapist = (await repository.therapistSchedule(existing.therapist_id))!;
    const duration = Math.round((existing.scheduled_end.getTime() - existing.scheduled_start.getTime()) / 60_000);
    const start = new Date(startIso);
    const slot = await this.requireSlot(therapist, duration, start, existing.is_online, existing.id);
    const confirmed = party === 'therapist' || therapist.instant_confirmation;

    const { moved, replacement } = await repository.transaction(async (transaction) => {
      await repository.lockTherapistBookings(existing.therapist_id, transaction);
      await this.deps.audit.setActor(viewer.id, transaction);
      const current = (await repository.findAppointment(id, transaction, true))!;
      nextStatus(current.status, 'reschedule', party);
      const old = await repository.updateAppointment(
        id,
        { status: 'rescheduled', cancellation_reason: reason ?? null, cancelled_by: viewer.id, cancelled_at: this.now() },
        transaction,
      );
      await this.deps.reminders.remove(id, transaction);
      const created = await repository.insertAppointment(
        {
          clientId: current.client_id,
          therapistId: current.therapist_id,
          appointmentTypeId: current.appointment_type_id!,
          recurringAppointmentId: current.recurring_appointment_id,
          start,
          end: new Date(start.getTime() + duration * 60_000),
          isOnline: current.is_online,
          locationId: current.location_id ?? slot.locationId,
          status: confirmed ? 'confirmed' : 'requested',
          clientNotes: current.client_notes,
          rescheduledFrom: current.id,
        },
        transaction,
      );
      if (confirmed) await this.scheduleReminders(created, therapist.timezone, transaction);
      return { moved: old, replacement: created };
    });
    this.deps.events.publish('appointment.rescheduled', { ...eventPayload(replacement, viewer.id), rescheduledFrom: moved.id });
    return toAppointment(replacement, therapist.timezone);
  }

  async readPrivateNotes(viewer: AuthenticatedUser, id: string): Promise<{ notes: string | null }> {
    const row = await this.therapistOnly(viewer, id, 'read');
    await this.deps.audit.record({ actorId: viewer.id, action: 'appointment_private_notes.read', entityType: 'appointment', entityId: id });
    return { notes: this.deps.cipher.decryptNullable(row.therapist_private_notes) };
  }

  async writePrivateNotes(viewer: AuthenticatedUser, id: string, notes: string): Promise<void> {
    await this.therapistOnly(viewer, id, 'write');
    const sealed = this.deps.cipher.encrypt(notes);
    await this.deps.repository.transaction(async (transaction) => {
      await this.deps.audit.setActor(viewer.id, transaction);
      await this.deps.repository.setPrivateNotes(id, sealed, this.deps.cipher.currentKeyId, transaction);
    });
    await this.deps.audit.record({ actorId: viewer.id, action: 'appointment_private_notes.write', entityType: 'appointment', entityId: id });
  }

  /** Reminders of a newly confirmed appointment, in the same transaction as the change. */
  async scheduleReminders(row: AppointmentRow, zone: string, transaction: Transaction): Promise<void> {
    const people = await this.deps.repository.participants([row.client_id, row.therapist_id], transaction);
    await this.deps.reminders.schedule(row, zone, people, transaction, this.now());
  }

  private publish(name: AppointmentEventName, row: AppointmentRow, actorId: string | null): void {
    publishAppointmentEvent(this.deps.events, name, row, actorId);
  }

  /** The appointment, if the viewer is its therapist; any other attempt is refused and audited as denied. */
  private async therapistOnly(viewer: AuthenticatedUser, id: string, verb: 'read' | 'write'): Promise<AppointmentRow> {
    const row = await this.deps.repository.findAppointment(id);
    const refusal = !row || (viewer.id !== row.therapist_id && viewer.id !== row.client_id)
      ? new NotFoundError('Appointment')
      : viewer.id !== row.therapist_id ? new ForbiddenError('Private notes are the therapist’s only') : null;
    if (refusal) {
      await this.deps.audit.recordDenied({ actorId: viewer.id, entityType: 'appointment_private_notes', entityIds: [id], verb });
      throw refusal;
    }
    return row!;
  }

  /** The slot must be one the therapist offers at this moment (hours, exceptions, buffer, notice, horizon). */
  async requireSlot(therapist: TherapistSchedule, duration: number, start: Date, online: boolean, ignoreId?: string): Promise<ComputedSlot> {
    const rules = await this.rules(therapist, duration, start, new Date(start.getTime() + 1), online ? 'online' : 'in_person', ignoreId);
    const free = computeSlots(rules, start, new Date(start.getTime() + 1)).find((slot) => slot.start.toMillis() === start.getTime());
    if (free) return free;
    const offered = computeSlots({ ...rules, busy: [] }, start, new Date(start.getTime() + 1)).length > 0;
    const end = start.getTime() + duration * 60_000;
    if (offered && rules.busy.some((taken) => taken.start.getTime() < end && taken.end.getTime() > start.getTime())) {
      throw new ConflictError('SLOT_TAKEN', 'This time is already booked', { overlapsWith: 'therapist' });
    }
    throw new ConflictError('SLOT_UNAVAILABLE', 'This time is not one of the therapist’s bookable slots');
  }

  private async computeFor(therapist: TherapistSchedule, duration: number, from: Date, to: Date, mode?: 'online' | 'in_person') {
    return computeSlots(await this.rules(therapist, duration, from, to, mode), from, to);
  }

  private async rules(therapist: TherapistSchedule, duration: number, from: Date, to: Date, mode?: 'online' | 'in_person', ignoreId?: string) {
    const { repository } = this.deps;
    const zone = therapist.timezone;
    const now = this.now();
    const margin = 86_400_000;
    const [templates, exceptions, busy] = await Promise.all([
      repository.templates(therapist.user_id),
      repository.exceptions(
        therapist.user_id,
        DateTime.fromJSDate(new Date(from.getTime() - margin), { zone }).toISODate()!,
        DateTime.fromJSDate(new Date(to.getTime() + margin), { zone }).toISODate()!,
      ),
      repository.busy(therapist.user_id, new Date(from.getTime() - margin), new Date(to.getTime() + margin)),
    ]);
    return {
      zone,
      templates,
      exceptions,
      busy: busy.filter((taken) => taken.id !== ignoreId),
      durationMinutes: duration,
      bufferMinutes: therapist.buffer_minutes,
      earliestStart: new Date(now.getTime() + therapist.min_notice_minutes * 60_000),
      latestStart: new Date(now.getTime() + therapist.booking_horizon_days * 86_400_000),
      mode,
    };
  }

  /** A client account that may be booked for; anyone else is "not found". */
  async requireClient(id: string): Promise<void> {
    if (!(await this.deps.repository.isActiveClient(id))) throw new NotFoundError('Client');
  }

  async listedTherapist(id: string): Promise<TherapistSchedule> {
    const therapist = await this.deps.repository.therapistSchedule(id);
    if (!therapist || !isListed(therapist)) throw new NotFoundError('Therapist');
    return therapist;
  }

  async durationOf(appointmentTypeId: string): Promise<number> {
    const duration = await this.deps.repository.appointmentTypeDuration(appointmentTypeId);
    if (duration === null) throw new NotFoundError('Appointment type');
    return duration;
  }

  /** Inside a transaction, pass it: a second pool connection per locked row could starve the pool. */
  private async zoneOf(therapistId: string, transaction?: Transaction): Promise<string> {
    return (await this.deps.repository.therapistSchedule(therapistId, transaction))?.timezone ?? 'Europe/Athens';
  }

  private async requireOwnSchedule(viewer: AuthenticatedUser, therapistId: string): Promise<void> {
    if (viewer.role !== 'super_admin' && viewer.id !== therapistId) throw new ForbiddenError('You may only manage your own schedule');
    if (!(await this.deps.repository.therapistSchedule(therapistId))) throw new NotFoundError('Therapist');
  }
}

/** Which side of the appointment the viewer is on; anyone else is told it does not exist. */
export function partyOf(viewer: AuthenticatedUser, row: Pick<AppointmentRow, 'therapist_id' | 'client_id'>): Party {
  if (viewer.id === row.therapist_id) return 'therapist';
  if (viewer.id === row.client_id) return 'client';
  throw new NotFoundError('Appointment');
}

/** A bare date is the start of that day in the zone (`to`: the end of it); a date-time is taken as it is. */
function parseBound(value: string, zone: string, which: 'from' | 'to'): Date {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const day = DateTime.fromISO(value, { zone });
    return (which === 'from' ? day : day.plus({ days: 1 })).toJSDate();
  }
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) throw new AppError('VALIDATION_FAILED', 'Invalid query', [{ path: which, message: 'not a date' }]);
  return parsed;
}

function toSlot(slot: ComputedSlot) {
  return {
    start: slot.start.toISO({ suppressMilliseconds: true })!,
    end: slot.end.toISO({ suppressMilliseconds: true })!,
    online: slot.online,
    inPerson: slot.inPerson,
    locationId: slot.locationId,
  };
}

export function toAppointment(row: AppointmentRow, zone: string): Appointment {
  const iso = (value: Date | null) => (value ? toIsoInZone(value, zone) : null);
  return {
    id: row.id,
    therapistId: row.therapist_id,
    clientId: row.client_id,
    appointmentTypeId: row.appointment_type_id,
    recurringAppointmentId: row.recurring_appointment_id,
    status: row.status,
    scheduledStart: iso(row.scheduled_start)!,
    scheduledEnd: iso(row.scheduled_end)!,
    actualStart: iso(row.actual_start),
    actualEnd: iso(row.actual_end),
    isOnline: row.is_online,
    locationId: row.location_id,
    clientNotes: row.client_notes,
    cancellationReason: row.cancellation_reason,
    cancelledBy: row.cancelled_by,
    cancelledAt: iso(row.cancelled_at),
    isLateCancellation: row.is_late_cancellation,
    rescheduledFrom: row.rescheduled_from,
  };
}

export function eventPayload(row: AppointmentRow, actorId: string | null) {
  return {
    appointmentId: row.id,
    therapistId: row.therapist_id,
    clientId: row.client_id,
    status: row.status,
    scheduledStart: row.scheduled_start.toISOString(),
    scheduledEnd: row.scheduled_end.toISOString(),
    isOnline: row.is_online,
    actorId,
  };
}

export type AppointmentEventName =
  | 'appointment.proposed'
  | 'appointment.requested'
  | 'appointment.confirmed'
  | 'appointment.declined'
  | 'appointment.cancelled'
  | 'appointment.completed'
  | 'appointment.no_show';

/** Publishes a change after its transaction committed, with the fields its event carries. */
export function publishAppointmentEvent(events: DomainEventBus, name: AppointmentEventName, row: AppointmentRow, actorId: string | null): void {
  const base = eventPayload(row, actorId);
  if (name === 'appointment.cancelled') {
    events.publish(name, { ...base, reason: row.cancellation_reason, cancelledBy: row.cancelled_by, lateCancellation: row.is_late_cancellation });
  } else if (name === 'appointment.declined') {
    events.publish(name, { ...base, reason: row.cancellation_reason });
  } else {
    events.publish(name, base);
  }
}
