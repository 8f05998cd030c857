import {
  GatewayFailure,
  GatewayNoAnswer,
  type AuthorisationOutcome,
  type AuthoriseRequest,
  type CardGateway,
  type LookupOutcome,
  type RefundOutcome,
} from './gateway.js';

export interface StripeOptions {
  /** `sk_live_…` or `sk_test_…`, sent as a Bearer token. */
  secretKey: string;
  /** https://api.stripe.com, or a stand-in (tests use gateway/stripe-fake.ts). */
  apiUrl: string;
  /** Longer than this and the call's outcome is unknown. */
  timeoutMs: number;
}

type Json = Record<string, unknown>;

/** Stripe refused the request and said why (`error.type`, `error.code`): it did nothing. */
export class StripeRefusal extends GatewayFailure {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly code: string | null,
  ) {
    super(`Stripe answered ${status} ${type}${code ? ` (${code})` : ''}`);
  }
}

/** Stripe's card error codes that Pay tells apart; every other card error is a decline. */
const CARD_ERRORS: Record<string, AuthorisationOutcome['outcome']> = {
  expired_card: 'expired-card',
  incorrect_cvc: 'incorrect-cvc',
  processing_error: 'processing-error',
};

/** Form-encodes flat parameters the way Stripe reads them (`card[number]=…`). */
function formBody(params: Record<string, string | number | boolean>): string {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) body.set(key, String(value));
  return body.toString();
}

/**
 * The Stripe adapter, over Stripe's HTTP API with PaymentIntents: each payment is one
 * PaymentIntent in pounds, with manual capture, so the card is held when the person submits it
 * and taken only once they confirm (as Pay does). Every POST carries an Idempotency-Key derived
 * from the payment, so a repeat never charges twice. A time-out, a broken connection, a 5xx, 429
 * or 409 is {@link GatewayNoAnswer} (Stripe may have acted); any other refusal is
 * {@link StripeRefusal}.
 *
 * The card goes to Stripe as a PaymentMethod (Stripe's raw card data API): only for accounts
 * Stripe allows it. 3-D Secure is not handled yet: a card that needs it is declined.
 */
