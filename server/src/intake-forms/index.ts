import type { MiddlewareHandler } from 'hono';
import type { Sequelize } from 'sequelize';
import type { AuditLog } from '../audit/index.js';
import type { HistoriesService } from '../clinical/index.js';
import type { FieldCipher } from '../crypto/index.js';
import type { DomainEventBus } from '../events/index.js';
import type { AppEnv } from '../http/index.js';
import type { Logger } from '../logger/index.js';
import type { SyncService } from '../sync/index.js';
import { IntakeFormsRepository } from './intake-forms.repository.js';
import { intakeFormsRoutes } from './intake-forms.routes.js';
import { IntakeFormsService } from './intake-forms.service.js';

export type { IntakeFormsService } from './intake-forms.service.js';

export interface IntakeFormsModuleDeps {
  sequelize: Sequelize;
  histories: HistoriesService;
  sync: SyncService;
  events: DomainEventBus;
  cipher: FieldCipher;
  audit: AuditLog;
  logger: Logger;
  therapist: MiddlewareHandler<AppEnv>;
  authenticated: MiddlewareHandler<AppEnv>;
}

/**
 * Intake and other forms: the first booking sends the therapist's intake form (or the platform's),
 * a submission arriving through sync is announced as `form.submitted` once committed, and its
 * mapped answers then become the client's histories (a job retries any left behind).
 */
export function createIntakeFormsModule(deps: IntakeFormsModuleDeps) {
  const service = new IntakeFormsService({
    repository: new IntakeFormsRepository(deps.sequelize),
    histories: deps.histories,
    cipher: deps.cipher,
    audit: deps.audit,
    logger: deps.logger.child({ module: 'intake-forms' }),
  });
  deps.sync.onCreated('form_responses', (documents) => {
    for (const { id, formId, userId } of documents) deps.events.publish('form.submitted', { responseId: String(id), formId: String(formId), clientId: String(userId) });
  });
  const unsubscribe = [
    deps.events.subscribe('form.submitted', async ({ responseId }) => {
      await service.applyToHistories(responseId);
    }),
    ...(['appointment.requested', 'appointment.confirmed'] as const).map((name) =>
      deps.events.subscribe(name, async ({ clientId, therapistId, appointmentId }) => {
        await service.sendFirstBookingIntake(clientId, therapistId, appointmentId);
      }),
    ),
  ];
  return {
    service,
    routes: intakeFormsRoutes({ service, therapist: deps.therapist, authenticated: deps.authenticated }),
    /** The job's work: answers whose histories were not written yet (a node stopped in between). */
    applyPending: () => service.applyToHistories(),
    close: () => unsubscribe.forEach((stop) => stop()),
  };
}
