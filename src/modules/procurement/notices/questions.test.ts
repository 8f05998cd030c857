import { describe, expect, it } from 'vitest';
import { checkDefinitionText, FormDefinitionSchema } from '../../forms/index.js';
import {
  answersOf,
  questionFormOf,
  questionFormOfLines,
  questionTexts,
  tenderFormProblems,
} from './questions.js';

const bilingual = (text: string) => ({ en: text, cy: `${text} (cy)` });

function form(questions: unknown[], more: Record<string, unknown> = {}) {
  return FormDefinitionSchema.parse({
    key: 'tender',
    title: bilingual('Tender'),
    pages: questions.map((q, i) => ({
      id: `p${i + 1}`,
      title: bilingual(`Page ${i + 1}`),
      questions: [q],
    })),
    confirmation: { body: bilingual('Thanks') },
    ...more,
  });
}

const text = (name: string) => ({ type: 'textarea', name, label: bilingual(`About ${name}`) });

/** A translator that shows the key and its values, so messages can be told apart. */
const t = (key: string, values?: Record<string, string | number>) =>
  `${key}${values ? ` ${JSON.stringify(values)}` : ''}`;

describe('tender questions as a form', () => {
  it('questions one a line are long-text questions q1, q2 …, labelled alike in both languages', () => {
    const definition = questionFormOfLines([
      { text: 'How will you staff it?' },
      { text: 'Emissions?' },
    ]);
    const questions = definition.pages.flatMap((p) => p.questions);
    expect(questions.map((q) => [q.type, q.name, q.label.en, q.label.cy])).toEqual([
      ['textarea', 'q1', 'How will you staff it?', 'How will you staff it?'],
      ['textarea', 'q2', 'Emissions?', 'Emissions?'],
    ]);
    expect(
      questionFormOf({ questions: [{ text: 'One' }], question_form: null }).pages[0]!.questions[0]!
        .name,
    ).toBe('q1');
  });

  it('a notice’s own definition wins over its questions one a line, and its labels are read in either language', () => {
    const own = form([text('staffing')]);
    const read = questionFormOf({ questions: [{ text: 'Ignored' }], question_form: own });
    expect(questionTexts(read, 'en')).toEqual([{ text: 'About staffing' }]);
    expect(questionTexts(read, 'cy')).toEqual([{ text: 'About staffing (cy)' }]);
  });

  it('refuses files, "add another", evidence, a fee and the page’s own field names; accepts ordinary questions', () => {
    expect(
      tenderFormProblems(
        form([text('staffing'), { type: 'yesNo', name: 'insured', label: bilingual('Insured?') }]),
      ),
    ).toEqual([]);
    const file = form([{ type: 'file', name: 'certificate', label: bilingual('Certificate') }]);
    expect(tenderFormProblems(file)).toEqual([
      {
        path: ['pages', 0, 'questions', 0, 'type'],
        message: expect.stringContaining('file question'),
      },
    ]);
    const repeat = form([
      {
        type: 'repeat',
        name: 'staff',
        label: bilingual('Staff'),
        itemLabel: bilingual('Person'),
        questions: [text('role')],
      },
    ]);
    expect(tenderFormProblems(repeat)[0]!.message).toContain('repeat question');
    const priced = form([text('price')], {
      fee: { description: bilingual('Fee'), amount: { type: 'fixed', pence: 100 } },
    });
    expect(tenderFormProblems(priced).map((p) => p.path.join('.'))).toEqual([
      'pages.0.questions.0.name',
      'fee',
    ]);
  });

  it('a kept list of answers reads as q1, q2 …; answers by name read as they are', () => {
    expect(answersOf(['a', 'b'])).toEqual({ q1: 'a', q2: 'b' });
    expect(answersOf({ mowing: 'electric' })).toEqual({ mowing: 'electric' });
    expect(answersOf(null)).toEqual({});
  });

  it('the forms editor’s check of typed JSON gives the line of a problem, the tender’s own problems included', () => {
    const syntax = checkDefinitionText('{\n  "key": "x",\n}', t);
    expect(syntax.ok).toBe(false);
    expect(!syntax.ok && syntax.errors[0]).toContain('"line":3');
    const json = JSON.stringify(
      {
        key: 'tender',
        title: bilingual('Tender'),
        pages: [
          {
            id: 'files',
            title: bilingual('Files'),
            questions: [{ type: 'file', name: 'certificate', label: bilingual('Certificate') }],
          },
        ],
        confirmation: { body: bilingual('Thanks') },
      },
      null,
      2,
    );
    const refused = checkDefinitionText(json, t, tenderFormProblems);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.errors[0]).toContain('"path":"pages.0.questions.0.type"');
    const typeLine = json.split('\n').findIndex((line) => line.includes('"type": "file"')) + 1;
    expect(!refused.ok && refused.errors[0]).toContain(`"line":${typeLine}`);
    const accepted = checkDefinitionText(
      json.replace('"file"', '"textarea"'),
      t,
      tenderFormProblems,
    );
    expect(accepted.ok).toBe(true);
  });
});
