import { describe, expect, it } from 'vitest';
import { loadMessages, translator } from '../../../../platform/i18n/i18n.js';
import { postalAddressOf } from './send.js';
import {
  bilingualLetter,
  decisionLetter,
  reviewDeadline,
  type DecisionLetterFacts,
} from './decision-letter.js';

const messages = await loadMessages();
const t = { en: translator(messages, 'en'), cy: translator(messages, 'cy') };

const REFUSAL: DecisionLetterFacts = {
  reference: 'JU-7K3M-Q2XD',
  applicantName: 'Sam Citizen',
  service: { en: 'Bulky waste collection', cy: 'Casglu gwastraff swmpus' },
  organisation: { en: 'Stroud District Council', cy: 'Cyngor Dosbarth Stroud' },
  decision: 'refused',
  told: null,
  toldReasons: false,
  reasons: 'The items are trade waste.',
  review: {
    deadline: '2026-03-30',
    link: 'https://joinedup.example/applications/JU-7K3M-Q2XD/review',
  },
};

describe('the decision letter', () => {
  it('gives the decision, the reasons, and the review route with its last day', () => {
    const letter = decisionLetter(t.en, 'en', REFUSAL);
    expect(letter.subject).toBe('JU-7K3M-Q2XD: decision on your application');
    expect(letter.body.split('\n\n')).toEqual([
      'Dear Sam Citizen,',
      'Stroud District Council has refused your application JU-7K3M-Q2XD for Bulky waste collection.',
      '# Reasons for the decision',
      'The items are trade waste.',
      '# If you disagree with the decision',
      expect.stringContaining(
        'until 30 March 2026. Go to https://joinedup.example/applications/JU-7K3M-Q2XD/review',
      ),
      'If you have a question about this letter, contact us quoting JU-7K3M-Q2XD.',
      'Yours sincerely,',
      'Stroud District Council',
    ]);
  });

  it('opens with the workflow’s own words, not repeating reasons they already give', () => {
    const told = { en: 'Refused.\n\nReason: The items are trade waste.', cy: 'Gwrthodwyd.' };
    const letter = decisionLetter(t.en, 'en', { ...REFUSAL, told, toldReasons: true });
    expect(letter.body).toContain(
      'Dear Sam Citizen,\n\nRefused.\n\nReason: The items are trade waste.',
    );
    expect(letter.body).not.toContain('# Reasons');
    const without = decisionLetter(t.en, 'en', { ...REFUSAL, told, toldReasons: false });
    expect(without.body).toContain('# Reasons for the decision');
  });

  it('asks an applicant without an account to write in, and leaves out a route the workflow does not give', () => {
    const inWriting = decisionLetter(t.en, 'en', {
      ...REFUSAL,
      review: { deadline: '2026-03-30', link: null },
    });
    expect(inWriting.body).toContain('Write to us quoting JU-7K3M-Q2XD');
    const approved = decisionLetter(t.en, 'en', {
      ...REFUSAL,
      decision: 'approved',
      reasons: null,
      review: null,
    });
    expect(approved.body).toContain('has approved your application');
    expect(approved.body).not.toContain('review');
  });

  it('is in Welsh too: after a rule in a message, on a new page in print', () => {
    const letter = bilingualLetter(t, REFUSAL);
    expect(letter.subject).toBe(
      'JU-7K3M-Q2XD: decision on your application / JU-7K3M-Q2XD: penderfyniad ar eich cais',
    );
    expect(letter.text).toContain('\n\n———\n\nAnnwyl Sam Citizen,');
    expect(letter.text).toContain('tan 30 Mawrth 2026');
    expect(letter.text).not.toMatch(/^# /m);
    expect(letter.printed.body).toContain('\n\n***\n\n# JU-7K3M-Q2XD: penderfyniad ar eich cais');
    expect(letter.printed.body).toMatch(/^# Reasons for the decision$/m);
  });
});

describe('the review deadline', () => {
  it('is the workflow’s number of days after the day of the decision', () => {
    expect(reviewDeadline('2026-03-02', 28)).toBe('2026-03-30');
    expect(reviewDeadline('2026-12-20', 28)).toBe('2027-01-17');
  });
});

describe('the postal address of an application', () => {
  it('is the first answer shaped as an address', () => {
    const answers = {
      values: {
        name: 'Pat',
        address: { line1: '1 High Street', line2: '', town: 'Stroud', postcode: 'GL5 1AA' },
        other: { line1: '2 Low Street', town: 'Stroud', postcode: 'GL5 1AB' },
      },
      summary: { en: [], cy: [] },
    };
    expect(postalAddressOf({ answers })).toEqual(['1 High Street', 'Stroud', 'GL5 1AA']);
  });

  it('is none when no answer is a whole address', () => {
    const answers = {
      values: { address: { line1: '1 High Street' } },
      summary: { en: [], cy: [] },
    };
    expect(postalAddressOf({ answers })).toBeNull();
    expect(postalAddressOf(undefined)).toBeNull();
  });
});
