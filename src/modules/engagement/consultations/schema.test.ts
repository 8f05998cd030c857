import { describe, expect, it } from 'vitest';
import { validateAnswers } from '../../forms/index.js';
import { formForReader, questionFormOfSlots } from './questions.js';
import {
  consultationSchema,
  consultationStatus,
  documentPages,
  pagesProblem,
  publishFormValues,
  readPublishForm,
} from './schema.js';

const NOW = new Date('2026-06-15T10:00:00Z');

function form(fields: Record<string, string> = {}) {
  return publishFormValues({
    title: 'Parking in Stroud town centre',
    summary: 'We propose new parking charges.',
    body: 'First paragraph.\n\nSecond paragraph.',
    audience: 'Residents and businesses',
    topic: 'transport',
    'opensOn-day': '15',
    'opensOn-month': '6',
    'opensOn-year': '2026',
    'closesOn-day': '31',
    'closesOn-month': '7',
    'closesOn-year': '2026',
    area: 'country',
    signIn: 'no',
    'q1-text': 'Do you agree?',
    'q1-kind': 'choice',
    'q1-options': 'Yes\r\nNo\r\n\r\nNot sure',
    'q2-text': 'Why?',
    'q2-kind': 'text',
    ...fields,
  });
}

const fields = (outcome: ReturnType<typeof readPublishForm>) =>
  outcome.ok ? [] : outcome.errors.map((e) => `${e.field}:${e.message}`);

describe('reading the publish form', () => {
  it('a complete form becomes a consultation: blank question slots skipped, options one a line', () => {
    const read = readPublishForm(form(), NOW);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.consultation).toMatchObject({
      opensOn: '2026-06-15',
      closesOn: '2026-07-31',
      topic: 'transport',
      districts: [],
      signInRequired: false,
      questions: [
        { kind: 'choice', text: 'Do you agree?', options: ['Yes', 'No', 'Not sure'] },
        { kind: 'text', text: 'Why?' },
      ],
    });
  });

  it('a topic must be one of the fixed list', () => {
    for (const topic of ['', 'gardening', 'Transport'])
      expect(fields(readPublishForm(form({ topic }), NOW)), topic).toEqual([
        'topic:consultations.publish.topic.missing',
      ]);
    const read = readPublishForm(form({ topic: 'health-and-care' }), NOW);
    expect(read.ok && read.consultation.topic).toBe('health-and-care');
  });

  it('districts are upper-cased, de-duplicated and checked', () => {
    const read = readPublishForm(
      form({ area: 'districts', districts: 'gl5, GL6\ngl5', signIn: 'yes' }),
      NOW,
    );
    expect(read.ok && read.consultation.districts).toEqual(['GL5', 'GL6']);
    expect(read.ok && read.consultation.signInRequired).toBe(true);
    expect(
      fields(readPublishForm(form({ area: 'districts', districts: 'GL5 NOTADISTRICT' }), NOW)),
    ).toEqual(['districts:consultations.publish.districts.invalid']);
    expect(fields(readPublishForm(form({ area: 'districts', districts: '' }), NOW))).toEqual([
      'districts:consultations.publish.districts.missing',
    ]);
  });

  it('each problem names its field and message', () => {
    expect(
      fields(
        readPublishForm(form({ title: '', 'closesOn-day': '14', 'closesOn-month': '6' }), NOW),
      ),
    ).toEqual([
      'title:consultations.publish.title.missing',
      'closesOn-day:consultations.publish.closesOn.beforeOpens',
    ]);
    expect(fields(readPublishForm(form({ 'opensOn-day': '14' }), NOW))).toContain(
      'opensOn-day:consultations.publish.opensOn.past',
    );
    expect(
      fields(readPublishForm(form({ 'opensOn-day': '31', 'opensOn-month': '2' }), NOW)),
    ).toEqual(['opensOn-day:consultations.publish.opensOn.invalid']);
    expect(fields(readPublishForm(form({ 'q1-options': 'Only one' }), NOW))).toEqual([
      'q1-options:consultations.publish.options.tooFew',
    ]);
    expect(fields(readPublishForm(form({ 'q2-kind': '' }), NOW))).toEqual([
      'q2-kind:consultations.publish.kind.missing',
    ]);
    expect(
      fields(
        readPublishForm(
          form({ 'q1-text': '', 'q1-kind': '', 'q1-options': '', 'q2-text': '', 'q2-kind': '' }),
          NOW,
        ),
      ),
    ).toEqual(['q1-text:consultations.publish.questions.missing']);
    expect(fields(readPublishForm(form({ area: '', signIn: '' }), NOW))).toEqual([
      'area:consultations.publish.area.missing',
      'signIn:consultations.publish.signIn.missing',
    ]);
  });

  it('the schema refuses a choice question with the same option twice', () => {
    const parsed = consultationSchema.safeParse({
      title: 't',
      summary: 's',
      body: 'b',
      audience: 'a',
      topic: 'other',
      opensOn: '2026-06-15',
      closesOn: '2026-06-15',
      districts: [],
      signInRequired: false,
      questions: [{ kind: 'choice', text: 'Q', options: ['Yes', 'Yes'] }],
    });
    expect(parsed.success).toBe(false);
  });
});