export function stripeGateway(options: StripeOptions): CardGateway {
  const apiUrl = options.apiUrl.replace(/\/$/, '');

  async function call(
    method: 'GET' | 'POST',
    path: string,
    params: Record<string, string | number | boolean> = {},
    idempotencyKey?: string,
  ): Promise<Json> {
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${apiUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${options.secretKey}`,
          ...(method === 'POST'
            ? {
                'content-type': 'application/x-www-form-urlencoded',
                'idempotency-key': idempotencyKey!,
              }
            : {}),
        },
        body: method === 'POST' ? formBody(params) : undefined,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw new GatewayNoAnswer(`Stripe did not answer ${method} ${path}`, { cause: error });
    }
    if (response.status >= 500 || response.status === 429 || response.status === 409)
      throw new GatewayNoAnswer(`Stripe answered ${response.status} to ${method} ${path}`);
    let json: Json;
    try {
      json = JSON.parse(text) as Json;
    } catch {
      throw new GatewayFailure(`Stripe answered ${response.status} without JSON`);
    }
    if (response.ok) return json;
    const error = (json.error ?? {}) as Json;
    throw new StripeRefusal(
      response.status,
      String(error.type ?? 'unknown'),
      typeof error.code === 'string' ? error.code : null,
    );
  }

  /** The payment's PaymentIntent: made once per key, so asking again finds the same one. */
  async function intentFor(request: Omit<AuthoriseRequest, 'card'>): Promise<string> {
    const intent = await call(
      'POST',
      '/v1/payment_intents',
      {
        amount: request.amount,
        currency: 'gbp',
        capture_method: 'manual',
        'payment_method_types[0]': 'card',
        description: request.reference,
        'metadata[reference]': request.reference,
      },
      `${request.idempotencyKey}:intent`,
    );
    return String(intent.id);
  }

  async function intentStatus(id: string): Promise<string> {
    return String((await call('GET', `/v1/payment_intents/${encodeURIComponent(id)}`)).status);
  }

  function refundOutcome(refund: Json): RefundOutcome {
    const refundId = String(refund.id);
    if (refund.status === 'succeeded') return { outcome: 'success', refundId };
    if (refund.status === 'failed' || refund.status === 'canceled')
      return { outcome: 'failed', refundId };
    return { outcome: 'pending', refundId };
  }

  /** An operation Stripe refused because the PaymentIntent had already moved on. */
  const unexpectedState = (error: unknown) =>
    error instanceof StripeRefusal && error.code === 'payment_intent_unexpected_state';

  return {
    name: 'stripe',

    async authorise(request) {
      const intentId = await intentFor(request);
      const [month, year] = request.card.expiry.split('/');
      try {
        const method = await call(
          'POST',
          '/v1/payment_methods',
          {
            type: 'card',
            'card[number]': request.card.number,
            'card[exp_month]': Number(month),
            'card[exp_year]': 2000 + Number(year),
            'card[cvc]': request.card.cvc,
            'billing_details[name]': request.card.cardholderName,
          },
          `${request.idempotencyKey}:method`,
        );
        const confirmed = await call(
          'POST',
          `/v1/payment_intents/${intentId}/confirm`,
          {
            payment_method: String(method.id),
            error_on_requires_action: true,
            // Stripe exempts a MOTO payment from Strong Customer Authentication (no 3-D Secure).
            ...(request.moto ? { 'payment_method_options[card][moto]': true } : {}),
          },
          `${request.idempotencyKey}:confirm`,
        );
        if (confirmed.status === 'requires_capture' || confirmed.status === 'succeeded')
          return { outcome: 'authorised', transactionId: intentId };
        if (confirmed.status === 'processing')
          throw new GatewayNoAnswer('Stripe is still processing the card');
        return { outcome: 'declined', transactionId: intentId };
      } catch (error) {
        if (!(error instanceof StripeRefusal) || error.type !== 'card_error') throw error;
        const outcome = CARD_ERRORS[error.code ?? ''] ?? 'declined';
        return { outcome, transactionId: intentId } as AuthorisationOutcome;
      }
    },

    async lookup(request): Promise<LookupOutcome> {
      const intentId = await intentFor(request);
      const status = await intentStatus(intentId);
      if (status === 'requires_capture' || status === 'succeeded')
        return { outcome: 'authorised', transactionId: intentId };
      if (status === 'processing') return { outcome: 'pending' };
      return { outcome: 'not-charged', transactionId: intentId };
    },

    async capture({ transactionId, amount, idempotencyKey }) {
      try {
        await call(
          'POST',
          `/v1/payment_intents/${encodeURIComponent(transactionId)}/capture`,
          { amount_to_capture: amount },
          idempotencyKey,
        );
      } catch (error) {
        if (!unexpectedState(error) || (await intentStatus(transactionId)) !== 'succeeded')
          throw error;
      }
    },

    async void({ transactionId, idempotencyKey }) {
      try {
        await call(
          'POST',
          `/v1/payment_intents/${encodeURIComponent(transactionId)}/cancel`,
          {},
          idempotencyKey,
        );
      } catch (error) {
        if (!unexpectedState(error) || (await intentStatus(transactionId)) !== 'canceled')
          throw error;
      }
    },

    async refund({ transactionId, amount, idempotencyKey }) {
      try {
        return refundOutcome(
          await call(
            'POST',
            '/v1/refunds',
            { payment_intent: transactionId, amount },
            idempotencyKey,
          ),
        );
      } catch (error) {
        if (error instanceof StripeRefusal && error.status === 400)
          return { outcome: 'failed', refundId: null };
        throw error;
      }
    },

    async refundStatus({ refundId }) {
      return refundOutcome(await call('GET', `/v1/refunds/${encodeURIComponent(refundId)}`));
    },
  };
}
