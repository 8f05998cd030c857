import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cardBrand, cardDigits, cardSummary, expiryValid, luhnValid } from './cards.js';
import { sandboxGateway } from './gateway.js';

/** The check digit that makes `body` pass Luhn, computed the long way round. */
function withCheckDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error('no check digit');
}

const body = fc.stringMatching(/^[0-9]{11,18}$/);

describe('card checks', () => {
  it('accepts every number given its check digit, and refuses it with any other', () => {
    fc.assert(
      fc.property(body, fc.integer({ min: 1, max: 9 }), (b, shift) => {
        const good = withCheckDigit(b);
        expect(luhnValid(good)).toBe(true);
        const last = (Number(good.at(-1)) + shift) % 10;
        expect(luhnValid(good.slice(0, -1) + last)).toBe(false);
      }),
    );
  });

  it('catches any single mistyped digit', () => {
    fc.assert(
      fc.property(body, fc.nat(), fc.integer({ min: 1, max: 9 }), (b, at, shift) => {
        const good = withCheckDigit(b);
        const i = at % good.length;
        const wrong = good.slice(0, i) + ((Number(good[i]) + shift) % 10) + good.slice(i + 1);
        expect(luhnValid(wrong)).toBe(false);
      }),
    );
  });

  it('knows Pay’s test cards pass Luhn and their brands', () => {
    for (const n of [
      '4444333322221111',
      '4000000000000002',
      '4000000000000069',
      '4000000000000119',
    ])
      expect(luhnValid(n)).toBe(true);
    expect(cardBrand('4444333322221111')).toBe('visa');
    expect(cardBrand('5105105105105100')).toBe('master-card');
    expect(cardBrand('371449635398431')).toBe('american-express');
  });

  it('reads a number typed with spaces and refuses letters', () => {
    expect(cardDigits('4444 3333 2222 1111')).toBe('4444333322221111');
    expect(cardDigits('4444x33332222111')).toBeNull();
    expect(cardDigits('1234')).toBeNull();
  });

  it('keeps a card good to the end of its expiry month, and no longer', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2001, max: 2098 }), fc.integer({ min: 1, max: 12 }), (y, m) => {
        const expiry = `${String(m).padStart(2, '0')}/${String(y % 100).padStart(2, '0')}`;
        const lastMoment = new Date(Date.UTC(y, m, 1) - 1);
        const nextMonth = new Date(Date.UTC(y, m, 1));
        expect(expiryValid(expiry, lastMoment)).toBe(true);
        expect(expiryValid(expiry, nextMonth)).toBe(false);
      }),
    );
    expect(expiryValid('13/30', new Date('2026-01-01'))).toBe(false);
    expect(expiryValid('1/30', new Date('2026-01-01'))).toBe(false);
  });

  it('keeps only the last four digits and the brand of a card', () => {
    fc.assert(
      fc.property(body, (b) => {
        const number = withCheckDigit(b);
        const summary = cardSummary(number);
        expect(summary.lastFour).toBe(number.slice(-4));
        expect(JSON.stringify(summary)).not.toContain(number.slice(0, -4));
      }),
    );
  });
});

describe('the sandbox gateway', () => {
  const card = (number: string) => ({ number, expiry: '12/30', cvc: '123', cardholderName: 'A' });
  it.each([
    ['4444333322221111', 'authorised'],
    ['4000000000000002', 'declined'],
    ['4000000000000069', 'expired-card'],
    ['4000000000000127', 'incorrect-cvc'],
    ['4000000000000119', 'processing-error'],
  ])('answers %s with %s, as Pay’s sandbox does', async (number, outcome) => {
    const result = await sandboxGateway.authorise({
      amount: 100,
      reference: 'R',
      card: card(number),
      idempotencyKey: `cards-test-${number}`,
    });
    expect(result.outcome).toBe(outcome);
  });
});
