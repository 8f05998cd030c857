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
 * A card gateway: the sandbox (default) or a real provider's adapter. Room for more: the payment
 * keeps the gateway's name, so refunds and reconciliation go back to the one that took it.
 */
export interface CardGateway {
  readonly name: string;
  authorise(request: {
    amount: number;
    reference: string;
    card: CardDetails;
  }): Promise<AuthorisationOutcome>;
}

/** Pay's sandbox test cards that fail, and how. Every other valid card number succeeds. */
const SANDBOX_FAILURES: Record<string, Exclude<AuthorisationOutcome['outcome'], 'authorised'>> = {
  '4000000000000002': 'declined',
  '4000000000000069': 'expired-card',
  '4000000000000127': 'incorrect-cvc',
  '4000000000000119': 'processing-error',
};

/**
 * The built-in sandbox gateway, behaving by test card number as GOV.UK Pay's sandbox does:
 * 4444333322221111 (and any other card number) succeeds, 4000000000000002 is declined,
 * 4000000000000069 is an expired card, 4000000000000127 has a wrong CVC and 4000000000000119
 * is a processing error. No money moves.
 */
export const sandboxGateway: CardGateway = {
  name: 'sandbox',
  async authorise({ card }) {
    const digits = card.number.replace(/[\s-]/g, '');
    const failure = SANDBOX_FAILURES[digits];
    if (failure === 'processing-error') return { outcome: failure, transactionId: null };
    return { outcome: failure ?? 'authorised', transactionId: randomUUID() };
  },
};
