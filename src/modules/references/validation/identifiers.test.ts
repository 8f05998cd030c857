import { describe, expect, it } from 'vitest';
import {
  parseCharityNumber,
  parseCompanyNumber,
  parseNationalInsuranceNumber,
  parseUtr,
  parseVatNumber,
  utrCheckDigit,
  vatCheckDigits,
  vatSchemeOf,
} from './identifiers.js';

describe('National Insurance numbers', () => {
  it('are read in any case and spacing and given compact', () => {
    expect(parseNationalInsuranceNumber('jg 10 37 59 a')).toEqual({ ok: true, value: 'JG103759A' });
  });
  it('refuse the prefixes HMRC never issues, with the reason', () => {
    for (const prefix of [
      'BG',
      'GB',
      'KN',
      'NK',
      'NT',
      'TN',
      'ZZ',
      'DA',
      'AD',
      'FA',
      'QA',
      'AO',
      'VA',
      'UA',
      'IA',
    ])
      expect(parseNationalInsuranceNumber(`${prefix}123456A`)).toEqual({
        ok: false,
        reason: 'prefix',
      });
    expect(parseNationalInsuranceNumber('OA123456A').ok).toBe(true);
  });
  it('refuse a suffix other than A to D, and the wrong length', () => {
    expect(parseNationalInsuranceNumber('JG103759E')).toEqual({ ok: false, reason: 'format' });
    expect(parseNationalInsuranceNumber('JG10375A')).toEqual({ ok: false, reason: 'format' });
    expect(parseNationalInsuranceNumber('  ')).toEqual({ ok: false, reason: 'missing' });
  });
});

describe('VAT registration numbers', () => {
  it('accept HMRC’s published examples under each scheme, with GB and spaces', () => {
    expect(parseVatNumber('GB 999 9999 73')).toEqual({
      ok: true,
      value: '999999973',
      kind: 'standard',
      scheme: 'mod97',
    });
    // HMRC's reference-checker's own example of a valid number.
    expect(parseVatNumber('101747696').ok).toBe(true);
    // 1234567: 8+14+18+20+20+18+14 = 112; 112 + 55 = 167; 194 - 167 = 27 → 9755 check digits 27.
    expect(vatSchemeOf('123456727')).toBe('9755');
    expect(vatCheckDigits('1234567', '9755')).toBe('27');
  });
  it('refuse a number whose check digits are wrong, saying so', () => {
    expect(parseVatNumber('GB999999974')).toEqual({ ok: false, reason: 'check-digit' });
  });
  it('accept the 12-digit branch form when the first nine check', () => {
    expect(parseVatNumber('999 9999 73 001')).toMatchObject({ ok: true, kind: 'branch' });
    expect(parseVatNumber('999999974001')).toEqual({ ok: false, reason: 'check-digit' });
  });
  it('accept government departments GD000–499 and health authorities HA500–999 only', () => {
    expect(parseVatNumber('GBGD001')).toEqual({ ok: true, value: 'GD001', kind: 'government' });
    expect(parseVatNumber('GD500')).toEqual({ ok: false, reason: 'range' });
    expect(parseVatNumber('HA500')).toEqual({ ok: true, value: 'HA500', kind: 'health' });
    expect(parseVatNumber('HA499')).toEqual({ ok: false, reason: 'range' });
  });
  it('say what is wrong with letters or the wrong length', () => {
    expect(parseVatNumber('99999997A')).toEqual({ ok: false, reason: 'characters' });
    expect(parseVatNumber('9999999')).toEqual({ ok: false, reason: 'length' });
  });
});

describe('Unique Taxpayer References', () => {
  it('accept HMRC’s example and the printed forms with K or 13 digits', () => {
    expect(utrCheckDigit('234567890')).toBe(2);
    expect(parseUtr('22345 67890')).toEqual({ ok: true, value: '2234567890' });
    expect(parseUtr('2234567890K')).toEqual({ ok: true, value: '2234567890' });
    expect(parseUtr('0002234567890')).toEqual({ ok: true, value: '2234567890' });
  });
  it('map remainders 1 and 10 to check digit 1, and 0 to 2', () => {
    // 100000000: 1×6 = 6 → 11 − 6 = 5.
    expect(utrCheckDigit('100000000')).toBe(5);
    // 000000000: remainder 0 → 2.
    expect(utrCheckDigit('000000000')).toBe(2);
    // 000000005: 5×2 = 10 → remainder 10 → 11 − 10 = 1.
    expect(utrCheckDigit('000000005')).toBe(1);
  });
  it('refuse a wrong check digit and the wrong length', () => {
    expect(parseUtr('1234567890')).toEqual({ ok: false, reason: 'check-digit' });
    expect(parseUtr('223456789')).toEqual({ ok: false, reason: 'length' });
  });
});

describe('Companies House numbers', () => {
  it('accept 8 digits, putting back dropped leading zeros, and recognised prefixes', () => {
    expect(parseCompanyNumber('1234567')).toEqual({ ok: true, value: '01234567' });
    expect(parseCompanyNumber('sc 123456')).toEqual({ ok: true, value: 'SC123456' });
    for (const prefix of ['NI', 'OC', 'SO', 'NC', 'R0', 'LP', 'FC', 'CE'])
      expect(parseCompanyNumber(`${prefix}012345`).ok).toBe(true);
  });
  it('refuse an unknown prefix, a short prefixed number and too many digits', () => {
    expect(parseCompanyNumber('XX123456')).toEqual({ ok: false, reason: 'prefix' });
    expect(parseCompanyNumber('SC12345')).toEqual({ ok: false, reason: 'length' });
    expect(parseCompanyNumber('123456789')).toEqual({ ok: false, reason: 'length' });
    expect(parseCompanyNumber('00000000')).toEqual({ ok: false, reason: 'format' });
  });
});

describe('charity numbers', () => {
  it('accept each regulator’s form', () => {
    expect(parseCharityNumber('1123456')).toEqual({
      ok: true,
      value: '1123456',
      regulator: 'england-wales',
    });
    expect(parseCharityNumber('1123456-1')).toMatchObject({ ok: true, value: '1123456' });
    expect(parseCharityNumber('220949')).toMatchObject({ ok: true, regulator: 'england-wales' });
    expect(parseCharityNumber('sc 012345')).toEqual({
      ok: true,
      value: 'SC012345',
      regulator: 'scotland',
    });
    expect(parseCharityNumber('NIC100002')).toEqual({
      ok: true,
      value: 'NIC100002',
      regulator: 'northern-ireland',
    });
    expect(parseCharityNumber('NI100002')).toMatchObject({ ok: true, value: 'NIC100002' });
  });
  it('refuse the wrong length or prefix', () => {
    expect(parseCharityNumber('12345')).toEqual({ ok: false, reason: 'length' });
    expect(parseCharityNumber('SC12345')).toEqual({ ok: false, reason: 'length' });
    expect(parseCharityNumber('XY123456')).toEqual({ ok: false, reason: 'prefix' });
  });
});
