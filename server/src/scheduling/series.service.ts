import { DateTime } from 'luxon';
import { UniqueConstraintError } from 'sequelize';
import { AppError, ConflictError, ForbiddenError, NotFoundError, type CreateSeriesRequest, type Series } from '@therapy-field/sync';
import { isListed } from '../directory/index.js';
import { formatWhen, type EmailQueue } from '../email/index.js';
import type { DomainEventBus } from '../events/index.js';
import type { AuthenticatedUser } from '../http/index.js';
import type { Logger } from '../logger/index.js';
import type { ReminderScheduler } from './reminders.js';
import type { AppointmentRow, SchedulingRepository, SeriesRow } from './scheduling.repository.js';
import { partyOf, publishAppointmentEvent, toAppointment, type SchedulingService } from './scheduling.service.js';
import type { DateException } from './slots.js';

type ConflictReason = 'exception' | 'overlap' | 'session_limit';

export interface SeriesServiceDeps {
  repository: SchedulingRepository;
  scheduling: SchedulingService;
  reminders: ReminderScheduler;
  emails: EmailQueue;
  events: DomainEventBus;
  logger: Logger;
  /** Occurrences are booked this many weeks ahead. */
  horizonWeeks: number;
  now?: () => Date;
}

/**
 * Recurring series: weekly, biweekly or monthly at one wall-clock time in the therapist's zone.
 * Occurrences are booked `horizonWeeks` ahead (on creation, then by the job runner); one that
 * falls on a closed day, overlaps another booking or exceeds the company's session limit is
 * recorded and reported to the therapist (notification, email, event) instead of being dropped.
 */
export class SeriesService {
  private readonly now: () => Date;

