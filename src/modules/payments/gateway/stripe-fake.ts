import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * A stand-in for the parts of Stripe's API the Stripe adapter uses (PaymentIntents with manual
 * capture, PaymentMethods, refunds), for tests and local development. It holds its state in
 * memory and is strict where Stripe is: Bearer secret key, an Idempotency-Key on every POST
 * (a repeat gets the first answer; the same key with other parameters is refused), whole
 * amounts in pence, captures and refunds never beyond what was held and taken. It also breaks
 * on request: {@link StripeFake.hang} holds a request's answer back (after acting, or before)
 * so the client times out, and {@link StripeFake.outage} answers requests with an error status
 * (Stripe down, or rate limiting) without acting on them. Anything a client did that real Stripe would refuse is also kept in
 * {@link StripeFake.problems}.
 */

type Json = Record<string, unknown>;
type Params = Record<string, string>;

interface Intent {
  id: string;
  object: 'payment_intent';
  amount: number;
  currency: string;
  capture_method: string;
  status: string;
  amount_capturable: number;
  amount_received: number;
  amount_refunded: number;
  description: string | null;
  metadata: Record<string, string>;
  payment_method: string | null;
  last_payment_error: Json | null;
}

interface Refund {
  id: string;
  object: 'refund';
  amount: number;
  payment_intent: string;
  status: string;
}

class StripeError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly code: string | null,
    message: string,
    readonly extra: Json = {},
  ) {
    super(message);
  }
}

/** Stripe's test cards and what confirming with them does. */
const TEST_CARDS: Record<string, { code: string; decline_code?: string }> = {
  '4000000000000002': { code: 'card_declined', decline_code: 'generic_decline' },
  '4000000000009995': { code: 'card_declined', decline_code: 'insufficient_funds' },
  '4000000000000069': { code: 'expired_card' },
  '4000000000000127': { code: 'incorrect_cvc' },
  '4000000000000119': { code: 'processing_error' },
  '4000002500003155': { code: 'authentication_required' },
};

const CANCELLABLE = [
  'requires_payment_method',
  'requires_capture',
  'requires_confirmation',
  'requires_action',
];

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

function integer(params: Params, name: string, min: number): number {
  const text = params[name];
  if (text === undefined || !/^\d+$/.test(text) || Number(text) < min)
    throw new StripeError(
      400,
      'invalid_request_error',
      'parameter_invalid_integer',
      `Invalid integer: ${name}`,
    );
  return Number(text);
}

export class StripeFake {
  /** Every request, in order, as the fake saw it. */
  readonly requests: {
    method: string;
    path: string;
    idempotencyKey: string | null;
    params: Params;
  }[] = [];
  /** What a client did that Stripe would have refused, in words. */
  readonly problems: string[] = [];
  readonly intents = new Map<string, Intent>();
  readonly refunds = new Map<string, Refund>();
  /** How many times a card was authorised: a charge made twice shows here. */
  authorisations = 0;
  /** Refunds are answered `pending` (and settle to `succeeded` when read) while this is set. */
  refundsPending = false;
  private readonly methods = new Map<string, { number: string }>();
  private readonly idempotent = new Map<
    string,
    { fingerprint: string; status: number; body: Json }
  >();
  private readonly hangs: { pattern: RegExp; act: boolean }[] = [];
  private readonly outages: { pattern: RegExp; status: number; left: number }[] = [];
  private readonly held = new Set<ServerResponse>();
  private server: Server | undefined;
  url = '';

  constructor(readonly secretKey: string) {}

  /**
   * The next request whose `METHOD path` matches gets no answer; with `act` it is carried out
   * first (Stripe charged the card, the answer was lost), without it, it is not.
   */
  hang(pattern: RegExp, options: { act: boolean }): void {
    this.hangs.push({ pattern, act: options.act });
  }

  /**
   * The next `times` requests whose `METHOD path` matches are answered `status` (503 for Stripe
   * down, 429 for rate limiting, as Stripe does) and not carried out.
   */
  outage(pattern: RegExp, options: { status: 429 | 500 | 503; times: number }): void {
    this.outages.push({ pattern, status: options.status, left: options.times });
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    return this;
  }

