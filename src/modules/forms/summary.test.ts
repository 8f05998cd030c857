import { describe, expect, it } from 'vitest';
import { FormDefinitionSchema } from './schema.js';
import { summariseAnswers, summariseAnswersInBoth } from './summary.js';
import { everyQuestionForm } from './test/every-question.js';

const form = FormDefinitionSchema.parse(everyQuestionForm());

/** Answers to most of the form: text, number, money, dates, yes/no, phone, repeated items. */
const answers = {
  fullName: 'Sam Citizen',
  story: 'Leaks',
  people: '2',
  rent: '125050',
  moveDate: '2020-02-29',
  hasPets: 'yes',
  petKind: 'dog',
  phone: '+447700900982',
  household: [
    { personName: 'Alex', personBorn: '2001-04-03', personStudent: 'yes' },
    { personName: 'Bo', personBorn: '1999-12-31', personStudent: 'no' },
  ],
};

describe('the summary kept with a submission', () => {
  it('is, in each language, what summariseAnswers writes in that language', () => {
    const both = summariseAnswersInBoth(form, answers);
    for (const locale of ['en', 'cy'] as const)
      expect(both[locale]).toEqual(
        summariseAnswers(form, answers, locale).map(({ question, answer }) => ({
          question,
          answer,
        })),
      );
    expect(both.en.length).toBeGreaterThan(8);
  });

  it('words choices, yes/no and dates in Welsh, and writes money and phone numbers once', () => {
    const { en, cy } = summariseAnswersInBoth(form, answers);
    const moveDate = en.findIndex((r) => r.answer === 'Saturday 29 February 2020');
    expect(cy[moveDate]?.answer).toBe('Dydd Sadwrn 29 Chwefror 2020');
    const pets = en.findIndex((r) => r.question === 'Do you have pets?');
    expect([en[pets]?.answer, cy[pets]?.answer]).toEqual(['Yes', 'Ie']);
    expect(cy.filter((r) => r.question.startsWith('Person')).map((r) => r.answer)).toEqual([
      'Alex\nDydd Mawrth 3 Ebrill 2001\nIe',
      'Bo\nDydd Gwener 31 Rhagfyr 1999\nNa',
    ]);
    const rent = en.findIndex((r) => r.answer === '£1,250.50');
    expect(cy[rent]?.answer).toBe('£1,250.50');
  });
});