  constructor(private readonly deps: SeriesServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async create(viewer: AuthenticatedUser, request: CreateSeriesRequest): Promise<Series> {
    const { repository } = this.deps;
    let therapistId: string;
    let clientId: string;
    if (viewer.role === 'therapist') {
      if (!request.clientId) throw new AppError('VALIDATION_FAILED', 'Invalid body', [{ path: 'clientId', message: 'required for a therapist' }]);
      [therapistId, clientId] = [viewer.id, request.clientId];
    } else if (viewer.role === 'client') {
      if (!request.therapistId) throw new AppError('VALIDATION_FAILED', 'Invalid body', [{ path: 'therapistId', message: 'required for a client' }]);
      [therapistId, clientId] = [request.therapistId, viewer.id];
    } else {
      throw new ForbiddenError('Only a therapist or a client creates a series');
    }
    const therapist = await repository.therapistSchedule(therapistId);
    if (!therapist || !isListed(therapist)) throw new NotFoundError('Therapist');
    const client = await repository.participants([clientId]);
    if (client.length === 0 || clientId === therapistId) throw new NotFoundError('Client');
    if ((await repository.appointmentTypeDuration(request.appointmentTypeId)) === null) throw new NotFoundError('Appointment type');

    const series = await repository.createSeries({
      client_id: clientId,
      therapist_id: therapistId,
      appointment_type_id: request.appointmentTypeId,
      frequency: request.frequency,
      day_of_week: DateTime.fromISO(request.startDate).weekday % 7,
      time_of_day: request.time,
      location_id: request.locationId ?? null,
      session_type: request.isOnline ? 'online' : 'in_person',
      start_date: request.startDate,
      end_date: request.endDate ?? null,
    });
    await this.materialize(series);
    return this.view(viewer, series.id);
  }

  async view(viewer: AuthenticatedUser, id: string): Promise<Series> {
    const { repository } = this.deps;
    const series = await repository.findSeries(id);
    if (!series) throw new NotFoundError('Series');
    partyOf(viewer, series);
    const zone = (await repository.therapistSchedule(series.therapist_id))?.timezone ?? 'Europe/Athens';
    const [appointments, conflicts] = await Promise.all([repository.seriesAppointments(id), repository.conflicts(id)]);
    return {
      id: series.id,
      therapistId: series.therapist_id,
      clientId: series.client_id,
      appointmentTypeId: series.appointment_type_id,
      frequency: series.frequency,
      startDate: series.start_date,
      endDate: series.end_date,
      time: series.time_of_day.slice(0, 5),
      isActive: series.is_active,
      appointments: appointments.map((row) => toAppointment(row, zone)),
      conflicts: conflicts.map((conflict) => ({
        occurrenceStart: DateTime.fromJSDate(conflict.occurrence_start, { zone }).toISO({ suppressMilliseconds: true })!,
        reason: conflict.reason,
      })),
    };
  }

  /** Cancels every active occurrence from `from` on and ends the series there. */
  async cancelRest(viewer: AuthenticatedUser, id: string, fromIso: string | undefined, reason: string | undefined): Promise<Series> {
    const { repository } = this.deps;
    const series = await repository.findSeries(id);
    if (!series) throw new NotFoundError('Series');
    partyOf(viewer, series);
    const now = this.now();
    const from = fromIso ? new Date(fromIso) : now;
    const zone = (await repository.therapistSchedule(series.therapist_id))?.timezone ?? 'Europe/Athens';
    const cancelled = await repository.transaction(async (transaction) => {
      const rows: AppointmentRow[] = [];
      for (const occurrence of await repository.seriesAppointments(id, from, transaction, true)) {
        if (occurrence.status !== 'requested' && occurrence.status !== 'confirmed') continue;
        const late = occurrence.scheduled_start.getTime() - now.getTime() < 24 * 3600_000;
        rows.push(
          await repository.updateAppointment(
            occurrence.id,
            { status: 'cancelled', cancellation_reason: reason ?? null, cancelled_by: viewer.id, cancelled_at: now, is_late_cancellation: late },
            transaction,
          ),
        );
        if (!late) await repository.releaseEmployeeSession(occurrence.client_id, transaction);
        await this.deps.reminders.remove(occurrence.id, transaction);
      }
      const lastDay = DateTime.fromJSDate(from, { zone }).minus({ days: 1 }).toISODate();
      await repository.endSeries(id, lastDay, transaction);
      return rows;
    });
    for (const row of cancelled) publishAppointmentEvent(this.deps.events, 'appointment.cancelled', row, viewer.id);
    return this.view(viewer, id);
  }

  /** The job: books what is due of every active series. */
  async materializeAll(): Promise<{ booked: number; conflicts: number }> {
    const totals = { booked: 0, conflicts: 0 };
    for (const series of await this.deps.repository.activeSeries()) {
      const result = await this.materialize(series);
      totals.booked += result.booked;
      totals.conflicts += result.conflicts;
    }
    return totals;
  }

  async materialize(series: SeriesRow): Promise<{ booked: number; conflicts: number }> {
    const { repository } = this.deps;
    const result = { booked: 0, conflicts: 0 };
    const therapist = await repository.therapistSchedule(series.therapist_id);
    const duration = series.appointment_type_id ? await repository.appointmentTypeDuration(series.appointment_type_id) : null;
    if (!therapist || duration === null) return result;
    const zone = therapist.timezone;
    const now = this.now();
    const horizon = now.getTime() + this.deps.horizonWeeks * 7 * 86_400_000;
    const handled = await repository.handledOccurrences(series.id);
    const exceptions = await repository.exceptions(series.therapist_id);

    for (const start of occurrences(series, zone)) {
      if (start.toMillis() > horizon) break;
      if (start.toMillis() <= now.getTime() || handled.has(start.toMillis())) continue;
      const end = start.plus({ minutes: duration });
      const closed = closedByException(exceptions, start, end, zone);
      const outcome = closed ? 'exception' : await this.bookOccurrence(series, start.toJSDate(), end.toJSDate(), zone);
      if (outcome === 'booked') result.booked += 1;
      else if (outcome !== 'skipped') {
        result.conflicts += 1;
        await this.report(series, start.toJSDate(), outcome, zone);
      }
    }
    return result;
  }

  private async bookOccurrence(series: SeriesRow, start: Date, end: Date, zone: string): Promise<'booked' | 'skipped' | ConflictReason> {
    const { repository } = this.deps;
    try {
      const row = await repository.transaction(async (transaction) => {
        if (!(await repository.useEmployeeSession(series.client_id, transaction))) {
          throw new ConflictError('SESSION_LIMIT_REACHED', 'sessions used up');
        }
        const created = await repository.insertAppointment(
          {
            clientId: series.client_id,
            therapistId: series.therapist_id,
            appointmentTypeId: series.appointment_type_id!,
            recurringAppointmentId: series.id,
            start,
            end,
            isOnline: series.session_type !== 'in_person',
            locationId: series.location_id,
            status: 'confirmed',
            clientNotes: null,
          },
          transaction,
        );
        await this.deps.scheduling.scheduleReminders(created, zone, transaction);
        return created;
      });
      publishAppointmentEvent(this.deps.events, 'appointment.confirmed', row, null);
      return 'booked';
    } catch (error) {
      if (error instanceof ConflictError && error.code === 'SLOT_TAKEN') return 'overlap';
      if (error instanceof ConflictError && error.code === 'SESSION_LIMIT_REACHED') return 'session_limit';
      // Another node booked this occurrence first.
      if (error instanceof UniqueConstraintError) return 'skipped';
      throw error;
    }
  }

  private async report(series: SeriesRow, occurrenceStart: Date, reason: ConflictReason, zone: string): Promise<void> {
    const { repository } = this.deps;
    const reported = await repository.transaction(async (transaction) => {
      if (!(await repository.recordConflict(series.id, occurrenceStart, reason, transaction))) return false;
      const [therapist, client] = await Promise.all([
        repository.participants([series.therapist_id], transaction),
        repository.participants([series.client_id], transaction),
      ]);
      if (!therapist[0] || !client[0]) return true;
      const when = formatWhen(occurrenceStart.toISOString(), zone, therapist[0].language);
      const clientName = `${client[0].first_name} ${client[0].last_name}`;
      await repository.notify(
        series.therapist_id,
        'appointment.series_conflict',
        therapist[0].language === 'el' ? 'Συνεδρία σειράς δεν κλείστηκε' : 'Series session not booked',
        `${clientName}: ${when} (${reason})`,
        { recurringAppointmentId: series.id, occurrenceStart: occurrenceStart.toISOString(), reason },
        transaction,
      );
      await this.deps.emails.enqueue(
        {
          userId: therapist[0].id,
          to: therapist[0].email,
          template: 'series_conflict',
          language: therapist[0].language,
          data: { name: therapist[0].first_name, client: clientName, when, reason },
          dedupeKey: `series:${series.id}:conflict:${occurrenceStart.toISOString()}`,
        },
        transaction,
      );
      return true;
    });
    if (!reported) return;
    this.deps.logger.info({ recurringAppointmentId: series.id, reason }, 'series occurrence not booked');
    this.deps.events.publish('appointment.series_conflict', {
      recurringAppointmentId: series.id,
      therapistId: series.therapist_id,
      clientId: series.client_id,
      occurrenceStart: occurrenceStart.toISOString(),
      reason,
    });
  }
}

/** Occurrence starts of a series, in order, each at its wall-clock time in the zone (DST-proof). */
export function* occurrences(series: Pick<SeriesRow, 'frequency' | 'start_date' | 'end_date' | 'time_of_day'>, zone: string): Generator<DateTime> {
  const first = DateTime.fromISO(`${series.start_date}T${series.time_of_day}`, { zone });
  for (let index = 0; ; index += 1) {
    const step = series.frequency === 'monthly' ? { months: index } : { weeks: index * (series.frequency === 'biweekly' ? 2 : 1) };
    const start = first.plus(step);
    if (series.end_date && start.toISODate()! > series.end_date) return;
    yield start;
  }
}

/** A closed day, or closed hours overlapping `[start, end)`, on the occurrence's local date. */
function closedByException(exceptions: DateException[], start: DateTime, end: DateTime, zone: string): boolean {
  const date = start.toISODate()!;
  const exception = exceptions.find((candidate) => candidate.date === date && !candidate.isAvailable);
  if (!exception) return false;
  if (exception.startTime === null || exception.endTime === null) return true;
  const closedFrom = DateTime.fromISO(`${date}T${exception.startTime}`, { zone });
  const closedTo = DateTime.fromISO(`${date}T${exception.endTime}`, { zone });
  return start < closedTo && end > closedFrom;
}
