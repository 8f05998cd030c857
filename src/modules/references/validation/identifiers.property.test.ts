import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BUSINESS_PARSERS,
  parseNationalInsuranceNumber,
  parseUtr,
  parseVatNumber,
  utrCheckDigit,
  utrRemainder,
  vatCheckDigits,
  vatSchemeOf,
} from './identifiers.js';

const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
const scheme = fc.constantFrom('mod97' as const, '9755' as const);
/** A valid 9-digit VAT number under a scheme. */
const vatNumber = fc
  .tuple(digits(7), scheme)
  .map(([seven, s]) => ({ number: seven + vatCheckDigits(seven, s), scheme: s }));
/** A valid UTR. */
const utr = digits(9).map((nine) => `${utrCheckDigit(nine)}${nine}`);
/** One position and a different digit for it. */
const change = (length: number) =>
  fc.tuple(fc.integer({ min: 0, max: length - 1 }), fc.integer({ min: 1, max: 9 }));
const withDigit = (text: string, at: number, by: number) => {
  const next = (Number(text[at]) + by) % 10;
  return { changed: text.slice(0, at) + next + text.slice(at + 1), delta: next - Number(text[at]) };
};
const VAT_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 1];

describe('the identifier validators, on any input', () => {
  it('never throw on arbitrary values and strings, and give a reason or a value', () => {
    const parsers = [parseNationalInsuranceNumber, ...Object.values(BUSINESS_PARSERS)];
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 60 }),
          fc.string({ unit: 'binary', maxLength: 60 }),
          fc.anything(),
        ),
        (input) => {
          for (const parse of parsers) {
            const result = parse(input);
            expect(result.ok ? typeof result.value : typeof result.reason).toBe('string');
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('give back a normal form that parses to itself', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (input) => {
        for (const parse of Object.values(BUSINESS_PARSERS)) {
          const result = parse(input);
          if (result.ok)
            expect(parse(result.value)).toMatchObject({ ok: true, value: result.value });
        }
      }),
    );
  });
});

describe('VAT numbers', () => {
  it('accept every generated valid number, with GB, spaces and a branch suffix', () => {
    fc.assert(
      fc.property(vatNumber, digits(3), ({ number, scheme: s }, branch) => {
        expect(parseVatNumber(number)).toMatchObject({ ok: true, value: number, scheme: s });
        expect(parseVatNumber(`gb ${number.slice(0, 3)} ${number.slice(3)}`)).toMatchObject({
          ok: true,
          value: number,
        });
        expect(parseVatNumber(number + branch)).toMatchObject({ ok: true, kind: 'branch' });
      }),
    );
  });

  it('detect every single-digit change under the same scheme; across schemes only a weighted change of ±42 can pass', () => {
    fc.assert(
      fc.property(vatNumber, change(9), ({ number, scheme: s }, [at, by]) => {
        const { changed, delta } = withDigit(number, at, by);
        const after = vatSchemeOf(changed);
        expect(after).not.toBe(s);
        // 97 − 55 = 42: only a change of the weighted total by ±42 moves a number into the other scheme.
        if (Math.abs(delta * VAT_WEIGHTS[at]!) !== 42)
          expect(parseVatNumber(changed)).toEqual({ ok: false, reason: 'check-digit' });
      }),
      { numRuns: 2000 },
    );
  });
});

describe('UTRs', () => {
  it('accept every generated valid reference', () => {
    fc.assert(
      fc.property(utr, (value) => {
        expect(parseUtr(value)).toEqual({ ok: true, value });
      }),
    );
  });

  it('detect every change of the check digit', () => {
    fc.assert(
      fc.property(utr, fc.integer({ min: 1, max: 9 }), (value, by) => {
        expect(parseUtr(withDigit(value, 0, by).changed)).toEqual({
          ok: false,
          reason: 'check-digit',
        });
      }),
    );
  });

  it('detect every single-digit change of the other nine when the remainder is 2 to 8 (check digits 3 to 9 stand for one remainder each)', () => {
    fc.assert(
      fc.property(
        utr.filter(
          (value) => utrRemainder(value.slice(1)) >= 2 && utrRemainder(value.slice(1)) <= 8,
        ),
        change(9),
        (value, [at, by]) => {
          expect(parseUtr(withDigit(value, at + 1, by).changed)).toEqual({
            ok: false,
            reason: 'check-digit',
          });
        },
      ),
      { numRuns: 1000 },
    );
  });
});
