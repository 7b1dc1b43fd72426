import type { MiddlewareHandler } from 'hono';
import type { Sequelize } from 'sequelize';
import type { Invoice } from '@therapy-field/sync';
import type { Config } from '../config/index.js';
import type { DomainEventBus } from '../events/index.js';
import type { AppEnv } from '../http/index.js';
import type { JobDefinition } from '../jobs/index.js';
import type { Logger } from '../logger/index.js';
import { businessRoom, userRoom, type RealtimeHub } from '../realtime/index.js';
import type { SchedulingService } from '../scheduling/index.js';
import { athensDate } from './athens.js';
import { BillingRepository } from './billing.repository.js';
import { billingRoutes } from './billing.routes.js';
import { BillingService } from './billing.service.js';
import { InvoicesRepository } from './invoices.repository.js';
import { InvoicesService } from './invoices.service.js';
import { HttpMyDataTransmitter } from './mydata.js';
import { StripeGateway } from './payment-gateway.js';
import { PaymentsRepository } from './payments.repository.js';
import { PaymentsService } from './payments.service.js';
import { PayoutsService } from './payouts.service.js';
import { ReportsService } from './reports.service.js';

export { documentTotals, lineTotals, payoutSplit, percentOf, centsFromDecimal, decimalFromCents, type Cents, type BasisPoints } from './money.js';
export { invoicesDoc, HttpMyDataTransmitter, type MyDataTransmitter, type MyDataDocument } from './mydata.js';
export { formatMoney } from './pdf.js';
export { HEALTH_SERVICES_EXEMPTION_REASON, STANDARD_VAT_RATE, vatTreatment } from './vat.js';
export type { BillingService } from './billing.service.js';

export interface BillingModuleDeps {
  config: Config['billing'];
  sequelize: Sequelize;
  hub: RealtimeHub;
  events: DomainEventBus;
  scheduling: SchedulingService;
  authenticated: MiddlewareHandler<AppEnv>;
  superAdmin: MiddlewareHandler<AppEnv>;
  logger: Logger;
}

export const billingJobNames = {
  overdue: 'billing-overdue',
  companyInvoices: 'billing-company-invoices',
  payouts: 'billing-payouts',
  mydata: 'billing-mydata',
} as const;

/** The month before `at`'s month in Athens, as YYYY-MM, and its first and last days. */
function previousMonth(at: Date): { month: string; start: string; end: string } {
  const [year, month] = athensDate(at).split('-').map(Number) as [number, number];
  const start = new Date(Date.UTC(month === 1 ? year - 1 : year, (month + 10) % 12, 1));
  const end = new Date(Date.UTC(year, month - 1, 0));
  return { month: start.toISOString().slice(0, 7), start: start.toISOString().slice(0, 10), end: end.toISOString().slice(0, 10) };
}

/**
 * Billing (issue 13): prices frozen at booking, receipts and company invoices with gapless
 * numbers, VAT and the health-services exemption, PDFs, myDATA, card payments through Stripe,
 * payouts and reports; `billing.invoice` live events to the parties.
 */
export function createBillingModule(deps: BillingModuleDeps) {
  const { sequelize, config, logger } = deps;
  const log = logger.child({ module: 'billing' });
  const repository = new BillingRepository(sequelize);
  const documents = new InvoicesRepository(sequelize);
  const paymentsRepository = new PaymentsRepository(sequelize);
  const changed = (invoice: Invoice) => {
    const rooms = [invoice.clientId && userRoom(invoice.clientId), invoice.therapistId && userRoom(invoice.therapistId), invoice.businessId && !invoice.clientId && businessRoom(invoice.businessId)];
    const targets = rooms.filter((room): room is string => Boolean(room));
    if (targets.length > 0) deps.hub.io.to(targets).emit('billing.invoice', { invoiceId: invoice.id, status: invoice.status, kind: invoice.kind, totalCents: invoice.totalCents });
  };
  const invoices = new InvoicesService({
    invoices: documents,
    billing: repository,
    mydata: config.mydata ? new HttpMyDataTransmitter(config.mydata) : undefined,
    platformIssuer: config.platform,
    changed,
    logger: log,
  });
  /** A paid upfront appointment of a therapist who confirms instantly is confirmed now; others wait for the therapist. */
  const paid = async (invoice: Invoice) => {
    if (!invoice.appointmentId) return;
    const appointment = await repository.appointment(invoice.appointmentId);
    if (!appointment || appointment.status !== 'requested' || !appointment.requires_payment_upfront) return;
    if (!(await paymentsRepository.instantConfirmation(appointment.therapist_id))) return;
    await deps.scheduling.transitionRow({ id: appointment.therapist_id, role: 'therapist' }, appointment.id, 'confirm');
  };
  const payments = new PaymentsService({
    payments: paymentsRepository,
    invoices: documents,
    documents: invoices,
    gateway: config.stripe ? new StripeGateway(config.stripe.secretKey, config.stripe.webhookSecret, config.stripe.apiUrl) : undefined,
    paid,
    changed,
    logger: log,
  });
  const payouts = new PayoutsService(sequelize, repository);
  const reports = new ReportsService(sequelize, documents, invoices);
  const service = new BillingService(repository, documents, invoices, payments, payouts, reports);

  const subscriptions = [
    deps.events.subscribe('appointment.requested', async ({ appointmentId }) => {
      const appointment = await repository.appointment(appointmentId);
      if (appointment?.requires_payment_upfront) await invoices.issueForAppointment(appointmentId, 'session');
    }),
    deps.events.subscribe('appointment.completed', async ({ appointmentId }) => {
      await invoices.issueForAppointment(appointmentId, 'session');
    }),
    deps.events.subscribe('appointment.no_show', async ({ appointmentId }) => {
      await invoices.issueForAppointment(appointmentId, 'no_show');
    }),
    deps.events.subscribe('appointment.cancelled', async ({ appointmentId, clientId, cancelledBy, lateCancellation }) => {
      const existing = await documents.findForAppointment(appointmentId);
      if (existing && (existing.status === 'issued' || existing.status === 'overdue')) await invoices.cancelDocument(existing.id);
      else if (!existing && lateCancellation && cancelledBy === clientId) await invoices.issueForAppointment(appointmentId, 'late_cancellation');
    }),
  ];

  const jobs = (now: () => Date = () => new Date()): JobDefinition[] => [
    { name: billingJobNames.overdue, cron: '15 0 * * *', run: () => invoices.markOverdue() },
    { name: billingJobNames.mydata, cron: '*/10 * * * *', run: () => invoices.transmitPending() },
    { name: billingJobNames.companyInvoices, cron: '0 3 1 * *', run: () => invoices.issueCompanyInvoices(previousMonth(now()).month) },
    {
      name: billingJobNames.payouts,
      cron: '0 4 2 * *',
      run: () => {
        const { start, end } = previousMonth(now());
        return payouts.run(start, end);
      },
    },
  ];

  return {
    service,
    routes: billingRoutes({ billing: service, authenticated: deps.authenticated, superAdmin: deps.superAdmin }),
    jobs,
    close: () => subscriptions.forEach((stop) => stop()),
  };
}

export type BillingModule = ReturnType<typeof createBillingModule>;
