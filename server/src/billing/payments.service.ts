import { AppError, ConflictError, ForbiddenError, NotFoundError, ValidationError, type Invoice, type PaymentMethod, type PaymentResult } from '@therapy-field/sync';
import { runAsSystem } from '../database/index.js';
import type { AuthenticatedUser } from '../http/index.js';
import type { Logger } from '../logger/index.js';
import type { InvoicesRepository } from './invoices.repository.js';
import type { InvoicesService } from './invoices.service.js';
import type { PaymentGateway, VerifiedEvent } from './payment-gateway.js';
import type { PaymentsRepository } from './payments.repository.js';

export interface PaymentsServiceDeps {
  payments: PaymentsRepository;
  invoices: InvoicesRepository;
  documents: InvoicesService;
  /** Absent: card payments are not configured here (development without Stripe keys). */
  gateway?: PaymentGateway;
  /** A document was paid: an appointment paid upfront may now be confirmed. */
  paid: (invoice: Invoice) => Promise<void>;
  changed: (invoice: Invoice) => void;
  logger: Logger;
}

/**
 * Card payments: a client saves a card through the provider's form (we keep its ids and last
 * four digits), pays a document (3-D Secure, when asked for, is finished by the browser), and the
 * provider's signed webhooks settle it. Every webhook event applies once; refunds and chargebacks
 * are transactions of their own.
 */
export class PaymentsService {
  constructor(private readonly deps: PaymentsServiceDeps) {}

  private gateway(): PaymentGateway {
    if (!this.deps.gateway) throw new AppError('PAYMENTS_NOT_CONFIGURED', 'Card payments are not set up on this server');
    return this.deps.gateway;
  }

  async cards(viewer: AuthenticatedUser): Promise<PaymentMethod[]> {
    return this.deps.payments.cards(viewer.id);
  }

  /** The provider's SetupIntent secret the browser's card form confirms the card with. */
  async cardSetup(viewer: AuthenticatedUser): Promise<{ clientSecret: string }> {
    if (viewer.role !== 'client') throw new ForbiddenError('Clients save cards');
    const gateway = this.gateway();
    const customerId = (await this.deps.payments.customerIdOf(viewer.id)) ?? (await gateway.createCustomer({ id: viewer.id, ...(await this.deps.payments.contact(viewer.id)) }));
    return { clientSecret: await gateway.cardSetupSecret(customerId) };
  }

  /** Stores a card the browser set up: only one made for this account's provider customer. */
  async saveCard(viewer: AuthenticatedUser, providerPaymentMethodId: string): Promise<PaymentMethod> {
    if (viewer.role !== 'client') throw new ForbiddenError('Clients save cards');
    const card = await this.gateway().card(providerPaymentMethodId).catch((error: unknown) => {
      this.deps.logger.info({ err: error }, 'payment method lookup failed');
      throw new NotFoundError('Payment method');
    });
    if (card.customerUserId !== viewer.id) throw new NotFoundError('Payment method');
    const id = await this.deps.payments.saveCard(viewer.id, providerPaymentMethodId, card);
    return (await this.deps.payments.cards(viewer.id)).find((saved) => saved.id === id)!;
  }

  /** Charges a saved card for the client's own open document. */
  async pay(viewer: AuthenticatedUser, invoiceId: string, paymentMethodId: string): Promise<PaymentResult> {
    const invoice = await this.deps.documents.get(viewer, invoiceId);
    if (invoice.clientId !== viewer.id) throw new ForbiddenError('Only the client pays their document');
    if (invoice.status !== 'issued' && invoice.status !== 'overdue') {
      throw new ConflictError('INVALID_TRANSITION', 'Only an issued or overdue document is paid', { status: invoice.status });
    }
    const card = await this.deps.payments.card(viewer.id, paymentMethodId);
    if (!card) throw new NotFoundError('Payment method');
    const gateway = this.gateway();
    const { failedAttempts } = await runAsSystem(() => this.deps.payments.balance(invoiceId));
    // The same attempt retried (a double click, a lost answer) is the same charge at the provider.
    const charge = await gateway.charge({
      amountCents: invoice.totalCents,
      currency: invoice.currency,
      customerId: card.provider_customer_id,
      providerPaymentMethodId: card.provider_payment_method_id,
      invoiceId,
      idempotencyKey: `invoice-${invoiceId}-attempt-${failedAttempts + 1}`,
    });
    const status = charge.status === 'succeeded' ? 'completed' : charge.status === 'failed' ? 'failed' : charge.status === 'processing' ? 'processing' : 'pending';
    await runAsSystem(() =>
      this.deps.payments.upsertTransaction({ userId: viewer.id, invoiceId, amountCents: invoice.totalCents, type: 'payment', status, paymentMethodId, providerId: charge.id }),
    );
    if (charge.status === 'succeeded') await this.settle(invoiceId);
    return { status: charge.status, clientSecret: charge.clientSecret, invoice: await this.deps.documents.get(viewer, invoiceId) };
  }

