import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

export const STAND_IN_SECRET_KEY = 'sk_test_standin';
export const STAND_IN_WEBHOOK_SECRET = 'whsec_standintestsecret';

interface Card {
  id: string;
  customer: string;
  brand: string;
  last4: string;
  /** The card's bank asks for 3-D Secure: the intent answers requires_action. */
  threeDSecure: boolean;
}

/**
 * A local stand-in for the Stripe API (Stripe cannot be reached from here). It speaks the shape
 * the official `stripe` library sends and reads: form-encoded POSTs under /v1 with a bearer key,
 * Idempotency-Key replays, JSON objects with `object` types, `{ error }` bodies for refusals.
 * A test plays the browser (Stripe.js confirming a card) with `confirmCard`, and Stripe's webhook
 * sender with `signedEvent` (signed by the library's own test-header helper).
 */
export class StripeStandIn {
  readonly customers = new Map<string, { id: string; object: 'customer'; email: string; name: string; metadata: Record<string, string> }>();
  readonly cards = new Map<string, Card>();
  readonly intents = new Map<string, Record<string, any>>();
  readonly refunds = new Map<string, Record<string, any>>();
  readonly requests: Array<{ method: string; path: string; form: Record<string, string>; idempotencyKey?: string }> = [];
  private readonly replies = new Map<string, { status: number; body: unknown }>();
  private readonly stripe = new Stripe(STAND_IN_SECRET_KEY);

  private constructor(private readonly server: Server) {}

  static async start(): Promise<StripeStandIn> {
    let standIn: StripeStandIn;
    const server = createServer((request, response) => void standIn.handle(request, response));
    standIn = new StripeStandIn(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return standIn;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  customerOf(userId: string) {
    return [...this.customers.values()].find((customer) => customer.metadata.userId === userId);
  }

  /** What Stripe.js does in the browser when the client enters a card: a payment method on their customer. */
  confirmCard(customerId: string, card: { brand?: string; last4?: string; threeDSecure?: boolean } = {}): string {
    const id = `pm_${randomBytes(8).toString('hex')}`;
    this.cards.set(id, { id, customer: customerId, brand: card.brand ?? 'visa', last4: card.last4 ?? '4242', threeDSecure: card.threeDSecure ?? false });
    return id;
  }

  /** Stripe's webhook: an event JSON and its `Stripe-Signature` header, signed with the endpoint secret. */
  signedEvent(type: string, object: Record<string, unknown>, options: { id?: string; secret?: string; created?: number } = {}) {
    const payload = JSON.stringify({
      id: options.id ?? `evt_${randomBytes(8).toString('hex')}`,
      object: 'event',
      type,
      created: options.created ?? Math.floor(Date.now() / 1000),
      livemode: false,
      data: { object },
    });
    const signature = this.stripe.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? STAND_IN_WEBHOOK_SECRET });
    return { payload, signature };
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of request) raw += chunk;
    const form = Object.fromEntries(new URLSearchParams(raw));
    const path = (request.url ?? '').split('?')[0]!;
    const idempotencyKey = request.headers['idempotency-key'] as string | undefined;
    this.requests.push({ method: request.method ?? '', path, form, idempotencyKey });
    const send = (status: number, body: unknown): void => void response.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${randomBytes(6).toString('hex')}` }).end(JSON.stringify(body));
    if (request.headers.authorization !== `Bearer ${STAND_IN_SECRET_KEY}`) return send(401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });
    const replayKey = idempotencyKey && `${request.method} ${path} ${idempotencyKey}`;
    if (replayKey && this.replies.has(replayKey)) {
      const reply = this.replies.get(replayKey)!;
      return send(reply.status, reply.body);
    }
    const reply = this.answer(request.method ?? 'GET', path, form);
    if (replayKey) this.replies.set(replayKey, reply);
    send(reply.status, reply.body);
  }

  private answer(method: string, path: string, form: Record<string, string>): { status: number; body: unknown } {
    const notFound = (what: string) => ({ status: 404, body: { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${what}` } } });
    const metadata = (prefix = 'metadata') =>
      Object.fromEntries(Object.entries(form).flatMap(([key, value]) => (key.startsWith(`${prefix}[`) ? [[key.slice(prefix.length + 1, -1), value]] : [])));
    let match: RegExpExecArray | null;
    if (method === 'POST' && path === '/v1/customers') {
      const customer = { id: `cus_${randomBytes(8).toString('hex')}`, object: 'customer' as const, email: form.email ?? '', name: form.name ?? '', metadata: metadata() };
      this.customers.set(customer.id, customer);
      return { status: 200, body: customer };
    }
    if (method === 'GET' && (match = /^\/v1\/customers\/([^/]+)$/.exec(path))) {
      const customer = this.customers.get(match[1]!);
      return customer ? { status: 200, body: customer } : notFound('customer');
    }
    if (method === 'POST' && path === '/v1/setup_intents') {
      if (!this.customers.has(form.customer ?? '')) return notFound('customer');
      const id = `seti_${randomBytes(8).toString('hex')}`;
      return { status: 200, body: { id, object: 'setup_intent', customer: form.customer, status: 'requires_payment_method', client_secret: `${id}_secret_${randomBytes(8).toString('hex')}`, usage: form.usage } };
    }
    if (method === 'GET' && (match = /^\/v1\/payment_methods\/([^/]+)$/.exec(path))) {
      const card = this.cards.get(match[1]!);
      if (!card) return notFound('payment_method');
      return { status: 200, body: { id: card.id, object: 'payment_method', type: 'card', customer: card.customer, card: { brand: card.brand, last4: card.last4, exp_month: 12, exp_year: 2030 } } };
    }
    if (method === 'POST' && path === '/v1/payment_intents') {
      const card = this.cards.get(form.payment_method ?? '');
      if (!card || card.customer !== form.customer) return notFound('payment_method');
      const id = `pi_${randomBytes(8).toString('hex')}`;
      const status = card.threeDSecure ? 'requires_action' : 'succeeded';
      const intent = {
        id,
        object: 'payment_intent',
        amount: Number(form.amount),
        currency: form.currency,
        customer: form.customer,
        payment_method: card.id,
        status,
        client_secret: `${id}_secret_${randomBytes(8).toString('hex')}`,
        next_action: card.threeDSecure ? { type: 'use_stripe_sdk', use_stripe_sdk: {} } : null,
        metadata: metadata(),
        latest_charge: `ch_${id.slice(3)}`,
      };
      this.intents.set(id, intent);
      return { status: 200, body: intent };
    }
    if (method === 'POST' && path === '/v1/refunds') {
      const intent = this.intents.get(form.payment_intent ?? '');
      if (!intent) return notFound('payment_intent');
      const refunded = [...this.refunds.values()].filter((refund) => refund.payment_intent === intent.id).reduce((sum, refund) => sum + refund.amount, 0);
      const amount = Number(form.amount ?? intent.amount - refunded);
      if (amount + refunded > intent.amount) return { status: 400, body: { error: { type: 'invalid_request_error', code: 'amount_too_large', message: 'Refund amount is greater than unrefunded amount' } } };
      const refund = { id: `re_${randomBytes(8).toString('hex')}`, object: 'refund', amount, payment_intent: intent.id, status: 'succeeded', metadata: metadata(), currency: intent.currency };
      this.refunds.set(refund.id, refund);
      return { status: 200, body: refund };
    }
    return notFound(`route ${method} ${path}`);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
