import { describe, expect, it } from 'vitest';
import {
  enrolableBy,
  isEnrolableService,
  normalisePostcode,
  normaliseReference,
  referenceHasFormat,
} from './services.js';

describe('enrolment facts', () => {
  it('normalises postcodes however they are typed, and refuses what is not a postcode', () => {
    expect(normalisePostcode('gl54ub')).toBe('GL5 4UB');
    expect(normalisePostcode('  GL5   4UB ')).toBe('GL5 4UB');
    expect(normalisePostcode('sw1a 2aa')).toBe('SW1A 2AA');
    expect(normalisePostcode('GL5')).toBeNull();
    expect(normalisePostcode('12345')).toBeNull();
  });

  it('accepts council tax account numbers of 8 digits and business rates numbers of BR and 7 digits', () => {
    expect(referenceHasFormat('council-tax', normaliseReference('4001 2345'))).toBe(true);
    expect(referenceHasFormat('council-tax', normaliseReference('4001234'))).toBe(false);
    expect(referenceHasFormat('business-rates', normaliseReference('br-1234567'))).toBe(true);
    expect(referenceHasFormat('business-rates', '12345678')).toBe(false);
  });

  it('accepts trade waste account numbers of TW and 6 digits', () => {
    expect(referenceHasFormat('trade-waste', normaliseReference('tw 104522'))).toBe(true);
    expect(referenceHasFormat('trade-waste', 'TW1045')).toBe(false);
    expect(referenceHasFormat('trade-waste', 'BR1045220')).toBe(false);
  });

  it('lets people enrol into council tax and business rates, and businesses into business rates and trade waste', () => {
    expect(enrolableBy('council-tax', 'person')).toBe(true);
    expect(enrolableBy('council-tax', 'business')).toBe(false);
    expect(enrolableBy('business-rates', 'person')).toBe(true);
    expect(enrolableBy('business-rates', 'business')).toBe(true);
    expect(enrolableBy('trade-waste', 'business')).toBe(true);
    expect(enrolableBy('trade-waste', 'person')).toBe(false);
  });

  it('knows which services can be enrolled into', () => {
    expect(isEnrolableService('council-tax')).toBe(true);
    expect(isEnrolableService('toString')).toBe(false);
  });
});
