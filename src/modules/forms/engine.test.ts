import { describe, expect, it } from 'vitest';
import { bulkyWasteForm } from './definitions/bulky-waste.js';
import { firstIncompletePage, pageAfter, summariseAnswers, validatePage } from './engine.js';

const [items, address, date] = bulkyWasteForm.pages as [never, never, never];
const TODAY = '2026-11-24'; // a Tuesday

describe('the bulky waste form', () => {
  it('needs at least one item, and a description when "something else" is ticked', () => {
    expect(validatePage(items, {}, {}, TODAY)).toEqual({
      ok: false,
      errors: [{ field: 'items', message: 'forms.bulkyWaste.items.required' }],
    });
    expect(validatePage(items, { items: 'other' }, {}, TODAY)).toEqual({
      ok: false,
      errors: [{ field: 'itemDetails', message: 'forms.bulkyWaste.itemDetails.required' }],
    });
    expect(validatePage(items, { items: ['sofa', 'fridge'], itemDetails: '' }, {}, TODAY)).toEqual({
      ok: true,
      answers: { items: ['sofa', 'fridge'], itemDetails: '' },
    });
  });

  it('refuses an item that is not on the list and an over-long description', () => {
    expect(validatePage(items, { items: ['piano'] }, {}, TODAY).ok).toBe(false);
    const long = validatePage(items, { items: 'sofa', itemDetails: 'x'.repeat(501) }, {}, TODAY);
    expect(long).toMatchObject({
      ok: false,
      errors: [{ field: 'itemDetails', message: 'forms.bulkyWaste.itemDetails.tooLong' }],
    });
  });

  it('normalises the postcode and lists every missing address field', () => {
    expect(
      validatePage(
        address,
        { addressLine1: '1 High St', town: 'Stroud', postcode: 'gl54ub' },
        {},
        TODAY,
      ),
    ).toEqual({
      ok: true,
      answers: { addressLine1: '1 High St', addressLine2: '', town: 'Stroud', postcode: 'GL5 4UB' },
    });
    const result = validatePage(address, { postcode: 'nonsense' }, {}, TODAY);
    expect(result.ok || result.errors.map((e) => e.field)).toEqual([
      'addressLine1',
      'town',
      'postcode',
    ]);
  });

  it('takes a weekday between 3 days and 8 weeks away', () => {
    const at = (d: string, m: string, y: string) =>
      validatePage(
        date,
        { 'preferredDate-day': d, 'preferredDate-month': m, 'preferredDate-year': y },
        {},
        TODAY,
      );
    expect(at('1', '12', '2026')).toEqual({ ok: true, answers: { preferredDate: '2026-12-01' } });
    expect(at('25', '11', '2026')).toMatchObject({
      ok: false,
      errors: [{ message: 'forms.bulkyWaste.date.tooSoon' }],
    });
    expect(at('28', '11', '2026')).toMatchObject({
      ok: false,
      errors: [{ message: 'forms.bulkyWaste.date.weekend' }],
    });
    expect(at('1', '3', '2027')).toMatchObject({
      ok: false,
      errors: [{ message: 'forms.bulkyWaste.date.tooLate' }],
    });
    expect(at('31', '2', '2027')).toMatchObject({
      ok: false,
      errors: [{ field: 'preferredDate-day', message: 'forms.bulkyWaste.date.invalid' }],
    });
    expect(at('', '', '')).toMatchObject({
      ok: false,
      errors: [{ message: 'forms.bulkyWaste.date.required' }],
    });
  });
});

describe('the journey', () => {
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
    expect(firstIncompletePage(bulkyWasteForm, {}, TODAY)?.id).toBe('items');
    expect(
      firstIncompletePage(bulkyWasteForm, { items: ['sofa'], itemDetails: '' }, TODAY)?.id,
    ).toBe('address');
    expect(firstIncompletePage(bulkyWasteForm, complete, TODAY)).toBeUndefined();
    expect(pageAfter(bulkyWasteForm, 'items')?.id).toBe('address');
    expect(pageAfter(bulkyWasteForm, 'date')).toBeUndefined();
  });

  it('treats an answer that is no longer valid as unanswered (a date that has passed)', () => {
    expect(firstIncompletePage(bulkyWasteForm, complete, '2026-11-30')?.id).toBe('date');
  });

  it('summarises the answers in words in both languages', () => {
    const en = summariseAnswers(bulkyWasteForm, complete, 'en');
    expect(en.find((r) => r.field === 'items')?.answer).toBe('Sofa or armchair');
    expect(en.find((r) => r.field === 'preferredDate')?.answer).toBe('Tuesday 1 December 2026');
    const cy = summariseAnswers(bulkyWasteForm, complete, 'cy');
    expect(cy.find((r) => r.field === 'items')?.answer).toBe('Soffa neu gadair freichiau');
    expect(cy.find((r) => r.field === 'preferredDate')?.answer).toMatch(/1 Rhagfyr 2026$/);
  });
});
