import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkDigitsFor,
  normaliseVatNumber,
  vatCheckScheme,
  vatNumberProblem,
  type VatCheckScheme,
} from './vat.js';

const sevenDigits = fc.stringMatching(/^[0-9]{7}$/);
const scheme = fc.constantFrom<VatCheckScheme>('mod97', '9755');
const valid = fc
  .tuple(sevenDigits, scheme)
  .map(([seven, s]) => ({ number: `${seven}${checkDigitsFor(seven, s)}`, scheme: s }));

describe('UK VAT numbers', () => {
  it("HMRC's published test number GB 999 9999 73 is valid under the mod 97 scheme", () => {
    expect(vatCheckScheme(normaliseVatNumber('GB 999 9999 73'))).toBe('mod97');
    expect(vatNumberProblem('GB999999973')).toBeUndefined();
  });

  it('a number made with either scheme’s check digits is valid, however it is written', () => {
    fc.assert(
      fc.property(valid, fc.boolean(), ({ number, scheme: s }, prefixed) => {
        const written = `${prefixed ? 'gb ' : ''}${number.slice(0, 3)} ${number.slice(3, 7)} ${number.slice(7)}`;
        expect(vatCheckScheme(normaliseVatNumber(written))).toBe(s);
        expect(vatNumberProblem(written)).toBeUndefined();
      }),
    );
  });

  it('a branch suffix of three digits keeps a valid number valid', () => {
    fc.assert(
      fc.property(valid, fc.stringMatching(/^[0-9]{3}$/), ({ number, scheme: s }, branch) => {
        expect(vatCheckScheme(`${number}${branch}`)).toBe(s);
      }),
    );
  });

  it('changing any one of the first seven digits is caught by the same scheme', () => {
    fc.assert(
      fc.property(
        valid,
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 1, max: 9 }),
        ({ number, scheme: s }, position, step) => {
          const changed = (Number(number[position]) + step) % 10;
          const typo = `${number.slice(0, position)}${changed}${number.slice(position + 1)}`;
          expect(vatCheckScheme(typo)).not.toBe(s);
        },
      ),
    );
  });

  it('swapping two different neighbouring digits is caught by the same scheme', () => {
    fc.assert(
      fc.property(valid, fc.integer({ min: 0, max: 5 }), ({ number, scheme: s }, i) => {
        fc.pre(number[i] !== number[i + 1]);
        const swapped = `${number.slice(0, i)}${number[i + 1]}${number[i]}${number.slice(i + 2)}`;
        expect(vatCheckScheme(swapped)).not.toBe(s);
      }),
    );
  });

  it('wrong check digits, lengths and characters are refused with a reason', () => {
    fc.assert(
      fc.property(valid, fc.integer({ min: 1, max: 40 }), ({ number }, step) => {
        const check = (Number(number.slice(7)) + step) % 100;
        const wrong = `${number.slice(0, 7)}${String(check).padStart(2, '0')}`;
        // A check number 55 (or 42) away may land on the other scheme; any other is refused.
        fc.pre(step !== 55 && step !== 42);
        expect(vatNumberProblem(wrong)).toBe('procurement.supplier.vat.checkDigits');
      }),
    );
    expect(vatNumberProblem('12345678')).toBe('procurement.supplier.vat.length');
    expect(vatNumberProblem('GB12345678A')).toBe('procurement.supplier.vat.characters');
    expect(vatNumberProblem('')).toBeUndefined();
  });
});
