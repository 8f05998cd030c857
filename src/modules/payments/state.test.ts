import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isFinished,
  PAYMENT_EVENTS,
  PAYMENT_STATUSES,
  stateView,
  transition,
  type PaymentStatus,
} from './state.js';

const status = fc.constantFrom(...PAYMENT_STATUSES);
const event = fc.constantFrom(...PAYMENT_EVENTS);

function run(events: readonly (typeof PAYMENT_EVENTS)[number][]): PaymentStatus[] {
  const path: PaymentStatus[] = ['created'];
  for (const e of events) {
    const next = transition(path.at(-1)!, e);
    if (next) path.push(next.status);
  }
  return path;
}

describe('the payment state machine', () => {
  it('never leaves a finished state, whatever happens', () => {
    fc.assert(
      fc.property(status, event, (from, e) => {
        if (isFinished(from)) expect(transition(from, e)).toBeNull();
      }),
    );
  });

  it('never comes back to created, and stays finished once finished', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 20 }), (events) => {
        const path = run(events);
        expect(path.slice(1)).not.toContain('created');
        const firstFinished = path.findIndex(isFinished);
        if (firstFinished >= 0) expect(path.length).toBe(firstFinished + 1);
      }),
    );
  });

  it('reaches success only through submitted (the card must be authorised)', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 20 }), (events) => {
        const path = run(events);
        const success = path.indexOf('success');
        if (success >= 0) expect(path.slice(0, success)).toContain('submitted');
      }),
    );
  });

  it('gives every failed, cancelled and error state a code, and success none', () => {
    fc.assert(
      fc.property(status, event, (from, e) => {
        const next = transition(from, e);
        if (!next) return;
        expect(next.code !== null).toBe(['failed', 'cancelled', 'error'].includes(next.status));
      }),
    );
  });

  it('follows the happy path of Pay: created, started, submitted, success', () => {
    expect(run(['card-page-opened', 'card-details-submitted', 'authorised'])).toEqual([
      'created',
      'started',
      'submitted',
      'success',
    ]);
  });

  it('expires only before the card is authorised', () => {
    expect(transition('started', 'expired')).toEqual({ status: 'failed', code: 'P0020' });
    expect(transition('capturable', 'expired')).toBeNull();
    expect(transition('success', 'expired')).toBeNull();
  });

  it('shows a failure with Pay’s code and message, and a success without', () => {
    expect(stateView('failed', 'P0020')).toEqual({
      status: 'failed',
      finished: true,
      code: 'P0020',
      message: 'Payment expired',
    });
    expect(stateView('created', null)).toEqual({ status: 'created', finished: false });
  });
});
