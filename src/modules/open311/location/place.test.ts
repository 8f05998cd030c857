import { describe, expect, it } from 'vitest';
import { addressFromText, postcodeInText } from './place.js';

describe('postcodeInText', () => {
  it('finds the postcode an address ends with, in any case and spacing', () => {
    expect(postcodeInText('Municipal Offices, Promenade, Cheltenham GL50 1PP')).toBe('GL50 1PP');
    expect(postcodeInText('ebley mill, stroud, gl54ub')).toBe('GL5 4UB');
    expect(postcodeInText('Flat 1, 2 High St, London SW1A 2AA')).toBe('SW1A 2AA');
  });

  it('takes the last of two, and none from text without one', () => {
    expect(postcodeInText('Moved from GL5 4UB to BS1 5TR')).toBe('BS1 5TR');
    expect(postcodeInText('Outside the post office, High Street')).toBeUndefined();
    expect(postcodeInText('Room 12A 4BC')).toBeUndefined();
  });
});

describe('addressFromText', () => {
  it('splits an address on one line into line 1, line 2 and town, dropping the postcode', () => {
    expect(
      addressFromText('Flat 1, Ebley Mill, Westward Road, Stroud, GL5 4UB', 'GL5 4UB', 'X'),
    ).toEqual({
      line1: 'Flat 1',
      line2: 'Ebley Mill, Westward Road',
      town: 'Stroud',
      postcode: 'GL5 4UB',
    });
    expect(addressFromText('Municipal Offices, Cheltenham GL50 1PP', 'GL50 1PP', 'X')).toEqual({
      line1: 'Municipal Offices',
      town: 'Cheltenham',
      postcode: 'GL50 1PP',
    });
  });

  it('uses the given town when the text is one part, and gives nothing for no text', () => {
    expect(addressFromText('Outside number 12', 'GL5 4UB', 'Stroud')).toEqual({
      line1: 'Outside number 12',
      town: 'Stroud',
      postcode: 'GL5 4UB',
    });
    expect(addressFromText(' ,  GL5 4UB ', 'GL5 4UB', 'Stroud')).toBeNull();
  });
});
