import { describe, expect, it } from 'vitest';
import { FormDefinitionSchema, type FormDefinitionInput } from './schema.js';
import { everyQuestionForm } from './test/every-question.js';
import { answersToInput, validateAnswers } from './validate.js';

const TODAY = '2026-11-24';
const form = FormDefinitionSchema.parse(everyQuestionForm());
const b = (en: string) => ({ en, cy: `${en} (cy)` });

/** Answers to every page of the test form, as an API client might send them. */
function valid(): Record<string, unknown> {
  return {
    fullName: '  Sam   Citizen ',
    story: 'The roof leaks.\r\nWhen it rains.',
    people: '2',
    rent: '£1,250.50',
    moveDate: '2020-02-29',
    hasPets: 'yes',
    petKind: 'other',
    petOther: 'A tortoise',
    contactBy: 'email',
    phone: '+44 (0)7700 900982',
    email: 'Sam@Example.COM',
    nino: 'jg103759a',
    reasons: ['damp', 'repair'],
    workPostcode: 'gl54ub',
    home: {
      uprn: '900000000001',
      line1: 'Ebley Mill',
      line2: 'Westward Road',
      town: 'Stroud',
      postcode: 'gl5 4ub',
    },
    evidence: [
      {
        id: '1b4e28ba-2fa1-11d2-883f-0016d3cca427',
        name: 'photo.png',
        type: 'image/png',
        size: 2048,
      },
    ],
    household: [
      {
        personName: 'Alex',
        personBorn: { day: '3', month: '4', year: '2001' },
        personStudent: 'no',
      },
    ],
  };
}

function only(definition: FormDefinitionInput['pages'][number]['questions'][number]) {
  return FormDefinitionSchema.parse({
    key: 'one',
    title: b('One'),
    pages: [{ id: 'one', title: b('One'), questions: [definition] }],
    confirmation: { body: b('Done') },
  });
}

describe('validateAnswers', () => {
  it('accepts a whole application and normalises every answer', () => {
    const result = validateAnswers(form, valid(), { today: TODAY });
    expect(result).toEqual({
      ok: true,
      answers: {
        fullName: 'Sam Citizen',
        story: 'The roof leaks.\nWhen it rains.',
        people: '2',
        rent: '125050',
        moveDate: '2020-02-29',
        hasPets: 'yes',
        petKind: 'other',
        petOther: 'A tortoise',
        contactBy: 'email',
        phone: '+447700900982',
        email: 'Sam@example.com',
        nino: 'JG 10 37 59 A',
        reasons: ['repair', 'damp'],
        workPostcode: 'GL5 4UB',
        home: {
          uprn: '900000000001',
          line1: 'Ebley Mill',
          line2: 'Westward Road',
          town: 'Stroud',
          postcode: 'GL5 4UB',
        },
        evidence: [
          {
            id: '1b4e28ba-2fa1-11d2-883f-0016d3cca427',
            name: 'photo.png',
            type: 'image/png',
            size: 2048,
          },
        ],
        household: [{ personName: 'Alex', personBorn: '2001-04-03', personStudent: 'no' }],
      },
    });
    // Kept answers, given back, validate to the same.
    if (result.ok)
      expect(validateAnswers(form, answersToInput(form, result.answers), { today: TODAY })).toEqual(
        result,
      );
  });

  it('refuses anything but an object, and every field the form does not ask', () => {
    for (const input of [null, 'answers', 42, [], [valid()]])
      expect(validateAnswers(form, input, { today: TODAY })).toMatchObject({
        ok: false,
        errors: [{ field: '', message: { en: expect.stringMatching(/object/) } }],
      });
    const result = validateAnswers(
      form,
      { ...valid(), admin: true, __proto__x: 1 },
      { today: TODAY },
    );
    expect(result.ok || result.errors.map((e) => e.field)).toEqual(['admin', '__proto__x']);
  });

  it('refuses the wrong types with a message, never an exception', () => {
    const result = validateAnswers(
      form,
      {
        ...valid(),
        fullName: 42,
        people: { n: 2 },
        moveDate: 20200229,
        reasons: 'sleep',
        home: ['Ebley Mill'],
      },
      { today: TODAY },
    );
    expect(result.ok || result.errors.map((e) => e.field)).toEqual([
      'fullName',
      'people',
      'moveDate',
      'reasons',
      'home',
    ]);
  });

  it('skips a page whose condition does not hold, dropping what was sent for it', () => {
    const { petKind: _, petOther: __, ...noPets } = valid();
    const result = validateAnswers(
      form,
      { ...noPets, hasPets: 'no', petKind: 'dog' },
      { today: TODAY },
    );
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.answers).not.toHaveProperty('petKind');
      expect(result.answers.hasPets).toBe('no');
    }
    const missing = validateAnswers(form, { ...noPets, hasPets: 'yes' }, { today: TODAY });
    expect(missing.ok || missing.errors.map((e) => e.field)).toEqual(['petKind']);
  });

  it('asks a question on the same page only when its condition holds', () => {
    const { petOther: _, ...rest } = valid();
    const other = validateAnswers(form, rest, { today: TODAY });
    expect(other.ok || other.errors).toEqual([
      {
        field: 'petOther',
        message: {
          en: 'Enter an answer to ‘What animal is it?’',
          cy: 'Rhowch ateb i ‘What animal is it? (cy)’',
        },
      },
    ]);
    const dog = validateAnswers(
      form,
      { ...rest, petKind: 'dog', petOther: 'ignored' },
      { today: TODAY },
    );
    expect(dog.ok && dog.answers).not.toHaveProperty('petOther');
  });

  it('names the broken part: an address line, an item of "add another", a file', () => {
    const result = validateAnswers(
      form,
      {
        ...valid(),
        home: { line1: '', town: 'Stroud', postcode: 'not a postcode' },
        household: [
          { personName: 'Alex', personBorn: '2001-04-03', personStudent: 'no' },
          { personName: '', personBorn: '2030-01-01', personStudent: 'maybe' },
        ],
        evidence: [{ id: 'x', name: 'virus.exe', type: 'application/x-msdownload', size: 10 }],
      },
      { today: TODAY },
    );
    expect(result.ok || result.errors.map((e) => e.field)).toEqual([
      'home.line1',
      'home.postcode',
      'evidence.0',
      'household.1.personName',
      'household.1.personBorn',
      'household.1.personStudent',
    ]);
  });

  it('counts a required "add another" and a file question, and their limits', () => {
    const files = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        id: `file-${i}`,
        name: `f${i}.pdf`,
        type: 'application/pdf',
        size: 10,
      }));
    const tooMany = validateAnswers(form, { ...valid(), evidence: files(3) }, { today: TODAY });
    expect(tooMany).toMatchObject({
      ok: false,
      errors: [{ field: 'evidence', message: { en: 'You can upload up to 2 files' } }],
    });
    const bigFile = validateAnswers(
      form,
      { ...valid(), evidence: [{ ...files(1)[0], size: 2_000_000 }] },
      { today: TODAY },
    );
    expect(bigFile).toMatchObject({
      ok: false,
      errors: [{ message: { en: 'The selected file must be smaller than 977 KB' } }],
    });
    const people = Array.from({ length: 4 }, () => valid().household as unknown[]).flat();
    expect(
      validateAnswers(form, { ...valid(), household: people }, { today: TODAY }),
    ).toMatchObject({
      ok: false,
      errors: [{ field: 'household', message: { en: 'You can add up to 3: Person' } }],
    });
    expect(validateAnswers(form, { ...valid(), household: [] }, { today: TODAY }).ok).toBe(true);
  });
});

