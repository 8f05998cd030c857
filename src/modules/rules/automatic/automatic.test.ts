import { describe, expect, it } from 'vitest';
import { aCitizen, aStaffMember } from '../../identity/index.js';
import { canSetAutomation, mayAskForReview } from '../policies/automatic.js';
import type { DecisionTable } from '../schema.js';
import { isSampled } from './decide.js';
import { inputsFromAnswers } from './inputs.js';
import { parseSamplePercent } from './settings.js';

const county = { organisationId: 'gloucestershire', ownerUserId: null };

describe('who may let a service’s rules decide', () => {
  it('a service owner of the service’s body may', () => {
    expect(canSetAutomation(aStaffMember('gloucestershire', ['service-owner']), county)).toBe(true);
  });

  it('a service owner of another body, a caseworker, a citizen and nobody may not', () => {
    expect(canSetAutomation(aStaffMember('stroud', ['service-owner']), county)).toBe(false);
    expect(canSetAutomation(aStaffMember('gloucestershire', ['caseworker']), county)).toBe(false);
    expect(canSetAutomation(aCitizen(), county)).toBe(false);
    expect(canSetAutomation(null, county)).toBe(false);
  });
});

describe('who may ask for a person to review an automatic decision', () => {
  it('the applicant may, and an agent the submissions module let see it', () => {
    const applicant = aCitizen({ id: 'sam' });
    expect(mayAskForReview(applicant, { applicant_user_id: 'sam' }, false)).toBe(true);
    expect(mayAskForReview(aCitizen({ id: 'chris' }), { applicant_user_id: 'sam' }, true)).toBe(
      true,
    );
  });

  it('another citizen, staff of the body and nobody may not', () => {
    expect(mayAskForReview(aCitizen({ id: 'jo' }), { applicant_user_id: 'sam' }, false)).toBe(
      false,
    );
    expect(
      mayAskForReview(
        aStaffMember('gloucestershire', ['caseworker']),
        { applicant_user_id: 'sam' },
        true,
      ),
    ).toBe(false);
    expect(mayAskForReview(null, { applicant_user_id: 'sam' }, false)).toBe(false);
    expect(mayAskForReview(aCitizen({ id: 'sam' }), { applicant_user_id: null }, false)).toBe(
      false,
    );
  });
});

describe('the sample percentage', () => {
  it('is a whole number from 0 to 100, with or without %', () => {
    expect(parseSamplePercent('0')).toBe(0);
    expect(parseSamplePercent(' 10 % ')).toBe(10);
    expect(parseSamplePercent('100')).toBe(100);
    for (const bad of ['', '101', '-1', '2.5', 'ten', '1e2'])
      expect(parseSamplePercent(bad)).toBe(undefined);
  });

  it('picks decisions with the chance it says, by the random source given', () => {
    const draws = Array.from({ length: 100 }, (_, i) => i / 100);
    let n = 0;
    const random = () => draws[n++ % draws.length]!;
    expect(draws.filter(() => isSampled(25, random)).length).toBe(25);
  });
});

describe('reading a table’s inputs from the answers', () => {
  const table = {
    inputs: [
      { name: 'benefit', type: 'yesno' },
      { name: 'school', type: 'yesno' },
      { name: 'savings', type: 'money' },
      { name: 'children', type: 'number' },
      { name: 'tenure', type: 'choice', options: [] },
      { name: 'moved', type: 'date' },
    ],
  } as unknown as DecisionTable;

  it('takes yes and no, pence and numbers as text, choices and dates, and an evidence check’s value', () => {
    expect(
      inputsFromAnswers(table, {
        benefit: { kind: 'evidence', value: true, statement: { en: '', cy: '' } },
        school: 'no',
        savings: '250000',
        children: '3',
        tenure: 'renting',
        moved: '2026-04-01',
        other: 'ignored',
      }),
    ).toEqual({
      benefit: true,
      school: false,
      savings: 250000,
      children: 3,
      tenure: 'renting',
      moved: '2026-04-01',
    });
  });

  it('leaves out what cannot be read so: an upload instead of a check, words for a number', () => {
    expect(
      inputsFromAnswers(table, {
        benefit: [{ id: 'f', name: 'letter.pdf', type: 'application/pdf', size: 1 }],
        school: 'maybe',
        savings: '£2,500',
        children: 'three',
      }),
    ).toEqual({});
  });
});
