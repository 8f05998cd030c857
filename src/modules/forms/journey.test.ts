import { describe, expect, it } from 'vitest';
import { applicableAnswers, holds, pagesAsked } from './conditions.js';
import { firstIncompletePage, mayVisit, nextPage, previousPage, validatePage } from './journey.js';
import { FormDefinitionSchema } from './schema.js';
import { summariseAnswers } from './summary.js';
import { everyQuestionForm } from './test/every-question.js';

const TODAY = '2026-11-24';
const form = FormDefinitionSchema.parse(everyQuestionForm());
const page = (id: string) => form.pages.find((p) => p.id === id)!;

const upToContact = {
  fullName: 'Sam Citizen',
  story: 'Leaks',
  people: '2',
  rent: '',
  moveDate: '2020-02-29',
  hasPets: 'no',
};

describe('conditions', () => {
  it('test an answer, a choice among several, or that something was answered', () => {
    expect(holds({ question: 'a', equals: 'yes' }, { a: 'yes' })).toBe(true);
    expect(holds({ question: 'a', equals: 'yes' }, { a: 'no' })).toBe(false);
    expect(holds({ question: 'a', equals: 'x' }, { a: ['w', 'x'] })).toBe(true);
    expect(holds({ question: 'a', in: ['x', 'y'] }, { a: 'y' })).toBe(true);
    expect(holds({ question: 'a', in: ['x', 'y'] }, { a: ['z'] })).toBe(false);
    expect(holds({ question: 'a', notEmpty: true }, { a: '' })).toBe(false);
    expect(holds({ question: 'a', notEmpty: true }, { a: [] })).toBe(false);
    expect(holds({ question: 'a', notEmpty: true }, {})).toBe(false);
    expect(holds(undefined, {})).toBe(true);
  });

  it('leave out answers to pages a changed answer now skips', () => {
    const saved = { ...upToContact, hasPets: 'no', petKind: 'dog' };
    expect(applicableAnswers(form, saved)).not.toHaveProperty('petKind');
    expect(pagesAsked(form, saved).map((p) => p.id)).not.toContain('pets');
    expect(pagesAsked(form, { ...saved, hasPets: 'yes' }).map((p) => p.id)).toContain('pets');
  });
});

describe('the journey through a form', () => {
  it('skips a conditional page going forwards and backwards', () => {
    expect(nextPage(form, 'about', upToContact)?.id).toBe('contact');
    expect(nextPage(form, 'about', { ...upToContact, hasPets: 'yes' })?.id).toBe('pets');
    expect(previousPage(form, 'contact', upToContact)?.id).toBe('about');
    expect(previousPage(form, 'contact', { ...upToContact, hasPets: 'yes' })?.id).toBe('pets');
    expect(previousPage(form, 'name', upToContact)).toBeUndefined();
  });

  it('sends a person to the first page asked that has no valid answer, and nowhere beyond it', () => {
    expect(firstIncompletePage(form, upToContact, TODAY)?.id).toBe('contact');
    expect(firstIncompletePage(form, { ...upToContact, hasPets: 'yes' }, TODAY)?.id).toBe('pets');
    expect(mayVisit(form, page('home'), upToContact, { today: TODAY })).toEqual({
      ok: false,
      goTo: page('contact'),
    });
    expect(mayVisit(form, page('about'), upToContact, { today: TODAY })).toEqual({ ok: true });
    // A page that is not asked cannot be visited at all.
    expect(mayVisit(form, page('pets'), upToContact, { today: TODAY }).ok).toBe(false);
  });

  it('treats an optional question never shown as unanswered, so its page is still asked', () => {
    const { rent: _, ...withoutRent } = upToContact;
    expect(firstIncompletePage(form, withoutRent, TODAY)?.id).toBe('about');
  });

  it('checks a page with the answers of earlier pages (a same-page condition decides on the posted answer)', () => {
    const pets = page('pets');
    expect(
      validatePage(form, pets, { petKind: 'other' }, upToContact, { today: TODAY }),
    ).toMatchObject({
      ok: false,
      errors: [{ field: 'petOther' }],
    });
    expect(
      validatePage(form, pets, { petKind: 'dog', petOther: 'x' }, upToContact, { today: TODAY }),
    ).toEqual({
      ok: true,
      answers: { petKind: 'dog' },
    });
  });

  it('points errors at the input to fix: a date’s day box, an address line', () => {
    const about = validatePage(
      form,
      page('about'),
      { moveDate: { day: '31', month: '2', year: '2020' } },
      {},
      { today: TODAY },
    );
    expect(about.ok || about.errors.find((e) => e.field.startsWith('moveDate'))?.field).toBe(
      'moveDate-day',
    );
    const home = validatePage(
      form,
      page('home'),
      { home: { line1: '1 High St', town: '', postcode: 'GL5 4UB' } },
      {},
      { today: TODAY },
    );
    expect(home.ok || home.errors.map((e) => e.field)).toEqual(['home-town']);
  });

  it('summarises repeated items one row each, and money, phone and yes/no in words', () => {
    const rows = summariseAnswers(
      form,
      {
        ...upToContact,
        rent: '125050',
        phone: '+447700900982',
        household: [
          { personName: 'Alex', personBorn: '2001-04-03', personStudent: 'yes' },
          { personName: 'Bo', personBorn: '1999-12-31', personStudent: 'no' },
        ],
      },
      'en',
    );
    expect(rows.find((r) => r.field === 'rent')?.answer).toBe('£1,250.50');
    expect(rows.find((r) => r.field === 'phone')?.answer).toBe('07700 900982');
    expect(rows.find((r) => r.field === 'hasPets')?.answer).toBe('No');
    expect(rows.filter((r) => r.field === 'household')).toEqual([
      expect.objectContaining({
        question: 'Person 1',
        answer: 'Alex\nTuesday 3 April 2001\nYes',
        item: 1,
      }),
      expect.objectContaining({
        question: 'Person 2',
        answer: 'Bo\nFriday 31 December 1999\nNo',
        item: 2,
      }),
    ]);
  });
});