describe('when a consultation takes responses', () => {
  const c = { opens_on: '2026-06-15', closes_on: '2026-06-30' };

  it('from the start of its first London day to the end of its last', () => {
    expect(consultationStatus(c, new Date('2026-06-14T22:59:59Z'))).toBe('upcoming');
    expect(consultationStatus(c, new Date('2026-06-14T23:00:00Z'))).toBe('open'); // 00:00 BST
    expect(consultationStatus(c, new Date('2026-06-30T22:59:59Z'))).toBe('open');
    expect(consultationStatus(c, new Date('2026-06-30T23:00:00Z'))).toBe('closed');
  });

  it('as a form: free text may be blank but not too long; a choice must be one of the options', () => {
    const { form: definition } = questionFormOfSlots([
      { kind: 'text', text: 'Why?' },
      { kind: 'choice', text: 'Agree?', options: ['Yes', 'No'] },
    ]);
    const check = (answers: Record<string, unknown>) =>
      validateAnswers(definition, answers, { today: '2026-06-15' });
    expect(check({ q1: '', q2: 'yes' }).ok).toBe(true);
    expect(check({ q1: 'x'.repeat(5001), q2: 'yes' })).toMatchObject({
      ok: false,
      errors: [{ field: 'q1', message: { en: 'Your answer must be 5,000 characters or fewer' } }],
    });
    for (const q2 of ['maybe', '', 'Yes']) expect(check({ q1: '', q2 }).ok, q2).toBe(false);
    expect(check({ q1: '' })).toMatchObject({
      ok: false,
      errors: [{ field: 'q2', message: { en: 'Select one of the answers' } }],
    });
  });
});

describe('document pages', () => {
  it('a line "# Title" starts a page; a document without one is a single untitled page', () => {
    expect(documentPages('First.\n\nSecond.')).toEqual([
      { title: null, body: 'First.\n\nSecond.' },
    ]);
    expect(documentPages('# Why\r\nBecause.\n\n#   What  \nThis.\n\nThat.')).toEqual([
      { title: 'Why', body: 'Because.' },
      { title: 'What', body: 'This.\n\nThat.' },
    ]);
    // "#" without a space, or not at the start of a line, is text.
    expect(documentPages('#hashtag\nText # not a title')).toHaveLength(1);
    expect(documentPages('Intro.\n# Page\nText.')[0]).toEqual({ title: null, body: 'Intro.' });
  });

  it('refuses text before the first title, empty pages, long titles and more than 20 pages', () => {
    expect(pagesProblem('Just text.')).toBeNull();
    expect(pagesProblem('# One\nText.\n# Two\nMore.')).toBeNull();
    expect(pagesProblem('Intro.\n# One\nText.')).toBe('beforeFirst');
    expect(pagesProblem('# One\nText.\n# Two\n\n')).toBe('empty');
    expect(pagesProblem(`# ${'x'.repeat(121)}\nText.`)).toBe('titleTooLong');
    expect(pagesProblem(`# ${'x'.repeat(120)}\nText.`)).toBeNull();
    const pages = (n: number) => Array.from({ length: n }, (_, i) => `# P${i}\nText.`).join('\n');
    expect(pagesProblem(pages(20))).toBeNull();
    expect(pagesProblem(pages(21))).toBe('tooMany');
  });

  it('a Welsh document must have as many pages as the English', () => {
    const parsed = readPublishForm(
      form({
        body: '# One\nText.\n# Two\nMore.',
        titleCy: 'Parcio',
        summaryCy: 'Taliadau.',
        bodyCy: '# Un\nTestun.',
      }),
      NOW,
    );
    expect(fields(parsed)).toEqual(['bodyCy:consultations.publish.pages.welshCount']);
  });
});

describe('questions in easy read', () => {
  it('is read from the form and shown only to easy read readers, before the Welsh', () => {
    const parsed = readPublishForm(
      form({ 'q1-textEasy': 'Is it good?', 'q1-textCy': 'Ydych chi?' }),
      NOW,
    );
    expect(parsed.ok).toBe(true);
    const questions = parsed.ok ? (parsed.consultation.questions ?? []) : [];
    expect(questions[0]).toMatchObject({ textEasy: 'Is it good?' });
    const asForm = questionFormOfSlots(questions);
    expect(asForm.easyRead).toEqual({ q1: 'Is it good?' });
    // Easy read wording in both languages (easy read versions are in English); else as written.
    expect(formForReader(asForm, true).pages[0]!.questions[0]!.label).toEqual({
      en: 'Is it good?',
      cy: 'Is it good?',
    });
    expect(formForReader(asForm, false).pages[0]!.questions[0]!.label).toEqual({
      en: 'Do you agree?',
      cy: 'Ydych chi?',
    });
    const long = readPublishForm(form({ 'q2-textEasy': 'x'.repeat(301) }), NOW);
    expect(fields(long)).toEqual(['q2-textEasy:consultations.publish.questionEasy.tooLong']);
  });
});
