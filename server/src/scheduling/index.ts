import type { MiddlewareHandler } from 'hono';
import type { Sequelize } from 'sequelize';
import type { AuditLog } from '../audit/index.js';
import type { ReadCache } from '../cache/index.js';
import type { FieldCipher } from '../crypto/index.js';
import type { EmailQueue } from '../email/index.js';
import type { DomainEventBus } from '../events/index.js';
import type { AppEnv } from '../http/index.js';
import type { Logger } from '../logger/index.js';
import { CalendarService } from './calendar.service.js';
import { ReminderScheduler } from './reminders.js';
import { SchedulingRepository } from './scheduling.repository.js';
import { schedulingRoutes } from './scheduling.routes.js';
import { SchedulingService } from './scheduling.service.js';
import { SeriesService } from './series.service.js';

export { computeSlots, toIsoInZone, type ComputedSlot, type SlotRules } from './slots.js';
export { occurrences as seriesOccurrences } from './series.service.js';
export { nextStatus, activeStatuses, type AppointmentAction } from './appointment-state.js';
export type { SchedulingService } from './scheduling.service.js';
export type { SeriesService } from './series.service.js';

export interface SchedulingModuleDeps {
  sequelize: Sequelize;
  emails: EmailQueue;
  events: DomainEventBus;
  cipher: FieldCipher;
  audit: AuditLog;
  cache: ReadCache;
  logger: Logger;
  publicUrl: string;
  reminderOffsetsMinutes: number[];
  seriesHorizonWeeks: number;
  authenticated: MiddlewareHandler<AppEnv>;
  therapist: MiddlewareHandler<AppEnv>;
}

/** Availability, slots, booking, recurring series, reminders and the ICS feed. */
export function createSchedulingModule(deps: SchedulingModuleDeps) {
  const repository = new SchedulingRepository(deps.sequelize);
  const reminders = new ReminderScheduler(deps.sequelize, deps.emails, deps.reminderOffsetsMinutes);
  const scheduling = new SchedulingService({ repository, reminders, events: deps.events, cipher: deps.cipher, audit: deps.audit, cache: deps.cache });
  const series = new SeriesService({
    repository,
    audit: deps.audit,
    scheduling,
    reminders,
    emails: deps.emails,
    events: deps.events,
    logger: deps.logger.child({ module: 'series' }),
    horizonWeeks: deps.seriesHorizonWeeks,
  });
  const calendar = new CalendarService(repository, deps.publicUrl);
  return {
    scheduling,
    series,
    calendar,
    routes: schedulingRoutes({ scheduling, series, calendar, authenticated: deps.authenticated, therapist: deps.therapist }),
  };
}

export type SchedulingModule = ReturnType<typeof createSchedulingModule>;
