import { describe, expect, it } from 'vitest';
import { firstUnanswered, mayVisit, nextStep, readDate, readStep } from './journey.js';

const ALL = {
  givenName: 'Sam',
  familyName: 'Citizen',
  dateOfBirth: '1985-07-14',
  nino: 'JG103759A',
  postcode: 'GL5 4UB',
};
const TODAY = '2026-05-01';

describe('the online verification journey', () => {
  it('starts at the name and goes through each question in order to check your answers', () => {
    expect(firstUnanswered({})).toBe('name');
    expect(nextStep('name', { givenName: 'Sam', familyName: 'Citizen' })).toBe('date-of-birth');
    expect(nextStep('date-of-birth', { ...ALL, nino: '', postcode: '' })).toBe(
      'national-insurance-number',
    );
    expect(nextStep('postcode', ALL)).toBe('check');
  });

  it('goes straight back to check your answers after changing an answer', () => {
    expect(nextStep('name', ALL)).toBe('check');
  });

  it('refuses to jump ahead of an unanswered question', () => {
    expect(mayVisit('name', {})).toBe(true);
    expect(mayVisit('postcode', { givenName: 'Sam', familyName: 'Citizen' })).toBe(false);
    expect(mayVisit('check', { ...ALL, postcode: '' })).toBe(false);
    expect(mayVisit('check', ALL)).toBe(true);
  });
});

describe('reading each question', () => {
  it('needs both names', () => {
    const reading = readStep('name', { givenName: '', familyName: 'Citizen' }, TODAY);
    expect(reading).toEqual({
      ok: false,
      errors: [{ field: 'givenName', message: 'identity.verify.name.givenMissing' }],
    });
  });

  it('reads a real date of birth in the past and refuses others', () => {
    const dob = (d: string, m: string, y: string) =>
      readStep(
        'date-of-birth',
        { 'dateOfBirth-day': d, 'dateOfBirth-month': m, 'dateOfBirth-year': y },
        TODAY,
      );
    expect(dob('14', '7', '1985')).toEqual({ ok: true, answers: { dateOfBirth: '1985-07-14' } });
    expect(dob('31', '2', '1985')).toMatchObject({
      errors: [{ message: 'identity.verify.dateOfBirth.invalid' }],
    });
    expect(dob('', '', '')).toMatchObject({
      errors: [{ message: 'identity.verify.dateOfBirth.required' }],
    });
    expect(dob('1', '', '1985')).toMatchObject({
      errors: [{ message: 'identity.verify.dateOfBirth.incomplete' }],
    });
    expect(dob('1', '1', '2030')).toMatchObject({
      errors: [{ message: 'identity.verify.dateOfBirth.future' }],
    });
    expect(readDate('1', '1', '85')).toEqual({ problem: 'invalid' });
  });

  it('reads a National Insurance number with spaces and says why a bad one is refused', () => {
    expect(readStep('national-insurance-number', { nino: 'jg 10 37 59 a' }, TODAY)).toEqual({
      ok: true,
      answers: { nino: 'JG103759A' },
    });
    expect(readStep('national-insurance-number', { nino: 'QQ 12 34 56 C' }, TODAY)).toMatchObject({
      errors: [{ field: 'nino', message: 'identity.verify.nino.prefix' }],
    });
  });

  it('gives the postcode in its standard form', () => {
    expect(readStep('postcode', { postcode: 'gl54ub' }, TODAY)).toEqual({
      ok: true,
      answers: { postcode: 'GL5 4UB' },
    });
    expect(readStep('postcode', { postcode: 'nowhere' }, TODAY)).toMatchObject({ ok: false });
  });
});
