import { randomUUID } from 'node:crypto';

/** Card details as the hosted page collected them; held in memory for one request, never stored. */
export interface CardDetails {
  number: string;
  expiry: string;
  cvc: string;
  cardholderName: string;
}

/** What a gateway said about a card (Pay's sandbox has the same outcomes). */
export type AuthorisationOutcome =
  | { outcome: 'authorised'; transactionId: string }
  | { outcome: 'declined' | 'expired-card' | 'incorrect-cvc'; transactionId: string }
  | { outcome: 'processing-error'; transactionId: string | null };

/**
 * What a gateway says when asked, later, what became of an authorisation whose answer never
 * came: `authorised` (the card was charged, or held), `not-charged` (nothing was taken, or the
 * attempt is void), or `pending` (it does not know yet: ask again later).
 */
export type LookupOutcome =
  | { outcome: 'authorised'; transactionId: string }
  | { outcome: 'not-charged'; transactionId: string | null }
  | { outcome: 'pending' };

export type RefundOutcome =
  | { outcome: 'success' | 'pending'; refundId: string }
  | { outcome: 'failed'; refundId: string | null };

/**
 * The gateway did not answer in time (or the connection broke): it may or may not have acted.
 * Never treated as a refusal: the payment waits until the gateway is asked again.
 */
export class GatewayNoAnswer extends Error {}

/** The gateway answered with something the adapter cannot read, or refused the request itself. */
export class GatewayFailure extends Error {}

/** The request every call about one payment shares: its key makes the gateway do it once. */
export interface AuthoriseRequest {
  amount: number;
  reference: string;
  card: CardDetails;
  /** Sent with every request that could charge: the same key never charges twice. */
  idempotencyKey: string;
  /**
   * A card taken over the phone (MOTO): staff typed it in, so the gateway must not ask the
   * cardholder for 3-D Secure, which they cannot answer from someone else's screen.
   */
  moto?: boolean;
}

/**
 * A card gateway: the sandbox (default) or a real provider's adapter. The payment keeps the
 * gateway's name, so capture, voids, refunds and look-ups go back to the one that took it.
 * Card details go to `authorise` only. Every method may throw {@link GatewayNoAnswer}.
 */
export interface CardGateway {
  readonly name: string;
  /** Holds the amount on the card (taken by `capture` once the person confirms). */
  authorise(request: AuthoriseRequest): Promise<AuthorisationOutcome>;
  /** What became of `authorise` with this request's key (same amount and reference, no card). */
  lookup(request: Omit<AuthoriseRequest, 'card'>): Promise<LookupOutcome>;
  /** Takes the held amount. Safe to repeat. */
  capture(request: {
    transactionId: string;
    amount: number;
    idempotencyKey: string;
  }): Promise<void>;
  /** Lets go of a hold nobody will confirm (the payment ended meanwhile). Safe to repeat. */
  void(request: { transactionId: string; idempotencyKey: string }): Promise<void>;
  /** Pays back part or all of a captured payment. */
  refund(request: {
    transactionId: string;
    amount: number;
    idempotencyKey: string;
  }): Promise<RefundOutcome>;
  /** How a refund the gateway answered `pending` went since. */
  refundStatus(request: { refundId: string }): Promise<RefundOutcome>;
}

/** Pay's sandbox test cards that fail, and how. Every other valid card number succeeds. */
const SANDBOX_FAILURES: Record<string, Exclude<AuthorisationOutcome['outcome'], 'authorised'>> = {
  '4000000000000002': 'declined',
  '4000000000000069': 'expired-card',
  '4000000000000127': 'incorrect-cvc',
  '4000000000000119': 'processing-error',
};

/** What the sandbox answered each key, so a look-up or a repeat gets the same answer. */
const sandboxAnswers = new Map<string, AuthorisationOutcome>();
/** The sandbox forgets its oldest answers beyond this many, so a long-running site stays small. */
const SANDBOX_MEMORY = 10_000;

/**
 * The built-in sandbox gateway, behaving by test card number as GOV.UK Pay's sandbox does:
 * 4444333322221111 (and any other card number) succeeds, 4000000000000002 is declined,
 * 4000000000000069 is an expired card, 4000000000000127 has a wrong CVC and 4000000000000119
 * is a processing error. No money moves; it remembers its answers only while the process runs
 * (a look-up after a restart finds nothing charged, which for the sandbox is true).
 */
export const sandboxGateway: CardGateway = {
  name: 'sandbox',
  async authorise({ card, idempotencyKey }) {
    const earlier = sandboxAnswers.get(idempotencyKey);
    if (earlier) return earlier;
    const digits = card.number.replace(/[\s-]/g, '');
    const failure = SANDBOX_FAILURES[digits];
    const answer: AuthorisationOutcome =
      failure === 'processing-error'
        ? { outcome: failure, transactionId: null }
        : { outcome: failure ?? 'authorised', transactionId: randomUUID() };
    sandboxAnswers.set(idempotencyKey, answer);
    if (sandboxAnswers.size > SANDBOX_MEMORY)
      sandboxAnswers.delete(sandboxAnswers.keys().next().value!);
    return answer;
  },
  async lookup({ idempotencyKey }) {
    const answer = sandboxAnswers.get(idempotencyKey);
    return answer?.outcome === 'authorised'
      ? answer
      : { outcome: 'not-charged', transactionId: answer?.transactionId ?? null };
  },
  async capture() {},
  async void() {},
  async refund() {
    return { outcome: 'success', refundId: randomUUID() };
  },
  async refundStatus({ refundId }) {
    return { outcome: 'success', refundId };
  },
};
