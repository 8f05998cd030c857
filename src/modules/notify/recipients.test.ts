import { describe, expect, it } from 'vitest';
import { normaliseEmailAddress, normaliseUkMobile, postalAddress } from './recipients.js';

describe('recipients, by Notify’s rules', () => {
  it('accepts real e-mail addresses, lower-cased, and refuses others', () => {
    expect(normaliseEmailAddress(' Sam.O’Neil@Example.gov.uk ')).toBeNull(); // curly apostrophe
    expect(normaliseEmailAddress("Sam.O'Neil@Example.GOV.uk")).toBe("sam.o'neil@example.gov.uk");
    for (const bad of [
      'sam',
      'sam@',
      'sam@localhost',
      'sam..x@example.com',
      'sam@example.c',
      'sa m@x.com"',
    ])
      expect(normaliseEmailAddress(bad), bad).toBeNull();
  });

  it('normalises UK mobile numbers to E.164 and names what is wrong with others', () => {
    expect(normaliseUkMobile('07700 900123')).toEqual({ ok: true, number: '+447700900123' });
    expect(normaliseUkMobile('+44 (0)7700-900123')).toEqual({ ok: true, number: '+447700900123' });
    expect(normaliseUkMobile('00447700900123')).toEqual({ ok: true, number: '+447700900123' });
    expect(normaliseUkMobile('01452 123456')).toEqual({
      ok: false,
      reason: 'Not a UK mobile number',
    });
    expect(normaliseUkMobile('07700 90012a')).toEqual({
      ok: false,
      reason: 'Must not contain letters or symbols',
    });
    expect(normaliseUkMobile('077009001234')).toEqual({ ok: false, reason: 'Too many digits' });
    expect(normaliseUkMobile('0770090012')).toEqual({ ok: false, reason: 'Not enough digits' });
  });

  it('needs 3 to 7 address lines ending in a real postcode', () => {
    expect(
      postalAddress({ address_line_1: 'A', address_line_2: 'B', address_line_3: 'gl51aa' }),
    ).toEqual({
      ok: true,
      lines: ['A', 'B', 'GL5 1AA'],
    });
    expect(
      postalAddress({ address_line_1: 'A', address_line_2: 'B', postcode: 'BS1 5TR' }),
    ).toMatchObject({ ok: true });
    expect(postalAddress({ address_line_1: 'A', address_line_2: 'B' })).toEqual({
      ok: false,
      reason: 'Address must be at least 3 lines',
    });
    const eight = Object.fromEntries(
      [1, 2, 3, 4, 5, 6, 7].map((n) => [`address_line_${n}`, `L${n}`]),
    );
    expect(postalAddress({ ...eight, postcode: 'GL5 1AA' })).toEqual({
      ok: false,
      reason: 'Address must be no more than 7 lines',
    });
    expect(
      postalAddress({ address_line_1: 'A', address_line_2: 'B', address_line_3: 'Nowhere' }),
    ).toEqual({
      ok: false,
      reason: 'Must be a real UK postcode',
    });
  });
});
