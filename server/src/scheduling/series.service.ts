import { DateTime } from 'luxon';
import { UniqueConstraintError } from 'sequelize';
import { AppError, ConflictError, ForbiddenError, NotFoundError, type CreateSeriesRequest, type Series } from '@therapy-field/sync';
import { formatWhen, type EmailQueue } from '../email/index.js';
import type { AuditLog } from '../audit/index.js';
import type { DomainEventBus } from '../events/index.js';
import type { AuthenticatedUser } from '../http/index.js';
import type { Logger } from '../logger/index.js';
import type { ReminderScheduler } from './reminders.js';
import { usesCompanySession } from './appointment-state.js';
import type { AppointmentRow, SchedulingRepository, SeriesRow, TherapistSchedule } from './scheduling.repository.js';
import { partyOf, publishAppointmentEvent, toAppointment, type SchedulingService } from './scheduling.service.js';
import type { DateException } from './slots.js';

type ConflictReason = 'exception' | 'overlap' | 'session_limit' | 'unavailable';

/** Why an occurrence could not be booked, from the booking path's refusal; undefined for anything else. */
function conflictReason(error: unknown): Exclude<ConflictReason, 'exception'> | undefined {
  if (!(error instanceof ConflictError)) return undefined;
  if (error.code === 'SLOT_TAKEN') return 'overlap';
  if (error.code === 'SLOT_UNAVAILABLE') return 'unavailable';
  if (error.code === 'SESSION_LIMIT_REACHED') return 'session_limit';
  return undefined;
}

export interface SeriesServiceDeps {
  repository: SchedulingRepository;
  audit: AuditLog;
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
 * Occurrences are booked `horizonWeeks` ahead (on creation, then by the job runner) through the
 * same booking path as single appointments; one that falls on a closed day or outside the hours,
 * overlaps another booking or exceeds the company's session limit is recorded and reported to the
 * therapist (notification, email, event) instead of being dropped.
 */
export class SeriesService {
  private readonly now: () => Date;

  constructor(private readonly deps: SeriesServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * A client starts a series with a therapist (occurrences follow the therapist's confirmation
   * policy), or a therapist proposes one to a client (occurrences wait as `proposed` until the
   * client accepts the series). Either way the series' time must be one of the therapist's
   * bookable slots: a series none of whose coming occurrences is one is refused (409 SLOT_UNAVAILABLE).
   */
  async create(viewer: AuthenticatedUser, request: CreateSeriesRequest): Promise<Series> {
    const { repository, scheduling } = this.deps;
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
    const therapist = await scheduling.listedTherapist(therapistId);
    if (clientId === therapistId) throw new NotFoundError('Client');
    await scheduling.requireClient(clientId);
    const duration = await scheduling.durationOf(request.appointmentTypeId);
    const draft = {
      frequency: request.frequency,
      start_date: request.startDate,
      end_date: request.endDate ?? null,
      time_of_day: request.time,
    };
    await this.requireBookableTime(therapist, duration, draft, request.isOnline);

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
      proposal_status: viewer.role === 'therapist' ? 'proposed' : null,
    });
    await this.materialize(series);
    return this.view(viewer, series.id);
  }

  /**
   * The client accepts a proposed series: each waiting occurrence is accepted as a single
   * proposal is (one that lost its slot or finds the company's sessions used up is declined and
   * reported), and later occurrences are booked confirmed.
   */
  async accept(viewer: AuthenticatedUser, id: string): Promise<Series> {
    await this.answer(viewer, id, 'accepted');
    const { repository, scheduling } = this.deps;
    const series = (await repository.findSeries(id))!;
    const zone = (await repository.therapistSchedule(series.therapist_id))?.timezone ?? 'Europe/Athens';
    for (const occurrence of await repository.seriesAppointments(id)) {
      if (occurrence.status !== 'proposed') continue;
      try {
        await scheduling.transitionRow(viewer, occurrence.id, 'accept');
      } catch (error) {
        const reason = conflictReason(error);
        if (!reason) throw error;
        await scheduling.transitionRow(viewer, occurrence.id, 'decline', { reason: 'not bookable when the series was accepted' });
        await this.report(series, occurrence.scheduled_start, reason, zone);
      }
    }
    await this.materialize(series);
    return this.view(viewer, id);
  }

  /** The client declines a proposed series: its waiting occurrences are declined and nothing more is booked. */
  async decline(viewer: AuthenticatedUser, id: string, reason?: string): Promise<Series> {
    await this.answer(viewer, id, 'declined');
    for (const occurrence of await this.deps.repository.seriesAppointments(id)) {
      if (occurrence.status === 'proposed') await this.deps.scheduling.transitionRow(viewer, occurrence.id, 'decline', { reason });
    }
    return this.view(viewer, id);
  }

