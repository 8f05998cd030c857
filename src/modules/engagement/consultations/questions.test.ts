import { describe, expect, it } from 'vitest';
import { FormDefinitionSchema, validateAnswers } from '../../forms/index.js';
import {
  answersOf,
  consultationFormProblems,
  hasQuestionForm,
  questionFormOf,
  questionFormOfSlots,
  readEasyRead,
} from './questions.js';
import type { Question } from './schema.js';

const SLOTS: Question[] = [
  {
    kind: 'choice',
    text: 'Do you agree?',
    textCy: 'Ydych chi’n cytuno?',
    options: ['Yes', 'No', 'Not sure', 'Ôl-ddodiad!', '??'],
    optionsCy: ['Ydw', 'Nac ydw', 'Ddim yn siŵr', 'Ôl', 'Dim'],
  },
  { kind: 'text', text: 'Tell us why', textEasy: 'Why?' },
];

describe('slot questions as a form definition', () => {
  it('one question a page, named q1, q2 …; options valued by their English text; Welsh where given', () => {
    const { form, easyRead } = questionFormOfSlots(SLOTS);
    expect(form.pages.map((p) => p.id)).toEqual(['question-1', 'question-2']);
    const [choice, text] = form.pages.map((p) => p.questions[0]!);
    expect(choice).toMatchObject({
      type: 'radios',
      name: 'q1',
      required: true,
      label: { en: 'Do you agree?', cy: 'Ydych chi’n cytuno?' },
    });
    expect(choice!.type === 'radios' && choice.options.map((o) => o.value)).toEqual([
      'yes',
      'no',
      'not-sure',
      'ol-ddodiad',
      'option-5',
    ]);
    expect(text).toMatchObject({
      type: 'textarea',
      name: 'q2',
      required: false,
      maxLength: 5000,
      label: { en: 'Tell us why', cy: 'Tell us why' },
    });
    expect(easyRead).toEqual({ q2: 'Why?' });
  });

  it('a response kept by question number reads as the definition’s answers, and validates', () => {
    const answers = answersOf(SLOTS, { '0': 'Not sure', '1': 'Because.', '7': 'stray' });
    expect(answers).toEqual({ q1: 'not-sure', q2: 'Because.' });
    const { form } = questionFormOf(SLOTS);
    expect(validateAnswers(form, answers, { today: '2026-06-15' })).toEqual({
      ok: true,
      answers,
    });
    // Answers already kept by name are as they are.
    expect(answersOf(SLOTS, { q1: 'yes', q2: '' })).toEqual({ q1: 'yes', q2: '' });
  });

  it('a stored form is read as it is, its easy read wording with it', () => {
    const { form } = questionFormOfSlots(SLOTS);
    const stored = { form, easyRead: { q1: 'Agree?' } };
    expect(hasQuestionForm(stored)).toBe(true);
    expect(hasQuestionForm(SLOTS)).toBe(false);
    expect(questionFormOf(JSON.parse(JSON.stringify(stored)))).toEqual(stored);
  });
});

describe('what a consultation’s form may not have', () => {
  const definition = (questions: unknown[], extra: Record<string, unknown> = {}) =>
    FormDefinitionSchema.parse({
      key: 'c',
      title: { en: 'C', cy: 'C' },
      pages: [{ id: 'p', title: { en: 'P', cy: 'P' }, questions }],
      confirmation: { body: { en: 'Done', cy: 'Wedi' } },
      ...extra,
    });
  const label = { en: 'Q', cy: 'Q' };

  it('refuses uploads, NI numbers, the page’s own names, prefills, fees and declarations', () => {
    const problems = consultationFormProblems(
      definition(
        [
          { type: 'nino', name: 'ni', label },
          { type: 'text', name: 'action', label },
          { type: 'email', name: 'mail', label, prefill: 'email' },
        ],
        { declaration: { en: 'I agree', cy: 'Cytunaf' } },
      ),
    );
    expect(problems.map((p) => p.path.join('.'))).toEqual([
      'pages.0.questions.0.type',
      'pages.0.questions.1.name',
      'pages.0.questions.2.prefill',
      'declaration',
    ]);
    expect(
      consultationFormProblems(
        definition([
          { type: 'checkboxes', name: 'a', label, options: [{ value: 'x', label }] },
          { type: 'textarea', name: 'b', label },
        ]),
      ),
    ).toEqual([]);
  });
});

describe('easy read wording typed on the questions page', () => {
  const { form } = questionFormOfSlots(SLOTS);
  it('is read one a line as name: wording', () => {
    expect(readEasyRead('q1: Agree?\n\n  q2 :  Why?  \n', form)).toEqual({
      ok: true,
      easyRead: { q1: 'Agree?', q2: 'Why?' },
    });
  });
  it('names each problem with its line', () => {
    const read = readEasyRead(
      `nonsense\nq9: What?\nq1: A\nq1: B\nq2:\nq2: ${'x'.repeat(301)}`,
      form,
    );
    expect(read).toEqual({
      ok: false,
      problems: [
        { key: 'format', line: 1 },
        { key: 'unknown', line: 2, name: 'q9' },
        { key: 'twice', line: 4, name: 'q1' },
        { key: 'empty', line: 5, name: 'q2' },
        { key: 'tooLong', line: 6, name: 'q2' },
      ],
    });
  });
});
