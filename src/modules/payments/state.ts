/**
 * GOV.UK Pay's payment states, as a pure machine: what may follow what, and the code and
 * message Pay gives each finished failure. Commands ask {@link transition} before they write,
 * so no path in the code can move a payment out of a finished state.
 */
export const PAYMENT_STATUSES = [
  'created',
  'started',
  'submitted',
  'capturable',
  'success',
  'failed',
  'cancelled',
  'error',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** What happens to a payment: the paying person's steps, the service's, the gateway's, the clock's. */
export const PAYMENT_EVENTS = [
  'card-page-opened',
  'card-details-submitted',
  'authorised-awaiting-capture',
  'authorised',
  'rejected',
  'gateway-error',
  'user-cancelled',
  'service-cancelled',
  'expired',
] as const;
export type PaymentEvent = (typeof PAYMENT_EVENTS)[number];

/** Pay's codes for the ways a payment ends without success. */
export const STATE_CODES = {
  P0010: 'Payment method rejected',
  P0020: 'Payment expired',
  P0030: 'Payment was cancelled by the user',
  P0040: 'Payment was cancelled by your service',
  P0050: 'Payment provider returned an error',
} as const;
export type StateCode = keyof typeof STATE_CODES;

export interface PaymentState {
  status: PaymentStatus;
  code: StateCode | null;
}

const FINISHED: ReadonlySet<PaymentStatus> = new Set(['success', 'failed', 'cancelled', 'error']);

/** Whether nothing can happen to the payment any more (Pay's `state.finished`). */
export function isFinished(status: PaymentStatus): boolean {
  return FINISHED.has(status);
}

/** Unfinished states from which each event may move a payment, and where it goes. */
const RULES: Record<PaymentEvent, { from: PaymentStatus[]; to: PaymentState }> = {
  'card-page-opened': { from: ['created'], to: { status: 'started', code: null } },
  'card-details-submitted': { from: ['started'], to: { status: 'submitted', code: null } },
  'authorised-awaiting-capture': {
    from: ['submitted'],
    to: { status: 'capturable', code: null },
  },
  authorised: { from: ['submitted', 'capturable'], to: { status: 'success', code: null } },
  rejected: { from: ['submitted'], to: { status: 'failed', code: 'P0010' } },
  'gateway-error': { from: ['submitted', 'capturable'], to: { status: 'error', code: 'P0050' } },
  // The paying person may give up on the card page or the confirm page.
  'user-cancelled': {
    from: ['created', 'started', 'submitted'],
    to: { status: 'failed', code: 'P0030' },
  },
  // A service may cancel until the card is authorised (Pay: created, started, submitted, capturable).
  'service-cancelled': {
    from: ['created', 'started', 'submitted', 'capturable'],
    to: { status: 'cancelled', code: 'P0040' },
  },
  expired: { from: ['created', 'started', 'submitted'], to: { status: 'failed', code: 'P0020' } },
};

/**
 * The state after `event`, or null when the event cannot happen in `from` (every event is
 * refused in a finished state).
 *
 * @example transition('created', 'card-page-opened') // { status: 'started', code: null }
 */
export function transition(from: PaymentStatus, event: PaymentEvent): PaymentState | null {
  if (isFinished(from)) return null;
  const rule = RULES[event];
  return rule.from.includes(from) ? rule.to : null;
}

/** Pay's `state` object: `{status, finished}` and, for a failure, `code` and `message`. */
export function stateView(status: PaymentStatus, code: string | null) {
  const known = code && code in STATE_CODES ? (code as StateCode) : null;
  return {
    status,
    finished: isFinished(status),
    ...(known ? { code: known, message: STATE_CODES[known] } : {}),
  };
}
