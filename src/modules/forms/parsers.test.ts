import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatPence,
  parseEmail,
  parseNino,
  parseNumber,
  parsePounds,
  parseUkPhone,
  penceToPounds,
} from './parsers.js';

describe('National Insurance numbers', () => {
  it('reads any case and spacing, and prints them spaced in capitals', () => {
    expect(parseNino('ab123456c')).toBe('AB 12 34 56 C');
    expect(parseNino(' AB 12 34 56 C ')).toBe('AB 12 34 56 C');
    expect(parseNino('jg 10 37 59 a')).toBe('JG 10 37 59 A');
  });

  it('refuses the prefixes never allocated: BG, GB, KN, NK, NT, TN, ZZ', () => {
    for (const prefix of ['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ'])
      expect(parseNino(`${prefix}123456A`), prefix).toBeUndefined();
  });

  it('refuses D, F, I, Q, U and V as either letter, and O as the second', () => {
    for (const letter of 'DFIQUV') {
      expect(parseNino(`${letter}A123456A`), `${letter} first`).toBeUndefined();
      expect(parseNino(`A${letter}123456A`), `${letter} second`).toBeUndefined();
    }
    expect(parseNino('AO123456A')).toBeUndefined();
    expect(parseNino('OA123456A')).toBe('OA 12 34 56 A');
  });

  it('needs six digits and a suffix from A to D', () => {
    expect(parseNino('AB12345C')).toBeUndefined();
    expect(parseNino('AB1234567C')).toBeUndefined();
    expect(parseNino('AB123456E')).toBeUndefined();
    expect(parseNino('AB123456')).toBeUndefined();
  });

  it('is idempotent and never throws, for any string', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        const once = parseNino(s);
        if (once !== undefined) expect(parseNino(once)).toBe(once);
      }),
    );
  });

  it('accepts every valid number however it is spaced', () => {
    const first = fc.constantFrom(...'ABCEGHJKLMNOPRSTWXYZ');
    const second = fc.constantFrom(...'ABCEGHJKLMNPRSTWXYZ');
    fc.assert(
      fc.property(
        first,
        second,
        fc.stringMatching(/^\d{6}$/),
        fc.constantFrom('A', 'B', 'C', 'D'),
        fc.boolean(),
        (a, b, digits, suffix, lower) => {
          fc.pre(!['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ'].includes(a + b));
          const typed = `${a}${b} ${digits.slice(0, 2)}${digits.slice(2)} ${suffix}`;
          expect(parseNino(lower ? typed.toLowerCase() : typed)).toBe(
            `${a}${b} ${digits.slice(0, 2)} ${digits.slice(2, 4)} ${digits.slice(4)} ${suffix}`,
          );
        },
      ),
    );
  });
});

describe('UK telephone numbers', () => {
  it('reads the ways people write them, to E.164 and a spaced national form', () => {
    expect(parseUkPhone('07700 900 982')).toEqual({
      e164: '+447700900982',
      national: '07700 900982',
    });
    expect(parseUkPhone('+44 (0)7700 900982')?.e164).toBe('+447700900982');
    expect(parseUkPhone('0044 7700-900982')?.e164).toBe('+447700900982');
    expect(parseUkPhone('(01453) 766321')).toEqual({
      e164: '+441453766321',
      national: '01453 766321',
    });
    expect(parseUkPhone('020 7946 0000')).toEqual({
      e164: '+442079460000',
      national: '020 7946 0000',
    });
    expect(parseUkPhone('+441214960000')?.national).toBe('0121 496 0000');
    expect(parseUkPhone('0808 157 0192')?.e164).toBe('+448081570192');
  });

  it('refuses what is not a UK number', () => {
    for (const bad of [
      '12345',
      '+33 1 23 45 67 89',
      '07700 900 98',
      '04700 900982',
      'call me',
      '',
      '+44',
    ])
      expect(parseUkPhone(bad), bad).toBeUndefined();
  });

  it('takes only 07 numbers when a mobile is needed', () => {
    expect(parseUkPhone('01453 766321', { mobileOnly: true })).toBeUndefined();
    expect(parseUkPhone('07700 900982', { mobileOnly: true })?.e164).toBe('+447700900982');
  });

  it('reads its own normal forms back to themselves', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^0[1237]\d{9}$/), (national) => {
        const phone = parseUkPhone(national);
        if (!phone) return;
        expect(parseUkPhone(phone.e164)).toEqual(phone);
        expect(parseUkPhone(phone.national)).toEqual(phone);
      }),
    );
  });

  it('never throws, whatever it is given', () => {
    fc.assert(fc.property(fc.string({ maxLength: 60 }), (s) => void parseUkPhone(s)));
  });
});

describe('e-mail addresses', () => {
  it('trims, lowers the domain only, and checks the shape', () => {
    expect(parseEmail(' Sam.Citizen@Example.COM ')).toBe('Sam.Citizen@example.com');
    expect(parseEmail('a+tag@sub.example.co.uk')).toBe('a+tag@sub.example.co.uk');
    for (const bad of [
      'no-at-sign',
      '@example.com',
      'a@b',
      'a@@b.com',
      'a b@c.com',
      'a@-b.com',
      'a..b@c.com',
      'a@b.c0m',
    ])
      expect(parseEmail(bad), bad).toBeUndefined();
    expect(parseEmail(`${'a'.repeat(65)}@example.com`)).toBeUndefined();
  });

  it('is idempotent for any string', () => {
    fc.assert(
      fc.property(fc.oneof(fc.emailAddress(), fc.string({ maxLength: 80 })), (s) => {
        const once = parseEmail(s);
        if (once !== undefined) expect(parseEmail(once)).toBe(once);
      }),
    );
  });
});

describe('money', () => {
  it('reads pounds as people type them, into whole pence', () => {
    expect(parsePounds('£1,250.50')).toBe(125050);
    expect(parsePounds('12.5')).toBe(1250);
    expect(parsePounds('300')).toBe(30000);
    expect(parsePounds('£ 0.07')).toBe(7);
    for (const bad of ['-5', '1.234', '1,23', '12,34.00', '£', 'ten', '1e3', ''])
      expect(parsePounds(bad), bad).toBeUndefined();
  });

  it('writes pence as pounds and back without losing a penny', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000_000 }), (pence) => {
        expect(parsePounds(formatPence(pence))).toBe(pence);
        expect(parsePounds(penceToPounds(pence))).toBe(pence);
      }),
    );
    expect(formatPence(120000)).toBe('£1,200');
    expect(formatPence(120050)).toBe('£1,200.50');
  });

  it('groups pounds in thousands as en-GB does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000_000 }), (pence) => {
        const pounds = Math.floor(pence / 100).toLocaleString('en-GB');
        expect(formatPence(pence).startsWith(`£${pounds}`)).toBe(true);
      }),
    );
  });
});

describe('numbers', () => {
  it('reads numbers with thousands separators into their shortest form', () => {
    expect(parseNumber('1,234.5')).toBe('1234.5');
    expect(parseNumber(' 007 ')).toBe('7');
    expect(parseNumber('-0')).toBe('0');
    for (const bad of ['1e5', '0x10', 'Infinity', 'NaN', '1,2345', '.5', '12.'])
      expect(parseNumber(bad), bad).toBeUndefined();
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e14, max: 1e14 }).map(String),
          fc.string({ maxLength: 20 }),
        ),
        (s) => {
          const once = parseNumber(s);
          if (once !== undefined) expect(parseNumber(once)).toBe(once);
        },
      ),
    );
  });
});
