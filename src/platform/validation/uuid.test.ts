import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isUuid, uuidAsTyped } from './uuid.js';

describe('uuidAsTyped', () => {
  it('gives any UUID typed in either case with spaces around in lower case', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.boolean(), fc.stringMatching(/^ {0,3}$/), (id, upper, pad) => {
        const typed = `${pad}${upper ? id.toUpperCase() : id}${pad}`;
        expect(uuidAsTyped(typed)).toBe(id.toLowerCase());
      }),
    );
  });

  it('gives nothing for text that is not a UUID', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        fc.pre(!isUuid(text.trim()));
        expect(uuidAsTyped(text)).toBeUndefined();
      }),
    );
    for (const text of [
      '',
      'JU-7K4M-92QK',
      '1b4e28ba-2fa1-11d2-883f-0016d3cca42',
      '1b4e28ba2fa111d2883f0016d3cca427',
    ])
      expect(uuidAsTyped(text)).toBeUndefined();
  });
});