  /** Records the client's answer once; only the client answers, and only a waiting proposal. */
  private async answer(viewer: AuthenticatedUser, id: string, answer: 'accepted' | 'declined'): Promise<void> {
    const { repository } = this.deps;
    await repository.transaction(async (transaction) => {
      const series = await repository.findSeries(id, transaction, true);
      if (!series) throw new NotFoundError('Series');
      if (partyOf(viewer, series) !== 'client') throw new ForbiddenError('Only the client answers a proposed series');
      if (series.proposal_status !== 'proposed') {
        throw new ConflictError('INVALID_TRANSITION', 'This series is not a proposal waiting for an answer', { from: series.proposal_status, action: answer });
      }
      await repository.answerSeriesProposal(id, answer, transaction);
    });
  }

  /** Some coming occurrence must be one of the therapist's slots (free or taken): not 03:00, not outside hours. */
  private async requireBookableTime(
    therapist: TherapistSchedule,
    duration: number,
    draft: Pick<SeriesRow, 'frequency' | 'start_date' | 'end_date' | 'time_of_day'>,
    online: boolean,
  ): Promise<void> {
    const now = this.now().getTime();
    const horizon = Math.min(this.horizonEnd(therapist), now + this.deps.horizonWeeks * 7 * 86_400_000);
    for (const start of occurrences(draft, therapist.timezone)) {
      if (start.toMillis() > horizon) break;
      if (start.toMillis() <= now) continue;
      try {
        await this.deps.scheduling.requireSlot(therapist, duration, start.toJSDate(), online);
        return;
      } catch (error) {
        if (!(error instanceof ConflictError && error.code === 'SLOT_TAKEN')) {
          if (error instanceof ConflictError && error.code === 'SLOT_UNAVAILABLE') continue;
          throw error;
        }
        return;
      }
    }
    throw new ConflictError('SLOT_UNAVAILABLE', 'No coming occurrence of this series is one of the therapist’s bookable slots', {
      time: draft.time_of_day,
      timezone: therapist.timezone,
    });
  }

  /** The last moment the therapist takes bookings for, as of now. */
  private horizonEnd(therapist: TherapistSchedule): number {
    return this.now().getTime() + therapist.booking_horizon_days * 86_400_000;
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
      proposalStatus: series.proposal_status,
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
      await this.deps.audit.setActor(viewer.id, transaction);
      const rows: AppointmentRow[] = [];
      for (const occurrence of await repository.seriesAppointments(id, from, transaction, true)) {
        if (occurrence.status !== 'proposed' && occurrence.status !== 'requested' && occurrence.status !== 'confirmed') continue;
        const late = occurrence.scheduled_start.getTime() - now.getTime() < 24 * 3600_000;
        rows.push(
          await repository.updateAppointment(
            occurrence.id,
            { status: 'cancelled', cancellation_reason: reason ?? null, cancelled_by: viewer.id, cancelled_at: now, is_late_cancellation: late },
            transaction,
          ),
        );
        if (!late && usesCompanySession(occurrence.status)) await repository.releaseEmployeeSession(occurrence.client_id, transaction);
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
    if (series.proposal_status === 'declined') return result;
    const therapist = await repository.therapistSchedule(series.therapist_id);
    const duration = series.appointment_type_id ? await repository.appointmentTypeDuration(series.appointment_type_id) : null;
    if (!therapist || duration === null) return result;
    const zone = therapist.timezone;
    const now = this.now();
    // Occurrences past the therapist's booking horizon wait for a later run.
    const horizon = Math.min(now.getTime() + this.deps.horizonWeeks * 7 * 86_400_000, this.horizonEnd(therapist));
    const handled = await repository.handledOccurrences(series.id);
    const exceptions = await repository.exceptions(series.therapist_id);

    for (const start of occurrences(series, zone)) {
      if (start.toMillis() > horizon) break;
      if (start.toMillis() <= now.getTime() || handled.has(start.toMillis())) continue;
      const end = start.plus({ minutes: duration });
      const outcome = await this.bookOccurrence(series, therapist, duration, start.toJSDate());
      if (outcome === 'booked') result.booked += 1;
      else if (outcome !== 'skipped') {
        const reason = outcome === 'unavailable' && closedByException(exceptions, start, end, zone) ? 'exception' : outcome;
        result.conflicts += 1;
        await this.report(series, start.toJSDate(), reason, zone);
      }
    }
    return result;
  }

  /**
   * Books one occurrence through the one booking path. Its status: `proposed` while the client
   * has not accepted the therapist's proposal, `confirmed` once they have, and for the client's own
   * series whatever the therapist's confirmation policy gives a single booking.
   */
  private async bookOccurrence(series: SeriesRow, therapist: TherapistSchedule, duration: number, start: Date): Promise<'booked' | 'skipped' | ConflictReason> {
    const status =
      series.proposal_status === 'proposed' ? 'proposed'
      : series.proposal_status === 'accepted' || therapist.instant_confirmation ? 'confirmed'
      : 'requested';
    try {
      await this.deps.scheduling.bookSlot(
        {
          clientId: series.client_id,
          therapist,
          appointmentTypeId: series.appointment_type_id!,
          durationMinutes: duration,
          recurringAppointmentId: series.id,
          start,
          isOnline: series.session_type !== 'in_person',
          locationId: series.location_id,
          status,
        },
        null,
      );
      return 'booked';
    } catch (error) {
      const reason = conflictReason(error);
      if (reason) return reason;
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
