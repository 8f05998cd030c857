import { describe, expect, it } from 'vitest';
import {
  charityNumberProblem,
  companiesHouseNumberProblem,
  normaliseNumber,
} from './validation.js';

describe('registration numbers', () => {
  it('accepts Companies House numbers of 8 digits or 2 letters and 6 digits', () => {
    for (const ok of ['01234567', 'SC123456', 'OC301234', 'NI012345', ''])
      expect(companiesHouseNumberProblem(ok), ok).toBeUndefined();
  });

  it('refuses Companies House numbers of the wrong length or shape', () => {
    expect(companiesHouseNumberProblem('1234567')).toBe('agents.business.companyNumber.length');
    expect(companiesHouseNumberProblem('123456789')).toBe('agents.business.companyNumber.length');
    expect(companiesHouseNumberProblem('S1234567')).toBe('agents.business.companyNumber.invalid');
    expect(companiesHouseNumberProblem('1234567A')).toBe('agents.business.companyNumber.invalid');
  });

  it('accepts charity numbers from England and Wales, Scotland and Northern Ireland', () => {
    for (const ok of ['202918', '1089464', 'SC012345', 'NIC100002', ''])
      expect(charityNumberProblem(ok), ok).toBeUndefined();
    for (const bad of ['12345', '12345678', 'SC12345', 'NI100002', 'ABC'])
      expect(charityNumberProblem(bad), bad).toBe('agents.business.charityNumber.invalid');
  });

  it('reads numbers written with spaces or in lower case', () => {
    expect(normaliseNumber(' sc 123 456 ')).toBe('SC123456');
  });
});
