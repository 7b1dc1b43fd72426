import Stripe from 'stripe';

export interface SavedCard {
  customerId: string;
  /** The account the card's customer was made for (the customer's `metadata.userId`). */
  customerUserId: string | null;
  brand: string | null;
  lastFour: string | null;
  expiryMonth: number | null;
  expiryYear: number | null;
}

export type ChargeStatus = 'succeeded' | 'processing' | 'requires_action' | 'failed';

export interface ChargeResult {
  id: string;
  status: ChargeStatus;
  /** For `requires_action`: the browser finishes 3-D Secure with it. */
  clientSecret: string | null;
}

/** A provider webhook after its signature checked out. */
export interface VerifiedEvent {
  id: string;
  type: string;
  object: Record<string, any>;
}

/** The card payment provider, as billing uses it. Only ids, brands and last four digits ever cross it. */
export interface PaymentGateway {
  createCustomer(user: { id: string; email: string; name: string }): Promise<string>;
  cardSetupSecret(customerId: string): Promise<string>;
  card(providerPaymentMethodId: string): Promise<SavedCard>;
  charge(request: { amountCents: number; currency: string; customerId: string; providerPaymentMethodId: string; invoiceId: string; idempotencyKey: string }): Promise<ChargeResult>;
  refund(request: { paymentIntentId: string; amountCents: number; invoiceId: string; idempotencyKey: string }): Promise<{ id: string; status: string }>;
  /** Throws on a forged, altered or stale signature. */
  verify(payload: string, signature: string): VerifiedEvent;
}

export function chargeStatus(status: string): ChargeStatus {
  if (status === 'succeeded') return 'succeeded';
  if (status === 'processing') return 'processing';
  if (status === 'requires_action' || status === 'requires_confirmation') return 'requires_action';
  return 'failed';
}

/** Stripe through its official library; `apiUrl` points it at another host (a stand-in in tests). */
export class StripeGateway implements PaymentGateway {
  private readonly stripe: Stripe;

  constructor(secretKey: string, private readonly webhookSecret: string, apiUrl?: string) {
    const url = apiUrl ? new URL(apiUrl) : undefined;
    this.stripe = new Stripe(secretKey, {
      maxNetworkRetries: 2,
      timeout: 20_000,
      ...(url && { host: url.hostname, port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)), protocol: url.protocol === 'https:' ? 'https' : 'http' }),
    });
  }

  async createCustomer(user: { id: string; email: string; name: string }): Promise<string> {
    const customer = await this.stripe.customers.create({ email: user.email, name: user.name, metadata: { userId: user.id } }, { idempotencyKey: `customer-${user.id}` });
    return customer.id;
  }

  async cardSetupSecret(customerId: string): Promise<string> {
    const intent = await this.stripe.setupIntents.create({ customer: customerId, allowed_payment_method_types: ['card'], usage: 'off_session' });
    return intent.client_secret!;
  }

  async card(providerPaymentMethodId: string): Promise<SavedCard> {
    const method = await this.stripe.paymentMethods.retrieve(providerPaymentMethodId);
    const customerId = typeof method.customer === 'string' ? method.customer : (method.customer?.id ?? null);
    if (!customerId) throw new Error('the payment method is attached to no customer');
    const customer = await this.stripe.customers.retrieve(customerId);
    return {
      customerId,
      customerUserId: 'deleted' in customer && customer.deleted ? null : ((customer as Stripe.Customer).metadata?.userId ?? null),
      brand: method.card?.brand ?? null,
      lastFour: method.card?.last4 ?? null,
      expiryMonth: method.card?.exp_month ?? null,
      expiryYear: method.card?.exp_year ?? null,
    };
  }

  async charge(request: { amountCents: number; currency: string; customerId: string; providerPaymentMethodId: string; invoiceId: string; idempotencyKey: string }): Promise<ChargeResult> {
    const intent = await this.stripe.paymentIntents.create(
      {
        amount: request.amountCents,
        currency: request.currency.toLowerCase(),
        customer: request.customerId,
        payment_method: request.providerPaymentMethodId,
        allowed_payment_method_types: ['card'],
        confirm: true,
        metadata: { invoiceId: request.invoiceId },
      },
      { idempotencyKey: request.idempotencyKey },
    );
    return { id: intent.id, status: chargeStatus(intent.status), clientSecret: intent.status === 'requires_action' ? intent.client_secret : null };
  }

  async refund(request: { paymentIntentId: string; amountCents: number; invoiceId: string; idempotencyKey: string }): Promise<{ id: string; status: string }> {
    const refund = await this.stripe.refunds.create(
      { payment_intent: request.paymentIntentId, amount: request.amountCents, metadata: { invoiceId: request.invoiceId } },
      { idempotencyKey: request.idempotencyKey },
    );
    return { id: refund.id, status: refund.status ?? 'pending' };
  }

  verify(payload: string, signature: string): VerifiedEvent {
    const event = this.stripe.webhooks.constructEvent(payload, signature, this.webhookSecret);
    return { id: event.id, type: event.type, object: event.data.object as unknown as Record<string, any> };
  }
}
