import type { MiddlewareHandler } from 'hono';
import type { Sequelize } from 'sequelize';
import type { AppEnv } from '../http/index.js';
import { ContinuingEducationRepository, remindLapsing } from './continuing-education.repository.js';
import { continuingEducationRoutes } from './continuing-education.routes.js';
import { ContinuingEducationService } from './continuing-education.service.js';

/** How many days ahead a therapist is reminded that their licence or a course's credits lapse. */
export const LAPSE_REMINDER_DAYS = 30;

/** Continuing education records and the daily reminder before a licence or credits lapse. */
export function createContinuingEducationModule(deps: { sequelize: Sequelize; system: Sequelize; therapist: MiddlewareHandler<AppEnv> }) {
  const service = new ContinuingEducationService(new ContinuingEducationRepository(deps.sequelize));
  return {
    service,
    routes: continuingEducationRoutes({ service, therapist: deps.therapist }),
    /** The job's work: one reminder per licence or course lapsing within LAPSE_REMINDER_DAYS. */
    remindLapsing: () => remindLapsing(deps.system, LAPSE_REMINDER_DAYS),
  };
}
