import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatNino, isValidNinoPrefix, maskNino, normaliseNino, parseNino } from './nino.js';

const LETTERS = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'];
const letter = fc.constantFrom(...LETTERS);
const validPrefix = fc
  .tuple(letter, letter)
  .map(([a, b]) => a + b)
  .filter(isValidNinoPrefix);
const sixDigits = fc.stringMatching(/^[0-9]{6}$/);
const suffix = fc.constantFrom('A', 'B', 'C', 'D');
const validNino = fc.tuple(validPrefix, sixDigits, suffix).map(([p, d, s]) => `${p}${d}${s}`);

/** The same number as someone might type it: any case, spaces between any characters. */
function typedForm(nino: string, spaces: number[], lower: boolean[]): string {
  return [...nino]
    .map((c, i) => (lower[i] ? c.toLowerCase() : c) + ' '.repeat(spaces[i] ?? 0))
    .join('');
}

describe('reading a National Insurance number', () => {
  it('accepts a number as printed on the card, in any case, and gives it compact', () => {
    expect(parseNino('JG 10 37 59 A')).toEqual({ ok: true, nino: 'JG103759A' });
    expect(parseNino(' jg103759a ')).toEqual({ ok: true, nino: 'JG103759A' });
    expect(normaliseNino('AB 12 34 56 D')).toBe('AB123456D');
  });

  it('says a number is missing when nothing but spaces is given', () => {
    expect(parseNino('   ')).toEqual({ ok: false, problem: 'missing' });
  });

  it('refuses the wrong shape: too short, letters for digits, or a suffix after D', () => {
    for (const bad of [
      'JG10375A',
      'JG1037590A',
      'JGI03759A',
      'JG103759E',
      'JG103759',
      '12345678A',
      'JG-10-37-59-A',
    ])
      expect(parseNino(bad), bad).toEqual({ ok: false, problem: 'format' });
  });

  it('refuses prefixes that are never issued', () => {
    for (const bad of [
      'DA',
      'FA',
      'IA',
      'QA',
      'UA',
      'VA',
      'AD',
      'AF',
      'AI',
      'AO',
      'AQ',
      'AU',
      'AV',
      'BG',
      'GB',
      'KN',
      'NK',
      'NT',
      'TN',
      'ZZ',
    ])
      expect(parseNino(`${bad}123456A`), bad).toEqual({ ok: false, problem: 'prefix' });
    expect(parseNino('QQ123456C')).toEqual({ ok: false, problem: 'prefix' });
  });

  it('prints a number as on the card and masks all but its last three characters', () => {
    expect(formatNino('JG103759A')).toBe('JG 10 37 59 A');
    expect(maskNino('jg 10 37 59 a')).toBe('******59A');
    expect(maskNino('JG103759A')).not.toContain('1037');
  });
});

describe('National Insurance number properties', () => {
  it('formatting then reading any valid number gives the number back', () => {
    fc.assert(
      fc.property(validNino, (nino) => {
        expect(parseNino(formatNino(nino))).toEqual({ ok: true, nino });
      }),
    );
  });

  it('reads any valid number the same however it is spaced and cased', () => {
    fc.assert(
      fc.property(
        validNino,
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 9, maxLength: 9 }),
        fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }),
        (nino, spaces, lower) => {
          expect(normaliseNino(typedForm(nino, spaces, lower))).toBe(nino);
        },
      ),
    );
  });

  it('refuses every number whose prefix breaks a rule, whatever follows it', () => {
    const invalidPrefix = fc.oneof(
      fc.tuple(fc.constantFrom('D', 'F', 'I', 'Q', 'U', 'V'), letter).map(([a, b]) => a + b),
      fc.tuple(letter, fc.constantFrom('D', 'F', 'I', 'O', 'Q', 'U', 'V')).map(([a, b]) => a + b),
      fc.constantFrom('BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ'),
    );
    fc.assert(
      fc.property(invalidPrefix, sixDigits, suffix, (prefix, digits, end) => {
        expect(parseNino(`${prefix}${digits}${end}`)).toEqual({ ok: false, problem: 'prefix' });
      }),
    );
  });

  it('whatever string is typed, anything accepted has the official shape', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (typed) => {
        const parsed = parseNino(typed);
        if (parsed.ok) {
          expect(parsed.nino).toMatch(/^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][0-9]{6}[A-D]$/);
          expect(isValidNinoPrefix(parsed.nino.slice(0, 2))).toBe(true);
        }
      }),
    );
  });

  it('a mask never shows more than the last two digits and the suffix', () => {
    fc.assert(
      fc.property(validNino, (nino) => {
        const masked = maskNino(nino);
        expect(masked.slice(0, -3)).toMatch(/^\*+$/);
        expect(masked.slice(-3)).toBe(nino.slice(-3));
      }),
    );
  });
});