  async close(): Promise<void> {
    for (const response of this.held) response.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of request) text += (chunk as Buffer).toString();
    const method = request.method ?? 'GET';
    const path = (request.url ?? '/').split('?')[0]!;
    const params = Object.fromEntries(new URLSearchParams(text));
    const key = request.headers['idempotency-key'];
    const idempotencyKey = typeof key === 'string' ? key : null;
    this.requests.push({ method, path, idempotencyKey, params });
    const outage = this.outages.find((o) => o.left > 0 && o.pattern.test(`${method} ${path}`));
    if (outage) {
      outage.left -= 1;
      const type = outage.status === 429 ? 'rate_limit_error' : 'api_error';
      response
        .writeHead(outage.status, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { type, message: 'Stripe is not available just now.' } }));
      return;
    }
    const hangAt = this.hangs.findIndex((h) => h.pattern.test(`${method} ${path}`));
    const hang = hangAt >= 0 ? this.hangs.splice(hangAt, 1)[0] : undefined;
    if (hang && !hang.act) return void this.held.add(response);
    const { status, body } = this.answer(method, path, params, idempotencyKey, request);
    if (hang) return void this.held.add(response);
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  private answer(
    method: string,
    path: string,
    params: Params,
    idempotencyKey: string | null,
    request: IncomingMessage,
  ): { status: number; body: Json } {
    if (request.headers.authorization !== `Bearer ${this.secretKey}`) {
      this.problems.push(`${method} ${path} without the secret key`);
      return this.error(
        new StripeError(401, 'invalid_request_error', null, 'Invalid API Key provided'),
      );
    }
    if (method === 'POST' && !idempotencyKey)
      this.problems.push(`${method} ${path} without an Idempotency-Key`);
    const fingerprint = `${method} ${path} ${new URLSearchParams(params).toString()}`;
    const earlier = idempotencyKey ? this.idempotent.get(idempotencyKey) : undefined;
    if (earlier && earlier.fingerprint !== fingerprint) {
      this.problems.push(`Idempotency-Key ${idempotencyKey} used again with other parameters`);
      return this.error(
        new StripeError(
          400,
          'idempotency_error',
          null,
          'Keys for idempotent requests can only be used with the same parameters they were first used with.',
        ),
      );
    }
    if (earlier) return earlier;
    let result: { status: number; body: Json };
    try {
      result = { status: 200, body: this.route(method, path, params) };
    } catch (error) {
      if (!(error instanceof StripeError)) throw error;
      result = this.error(error);
    }
    if (method === 'POST' && idempotencyKey)
      this.idempotent.set(idempotencyKey, { fingerprint, ...result });
    return result;
  }

  private error(error: StripeError): { status: number; body: Json } {
    return {
      status: error.status,
      body: {
        error: {
          type: error.type,
          ...(error.code ? { code: error.code } : {}),
          message: error.message,
          ...error.extra,
        },
      },
    };
  }

  private route(method: string, path: string, params: Params): Json {
    const parts = path.split('/').filter(Boolean);
    if (parts[0] !== 'v1') throw this.missing(path);
    const [, resource, objectId, action] = parts;
    if (resource === 'payment_intents') {
      if (method === 'POST' && !objectId) return this.createIntent(params);
      const intent = this.intents.get(objectId ?? '');
      if (!intent) throw this.missing(path);
      if (method === 'GET' && !action) return { ...intent };
      if (method === 'POST' && action === 'confirm') return this.confirm(intent, params);
      if (method === 'POST' && action === 'capture') return this.capture(intent, params);
      if (method === 'POST' && action === 'cancel') return this.cancel(intent);
    }
    if (resource === 'payment_methods' && method === 'POST' && !objectId)
      return this.createMethod(params);
    if (resource === 'refunds') {
      if (method === 'POST' && !objectId) return this.createRefund(params);
      const refund = this.refunds.get(objectId ?? '');
      if (method === 'GET' && refund) {
        if (refund.status === 'pending' && !this.refundsPending) refund.status = 'succeeded';
        return { ...refund };
      }
    }
    throw this.missing(path);
  }

  private missing(path: string): StripeError {
    return new StripeError(
      404,
      'invalid_request_error',
      'resource_missing',
      `No such object: ${path}`,
    );
  }

  private unexpectedState(intent: Intent, doing: string): StripeError {
    return new StripeError(
      400,
      'invalid_request_error',
      'payment_intent_unexpected_state',
      `You cannot ${doing} this PaymentIntent because it has a status of ${intent.status}.`,
    );
  }

  private createIntent(params: Params): Json {
    const amount = integer(params, 'amount', 30);
    if (params.currency !== 'gbp') this.problems.push(`currency ${params.currency}, not gbp`);
    const metadata: Record<string, string> = {};
    for (const [name, value] of Object.entries(params)) {
      const m = /^metadata\[(.+)\]$/.exec(name);
      if (m) metadata[m[1]!] = value;
    }
    const intent: Intent = {
      id: id('pi'),
      object: 'payment_intent',
      amount,
      currency: params.currency ?? '',
      capture_method: params.capture_method ?? 'automatic',
      status: 'requires_payment_method',
      amount_capturable: 0,
      amount_received: 0,
      amount_refunded: 0,
      description: params.description ?? null,
      metadata,
      payment_method: null,
      last_payment_error: null,
    };
    this.intents.set(intent.id, intent);
    return { ...intent };
  }

  private createMethod(params: Params): Json {
    const number = params['card[number]'] ?? '';
    if (params.type !== 'card' || !/^\d{12,19}$/.test(number))
      throw new StripeError(
        402,
        'card_error',
        'incorrect_number',
        'Your card number is incorrect.',
      );
    const method = { id: id('pm'), object: 'payment_method', type: 'card' };
    this.methods.set(method.id, { number });
    return { ...method, card: { last4: number.slice(-4) } };
  }

  private confirm(intent: Intent, params: Params): Json {
    if (intent.status !== 'requires_payment_method' && intent.status !== 'requires_confirmation')
      throw this.unexpectedState(intent, 'confirm');
    const method = this.methods.get(params.payment_method ?? '');
    if (!method)
      throw new StripeError(
        400,
        'invalid_request_error',
        'resource_missing',
        'No such PaymentMethod',
      );
    const failure = TEST_CARDS[method.number];
    if (failure) {
      intent.status = 'requires_payment_method';
      intent.last_payment_error = { type: 'card_error', ...failure };
      throw new StripeError(402, 'card_error', failure.code, 'Your card was declined.', {
        ...(failure.decline_code ? { decline_code: failure.decline_code } : {}),
        payment_intent: { ...intent },
      });
    }
    this.authorisations += 1;
    intent.payment_method = params.payment_method!;
    if (intent.capture_method === 'manual') {
      intent.status = 'requires_capture';
      intent.amount_capturable = intent.amount;
    } else {
      intent.status = 'succeeded';
      intent.amount_received = intent.amount;
    }
    return { ...intent };
  }

  private capture(intent: Intent, params: Params): Json {
    if (intent.status !== 'requires_capture') throw this.unexpectedState(intent, 'capture');
    const amount =
      params.amount_to_capture === undefined
        ? intent.amount_capturable
        : integer(params, 'amount_to_capture', 1);
    if (amount > intent.amount_capturable) {
      this.problems.push(`captured ${amount} of ${intent.amount_capturable} held`);
      throw new StripeError(
        400,
        'invalid_request_error',
        'amount_too_large',
        'Amount to capture is too large',
      );
    }
    intent.status = 'succeeded';
    intent.amount_received = amount;
    intent.amount_capturable = 0;
    return { ...intent };
  }

  private cancel(intent: Intent): Json {
    if (!CANCELLABLE.includes(intent.status)) throw this.unexpectedState(intent, 'cancel');
    intent.status = 'canceled';
    intent.amount_capturable = 0;
    return { ...intent };
  }

  private createRefund(params: Params): Json {
    const intent = this.intents.get(params.payment_intent ?? '');
    if (!intent) throw this.missing(`/v1/payment_intents/${params.payment_intent}`);
    if (intent.status !== 'succeeded')
      throw new StripeError(
        400,
        'invalid_request_error',
        'charge_not_captured',
        'This PaymentIntent has not been captured',
      );
    const left = intent.amount_received - intent.amount_refunded;
    const amount = params.amount === undefined ? left : integer(params, 'amount', 1);
    if (amount > left) {
      this.problems.push(`refunded ${amount} of ${left} left`);
      throw new StripeError(
        400,
        'invalid_request_error',
        'amount_too_large',
        'Refund amount is greater than unrefunded amount',
      );
    }
    intent.amount_refunded += amount;
    const refund: Refund = {
      id: id('re'),
      object: 'refund',
      amount,
      payment_intent: intent.id,
      status: this.refundsPending ? 'pending' : 'succeeded',
    };
    this.refunds.set(refund.id, refund);
    return { ...refund };
  }
}