describe('rules and their messages', () => {
  it('gives GOV.UK-style defaults in both languages, naming the answer by errorName', () => {
    const result = validateAnswers(form, { ...valid(), fullName: '' }, { today: TODAY });
    expect(result.ok || result.errors[0]).toEqual({
      field: 'fullName',
      message: { en: 'Enter your full name', cy: 'Rhowch eich enw llawn' },
    });
    const long = validateAnswers(form, { ...valid(), fullName: 'x'.repeat(101) }, { today: TODAY });
    expect(long.ok || long.errors[0]!.message.en).toBe(
      'Your full name must be 100 characters or fewer',
    );
  });

  it('uses the definition’s own message for a rule when it has one', () => {
    const question = only({
      type: 'number',
      name: 'age',
      label: b('Age'),
      min: 18,
      messages: {
        min: { en: 'You must be 18 or over to apply', cy: 'Rhaid i chi fod yn 18 oed neu’n hŷn' },
      },
    });
    expect(validateAnswers(question, { age: '17' }, { today: TODAY })).toEqual({
      ok: false,
      errors: [
        {
          field: 'age',
          message: {
            en: 'You must be 18 or over to apply',
            cy: 'Rhaid i chi fod yn 18 oed neu’n hŷn',
          },
        },
      ],
    });
    expect(validateAnswers(question, { age: '17.5' }, { today: TODAY }).ok).toBe(false);
    expect(validateAnswers(question, { age: '18' }, { today: TODAY })).toEqual({
      ok: true,
      answers: { age: '18' },
    });
  });

  it('checks text length, a pattern and a 10,000 character ceiling', () => {
    const reference = only({
      type: 'text',
      name: 'ref',
      label: b('Reference'),
      minLength: 3,
      pattern: '[A-Z]{2}\\d+',
    });
    expect(validateAnswers(reference, { ref: 'AB12' }, { today: TODAY }).ok).toBe(true);
    expect(validateAnswers(reference, { ref: 'ab12' }, { today: TODAY })).toMatchObject({
      ok: false,
      errors: [{ message: { en: 'Enter reference in the correct format' } }],
    });
    expect(validateAnswers(reference, { ref: 'A1' }, { today: TODAY })).toMatchObject({
      ok: false,
      errors: [{ message: { en: 'Reference must be 3 characters or more' } }],
    });
    const essay = only({ type: 'textarea', name: 'essay', label: b('Essay') });
    expect(validateAnswers(essay, { essay: 'x'.repeat(10_000) }, { today: TODAY }).ok).toBe(true);
    expect(validateAnswers(essay, { essay: 'x'.repeat(10_001) }, { today: TODAY })).toMatchObject({
      ok: false,
      errors: [{ message: { en: 'Essay must be 10,000 characters or fewer' } }],
    });
  });

  it('checks money in pounds (text) or pence (a number), within its bounds', () => {
    const fee = only({
      type: 'money',
      name: 'fee',
      label: b('Fee'),
      minPence: 100,
      maxPence: 5000,
    });
    expect(validateAnswers(fee, { fee: '£12.50' }, { today: TODAY })).toEqual({
      ok: true,
      answers: { fee: '1250' },
    });
    expect(validateAnswers(fee, { fee: 1250 }, { today: TODAY })).toEqual({
      ok: true,
      answers: { fee: '1250' },
    });
    expect(validateAnswers(fee, { fee: '0.50' }, { today: TODAY })).toMatchObject({
      ok: false,
      errors: [{ message: { en: 'Fee must be £1 or more' } }],
    });
    expect(validateAnswers(fee, { fee: 12.5 }, { today: TODAY }).ok).toBe(false);
    expect(validateAnswers(fee, { fee: 'twelve' }, { today: TODAY })).toMatchObject({
      ok: false,
      errors: [{ message: { en: 'Fee must be an amount of money, like 600 or 193.54' } }],
    });
  });

  it('checks dates against today, fixed dates and days from today', () => {
    const visit = only({
      type: 'date',
      name: 'visit',
      label: b('Visit date'),
      after: 'today',
      before: '2027-01-01',
      weekdaysOnly: true,
    });
    const at = (date: string) => validateAnswers(visit, { visit: date }, { today: TODAY });
    expect(at('2026-11-25').ok).toBe(true);
    expect(at('2026-11-24')).toMatchObject({
      ok: false,
      errors: [{ message: { en: 'Visit date must be in the future' } }],
    });
    expect(at('2027-01-01')).toMatchObject({
      ok: false,
      errors: [
        {
          message: {
            en: 'Visit date must be before 1 January 2027',
            cy: expect.stringMatching(/1 Ionawr 2027/),
          },
        },
      ],
    });
    expect(at('2026-11-28')).toMatchObject({
      ok: false,
      errors: [{ message: { en: 'Visit date must be a weekday, Monday to Friday' } }],
    });
    expect(at('2026-02-30')).toMatchObject({
      ok: false,
      errors: [{ message: { en: 'Visit date must be a real date' } }],
    });
    expect(
      validateAnswers(visit, { visit: { day: '1', month: '', year: '2027' } }, { today: TODAY }),
    ).toMatchObject({
      ok: false,
      errors: [{ message: { en: 'Visit date must be a full date, with a day, month and year' } }],
    });
  });

  it('checks how many checkboxes are ticked, and refuses values not offered', () => {
    const tooMany = validateAnswers(
      form,
      { ...valid(), reasons: ['repair', 'noise', 'damp'] },
      { today: TODAY },
    );
    expect(tooMany).toMatchObject({
      ok: false,
      errors: [{ message: { en: 'Select no more than 2 answers to ‘Why are you telling us?’' } }],
    });
    expect(
      validateAnswers(form, { ...valid(), reasons: ['repair', 'fire'] }, { today: TODAY }).ok,
    ).toBe(false);
    expect(
      validateAnswers(form, { ...valid(), reasons: ['repair', 'repair'] }, { today: TODAY }),
    ).toMatchObject({
      ok: true,
      answers: { reasons: ['repair'] },
    });
  });

  it('keeps an optional answer left empty as empty, so the page counts as answered', () => {
    const result = validateAnswers(
      form,
      { ...valid(), rent: '', phone: '', workPostcode: '   ' },
      { today: TODAY },
    );
    expect(result).toMatchObject({ ok: true, answers: { rent: '', phone: '', workPostcode: '' } });
  });

  it('keeps text safe to store: control characters go, unpaired surrogates are replaced', () => {
    const result = validateAnswers(
      form,
      { ...valid(), fullName: 'Sam\u0000 \ud800Citizen\u0007' },
      { today: TODAY },
    );
    expect(result).toMatchObject({ ok: true, answers: { fullName: 'Sam \ufffdCitizen' } });
  });
});
