import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  closesAt,
  closingDay,
  emailProblem,
  heldReasons,
  normaliseEmail,
  petitionStatus,
  postcodeDistrict,
} from './rules.js';
import { londonTime } from '../../../platform/time/london.js';

const letter = fc.constantFrom(...'ABCDEFGHKLMNOPRSTUWY'.split(''));
const inwardLetter = fc.constantFrom(...'ABDEFGHJLNPQRSTUWXYZ'.split(''));
const digit = fc.integer({ min: 0, max: 9 }).map(String);

/** Postcodes of the shapes A9 9AA, A99 9AA, AA9 9AA and AA99 9AA, in their standard form. */
const postcodes = fc
  .tuple(
    letter,
    fc.option(fc.constantFrom(...'ABCDEFGHKLMNOPQRSTUVWXY'.split('')), { nil: undefined }),
    fc.integer({ min: 1, max: 9 }).map(String),
    fc.option(digit, { nil: undefined }),
    digit,
    inwardLetter,
    inwardLetter,
  )
  .map(([a, b, d1, d2, n, x, y]) => ({
    outward: `${a}${b ?? ''}${d1}${d2 ?? ''}`,
    inward: `${n}${x}${y}`,
  }));

/** The same text with the case of each letter chosen at random. */
function recased(text: string, flips: boolean[]): string {
  return [...text]
    .map((c, i) => (flips[i % flips.length] ? c.toLowerCase() : c.toUpperCase()))
    .join('');
}

describe('postcode districts', () => {
  it('the district is the outward code, whatever the case and spacing typed', () => {
    fc.assert(
      fc.property(
        postcodes,
        fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('', ' ', '  '),
        ({ outward, inward }, flips, gap) => {
          const typed = recased(`${outward}${gap}${inward}`, flips);
          const found = postcodeDistrict(typed);
          expect(found).not.toBeNull();
          expect(found!.district).toBe(outward);
          expect(found!.postcode).toBe(`${outward} ${inward}`);
        },
      ),
    );
  });

  it('reads real postcodes and refuses what is not one', () => {
    expect(postcodeDistrict(' gl5 4ub')).toEqual({ postcode: 'GL5 4UB', district: 'GL5' });
    expect(postcodeDistrict('CF10 1EP')?.district).toBe('CF10');
    expect(postcodeDistrict('SW1A1AA')?.district).toBe('SW1A');
    expect(postcodeDistrict('not a postcode')).toBeNull();
    expect(postcodeDistrict('')).toBeNull();
  });
});

describe('e-mail addresses', () => {
  it('addresses differing only in case or surrounding spaces normalise to one and are judged alike', () => {
    fc.assert(
      fc.property(
        fc.emailAddress(),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
        (email, flips) => {
          const variant = ` ${recased(email, flips)}  `;
          expect(normaliseEmail(variant)).toBe(normaliseEmail(email));
          expect(normaliseEmail(normaliseEmail(variant))).toBe(normaliseEmail(variant));
          // Nor does case or spacing change whether an address is accepted.
          expect(emailProblem(variant)).toBe(emailProblem(email));
        },
      ),
    );
  });

  it('refuses malformed and disposable addresses, and subdomains of disposable ones', () => {
    expect(emailProblem('')).toBe('required');
    expect(emailProblem('sam')).toBe('malformed');
    expect(emailProblem('sam@example')).toBe('malformed');
    expect(emailProblem('sam@@example.com')).toBe('malformed');
    expect(emailProblem('sam..x@example.com')).toBe('malformed');
    expect(emailProblem('sam @example.com')).toBe('malformed');
    expect(emailProblem('sam@Mailinator.com')).toBe('disposable');
    expect(emailProblem('sam@eu.yopmail.com')).toBe('disposable');
    expect(emailProblem('Sam.Jones@Example.org.uk')).toBeNull();
  });
});

describe('held text', () => {
  it('holds abusive words and what looks like personal data, and nothing else', () => {
    expect(heldReasons('Fix the potholes', 'They are dangerous')).toEqual([]);
    expect(heldReasons('The council are WANKERS')).toEqual(['abusive']);
    expect(heldReasons('Scunthorpe needs a library')).toEqual([]);
    expect(heldReasons('Call Bob on 07700 900123')).toEqual(['personal-data']);
    expect(heldReasons('Write to bob@example.com', 'shit roads')).toEqual([
      'abusive',
      'personal-data',
    ]);
  });
});

describe('closing in London time', () => {
  it('London midnight is 00:00 GMT in winter and 23:00 UTC the day before in summer', () => {
    expect(londonTime('2026-01-15', 0).toISOString()).toBe('2026-01-15T00:00:00.000Z');
    expect(londonTime('2026-07-15', 0).toISOString()).toBe('2026-07-14T23:00:00.000Z');
    // The days the clocks change.
    expect(londonTime('2026-03-29', 0).toISOString()).toBe('2026-03-29T00:00:00.000Z');
    expect(londonTime('2026-10-25', 0).toISOString()).toBe('2026-10-24T23:00:00.000Z');
  });

  it('a petition is open through its whole closing day and closed from the midnight after', () => {
    const closes = closesAt(new Date('2026-01-10T09:00:00Z'), 6);
    expect(closes.toISOString()).toBe('2026-07-10T23:00:00.000Z');
    expect(closingDay(closes)).toBe('2026-07-10');
    const petition = { state: 'open' as const, closes_at: closes };
    expect(petitionStatus(petition, new Date(closes.getTime() - 1))).toBe('open');
    expect(petitionStatus(petition, closes)).toBe('closed');
    // 23:30 UTC on 31 August is already 1 September in London (BST): a month runs to 1 October.
    expect(closingDay(closesAt(new Date('2026-08-31T23:30:00Z'), 1))).toBe('2026-10-01');
    // Published on 31 August, a month ends on the last day of September.
    expect(closingDay(closesAt(new Date('2026-08-31T12:00:00Z'), 1))).toBe('2026-09-30');
  });
});