  /** Gives back part or the rest of what was paid; the issuer (or a super admin) decides. A full refund cancels the document with a credit note. */
  async refund(viewer: AuthenticatedUser, invoiceId: string, amountCents?: number): Promise<Invoice> {
    const invoice = await this.deps.documents.get(viewer, invoiceId);
    if (!(viewer.role === 'super_admin' || (viewer.role === 'therapist' && invoice.therapistId === viewer.id))) throw new ForbiddenError('Only the issuer refunds');
    const balance = await runAsSystem(() => this.deps.payments.balance(invoiceId));
    const remaining = balance.paidCents - balance.refundedCents;
    if (!balance.paymentIntentId || remaining <= 0) throw new ConflictError('INVALID_TRANSITION', 'Nothing paid on this document is left to refund', { remainingCents: Math.max(0, remaining) });
    const amount = amountCents ?? remaining;
    if (amount > remaining) throw new ValidationError('Invalid body', [{ path: 'amountCents', message: `at most ${remaining}` }]);
    const refund = await this.gateway().refund({
      paymentIntentId: balance.paymentIntentId,
      amountCents: amount,
      invoiceId,
      idempotencyKey: `refund-${invoiceId}-${balance.refundedCents}-${amount}`,
    });
    await runAsSystem(() =>
      this.deps.payments.upsertTransaction({
        userId: invoice.clientId,
        invoiceId,
        amountCents: amount,
        type: 'refund',
        status: refund.status === 'succeeded' ? 'completed' : refund.status === 'failed' ? 'failed' : 'pending',
        paymentMethodId: null,
        providerId: refund.id,
      }),
    );
    if (amount === remaining) return this.deps.documents.cancel(viewer, invoiceId);
    return this.deps.documents.get(viewer, invoiceId);
  }

  /**
   * A provider webhook: the signature is checked first (a forged one changes nothing), then the
   * event is applied once (a replay is acknowledged and ignored).
   */
  async webhook(payload: string, signature: string | undefined): Promise<{ received: true; duplicate: boolean }> {
    const gateway = this.gateway();
    let event: VerifiedEvent;
    try {
      event = gateway.verify(payload, signature ?? '');
    } catch {
      throw new ValidationError('The webhook signature does not match', [{ path: 'stripe-signature', message: 'invalid signature' }]);
    }
    const outcome = await runAsSystem(async () => {
      if (!(await this.deps.payments.firstDelivery(event.id, event.type))) return { duplicate: true, settle: null as string | null };
      return { duplicate: false, settle: await this.apply(event) };
    });
    if (outcome.settle) await this.settle(outcome.settle);
    return { received: true, duplicate: outcome.duplicate };
  }

  /** Applies one event; answers the document to settle when a payment completed. */
  private async apply(event: VerifiedEvent): Promise<string | null> {
    const object = event.object;
    switch (event.type) {
      case 'payment_intent.succeeded':
      case 'payment_intent.processing':
      case 'payment_intent.payment_failed': {
        const known = await this.deps.payments.transactionByProviderId(object.id);
        const invoiceId = known?.invoice_id ?? object.metadata?.invoiceId;
        const invoice = invoiceId ? await this.deps.invoices.find(invoiceId) : undefined;
        if (!invoice) return null;
        const status = event.type === 'payment_intent.succeeded' ? 'completed' : event.type === 'payment_intent.processing' ? 'processing' : 'failed';
        await this.deps.payments.upsertTransaction({
          userId: known?.user_id ?? invoice.user_id,
          invoiceId: invoice.id,
          amountCents: object.amount,
          type: 'payment',
          status,
          paymentMethodId: known?.payment_method_id ?? null,
          providerId: object.id,
          failureReason: object.last_payment_error?.message ?? null,
        });
        return status === 'completed' ? invoice.id : null;
      }
      case 'refund.created':
      case 'refund.updated':
        await this.recordRefund(object);
        return null;
      case 'charge.refunded':
        for (const refund of object.refunds?.data ?? []) await this.recordRefund(refund);
        return null;
      case 'charge.dispute.created': {
        const known = await this.deps.payments.transactionByProviderId(object.payment_intent);
        if (!known) return null;
        await this.deps.payments.upsertTransaction({ userId: known.user_id, invoiceId: known.invoice_id, amountCents: object.amount, type: 'chargeback', status: 'completed', paymentMethodId: null, providerId: object.id });
        return null;
      }
      default:
        return null;
    }
  }

  private async recordRefund(refund: Record<string, any>): Promise<void> {
    const payment = await this.deps.payments.transactionByProviderId(refund.payment_intent);
    const invoiceId = payment?.invoice_id ?? refund.metadata?.invoiceId;
    const invoice = invoiceId ? await this.deps.invoices.find(invoiceId) : undefined;
    if (!invoice) return;
    const status = refund.status === 'succeeded' ? 'completed' : refund.status === 'failed' || refund.status === 'canceled' ? 'failed' : 'pending';
    await this.deps.payments.upsertTransaction({ userId: invoice.user_id, invoiceId: invoice.id, amountCents: refund.amount, type: 'refund', status, paymentMethodId: null, providerId: refund.id });
  }

  /** A completed payment marks its document paid (once), then tells whoever waits for it. */
  private async settle(invoiceId: string): Promise<void> {
    const paid = await runAsSystem(async () => {
      const invoice = await this.deps.invoices.find(invoiceId, true);
      if (!invoice || (invoice.status !== 'issued' && invoice.status !== 'overdue')) return null;
      await this.deps.invoices.setStatus(invoiceId, 'paid');
      return (await this.deps.invoices.get(invoiceId))!;
    });
    if (!paid) return;
    this.deps.changed(paid);
    await this.deps.paid(paid);
  }
}
