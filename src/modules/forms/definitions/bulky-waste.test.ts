import { beforeAll, describe, expect, it } from 'vitest';
import { bundledForm } from '../bundled.js';
import { firstIncompletePage, nextPage, validatePage } from '../journey.js';
import type { FormDefinition, FormPage } from '../schema.js';
import { summariseAnswers } from '../summary.js';
import { validateAnswers } from '../validate.js';

const TODAY = '2026-11-24'; // a Tuesday
let form: FormDefinition;
let items: FormPage, address: FormPage, date: FormPage;

beforeAll(async () => {
  form = (await bundledForm('bulky-waste'))!;
  [items, address, date] = form.pages as [FormPage, FormPage, FormPage];
});

const check = (page: FormPage, input: Record<string, unknown>, today = TODAY) =>
  validatePage(form, page, input, {}, { today });
const dateInput = (day: string, month: string, year: string) => ({
  preferredDate: { day, month, year },
});

describe('the bulky waste form, as data', () => {
  it('needs at least one item, and a description when "something else" is ticked', () => {
    expect(check(items, {})).toEqual({
      ok: false,
      errors: [
        {
          field: 'items',
          message: {
            en: 'Select what you want collected',
            cy: 'Dewiswch beth rydych eisiau i ni ei gasglu',
          },
        },
      ],
    });
    expect(check(items, { items: 'other' })).toMatchObject({
      ok: false,
      errors: [
        {
          field: 'itemDetails',
          message: { en: 'Describe the items, including what ‘something else’ is' },
        },
      ],
    });
    expect(check(items, { items: ['sofa', 'fridge'], itemDetails: '' })).toEqual({
      ok: true,
      answers: { items: ['sofa', 'fridge'], itemDetails: '' },
    });
  });

  it('refuses an item that is not on the list and an over-long description', () => {
    expect(check(items, { items: ['piano'] }).ok).toBe(false);
    expect(check(items, { items: 'sofa', itemDetails: 'x'.repeat(501) })).toMatchObject({
      ok: false,
      errors: [
        { field: 'itemDetails', message: { en: 'Description must be 500 characters or fewer' } },
      ],
    });
  });

  it('normalises the postcode and lists every missing address field', () => {
    expect(
      check(address, { addressLine1: '1 High St', town: 'Stroud', postcode: 'gl54ub' }),
    ).toEqual({
      ok: true,
      answers: { addressLine1: '1 High St', addressLine2: '', town: 'Stroud', postcode: 'GL5 4UB' },
    });
    const result = check(address, { postcode: 'nonsense' });
    expect(result.ok || result.errors.map((e) => e.field)).toEqual([
      'addressLine1',
      'town',
      'postcode',
    ]);
  });

  it('takes a weekday between 3 days and 8 weeks away (the rules are data: after, before, weekdaysOnly)', () => {
    const at = (d: string, m: string, y: string) => check(date, dateInput(d, m, y));
    expect(at('1', '12', '2026')).toEqual({ ok: true, answers: { preferredDate: '2026-12-01' } });
    expect(at('27', '11', '2026')).toEqual({ ok: true, answers: { preferredDate: '2026-11-27' } });
    expect(at('26', '11', '2026')).toMatchObject({
      ok: false,
      errors: [{ message: { en: 'The collection date must be at least 3 days from today' } }],
    });
    expect(at('28', '11', '2026')).toMatchObject({
      ok: false,
      errors: [{ message: { en: expect.stringMatching(/must be a weekday/) } }],
    });
    expect(at('19', '1', '2027')).toEqual({ ok: true, answers: { preferredDate: '2027-01-19' } });
    expect(at('20', '1', '2027')).toMatchObject({
      ok: false,
      errors: [{ message: { en: 'The collection date must be within 8 weeks of today' } }],
    });
    expect(at('31', '2', '2027')).toMatchObject({
      ok: false,
      errors: [
        { field: 'preferredDate-day', message: { en: 'The collection date must be a real date' } },
      ],
    });
    expect(at('', '', '')).toMatchObject({
      ok: false,
      errors: [{ message: { en: 'Enter the date you would like the collection' } }],
    });
    expect(at('1', '', '2027')).toMatchObject({
      ok: false,
      errors: [{ message: { en: 'The collection date must include a day, month and year' } }],
    });
  });
});

describe('the bulky waste journey', () => {
  const complete = {
    items: ['sofa'],
    itemDetails: '',
    addressLine1: '1 High St',
    addressLine2: '',
    town: 'Stroud',
    postcode: 'GL5 4UB',
    preferredDate: '2026-12-01',
  };

  it('sends a person to the first page they have not answered', () => {
    expect(firstIncompletePage(form, {}, TODAY)?.id).toBe('items');
    expect(firstIncompletePage(form, { items: ['sofa'], itemDetails: '' }, TODAY)?.id).toBe(
      'address',
    );
    expect(firstIncompletePage(form, complete, TODAY)).toBeUndefined();
    expect(nextPage(form, 'items', complete)?.id).toBe('address');
    expect(nextPage(form, 'date', complete)).toBeUndefined();
  });

  it('treats an answer that is no longer valid as unanswered (a date that has passed)', () => {
    expect(firstIncompletePage(form, complete, '2026-11-30')?.id).toBe('date');
  });

  it('accepts the same complete answers as a whole application', () => {
    expect(validateAnswers(form, complete, { today: TODAY })).toEqual({
      ok: true,
      answers: complete,
    });
  });

  it('summarises the answers in words in both languages', () => {
    const en = summariseAnswers(form, complete, 'en');
    expect(en.find((r) => r.field === 'items')?.answer).toBe('Sofa or armchair');
    expect(en.find((r) => r.field === 'preferredDate')?.answer).toBe('Tuesday 1 December 2026');
    const cy = summariseAnswers(form, complete, 'cy');
    expect(cy.find((r) => r.field === 'items')?.answer).toBe('Soffa neu gadair freichiau');
    expect(cy.find((r) => r.field === 'preferredDate')?.answer).toMatch(/1 Rhagfyr 2026$/);
  });
});
