import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newReference, parseReference, REFERENCE_ALPHABET } from './reference.js';

const reference = fc
  .array(fc.integer({ min: 0, max: REFERENCE_ALPHABET.length - 1 }), { minLength: 7, maxLength: 7 })
  .map((digits) => {
    let i = 0;
    return newReference(() => digits[i++]!);
  });

describe('application references', () => {
  it('look like JU-7K4M-92QD and use no confusable characters', () => {
    const made = newReference();
    expect(made).toMatch(/^JU-[2-9A-HJKMNP-TW-Z]{4}-[2-9A-HJKMNP-TW-Z]{4}$/);
    expect(REFERENCE_ALPHABET).not.toMatch(/[01ILOUV]/);
    expect(parseReference('JU-7K4M-92QK')).toBe('JU-7K4M-92QK');
    expect(parseReference('JU-7K4M-92QD')).toBeUndefined();
  });

  it('always pass their own check', () => {
    fc.assert(fc.property(reference, (ref) => parseReference(ref) === ref));
  });

  it('are read back however a person types them', () => {
    fc.assert(
      fc.property(reference, (ref) => {
        expect(parseReference(ref.toLowerCase().replace(/-/g, ' '))).toBe(ref);
        expect(parseReference(ref.replace(/-/g, ''))).toBe(ref);
      }),
    );
  });

  it('catch every single mistyped character', () => {
    fc.assert(
      fc.property(
        reference,
        fc.integer({ min: 0, max: 7 }),
        fc.integer({ min: 1, max: 28 }),
        (ref, position, shift) => {
          const chars = ref.replace(/-/g, '').slice(2).split('');
          const at = REFERENCE_ALPHABET.indexOf(chars[position]!);
          chars[position] = REFERENCE_ALPHABET[(at + shift) % REFERENCE_ALPHABET.length]!;
          expect(parseReference(`JU${chars.join('')}`)).toBeUndefined();
        },
      ),
    );
  });

  it('catch every swap of two different characters', () => {
    fc.assert(
      fc.property(
        reference,
        fc.integer({ min: 0, max: 7 }),
        fc.integer({ min: 0, max: 7 }),
        (ref, i, j) => {
          const chars = ref.replace(/-/g, '').slice(2).split('');
          fc.pre(chars[i] !== chars[j]);
          [chars[i], chars[j]] = [chars[j]!, chars[i]!];
          expect(parseReference(`JU${chars.join('')}`)).toBeUndefined();
        },
      ),
    );
  });

  it('refuse anything else without throwing', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const parsed = parseReference(text);
        expect(parsed === undefined || /^JU-/.test(parsed)).toBe(true);
      }),
    );
    expect(parseReference('JU-7K4M-92Q')).toBeUndefined();
    expect(parseReference('XX-7K4M-92QD')).toBeUndefined();
  });
});
