import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withoutCodes } from './personal-data.js';

describe('a message read back on My data', () => {
  it('hides the numbers of a message that speaks of a code', () => {
    expect(withoutCodes('Your security code is 481516')).toBe('Your security code is ••••');
    expect(withoutCodes('Eich cod yw 123456')).toBe('Eich cod yw ••••');
    expect(withoutCodes('Code: 1234, ref 99')).toBe('Code: ••••, ref 99');
  });

  it('leaves a message that speaks of no code as it was', () => {
    expect(withoutCodes('Your bin is collected on 12 March 2027')).toBe(
      'Your bin is collected on 12 March 2027',
    );
    expect(withoutCodes('Postcode GL5 4UB, account 12345678')).toBe(
      'Postcode GL5 4UB, account 12345678',
    );
  });

  it('never leaves a six-digit code in a message about a code', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 100000, max: 999999 }), fc.string(), (a, n, b) => {
        expect(withoutCodes(`${a} code ${n} ${b}`)).not.toContain(String(n));
      }),
    );
  });
});
