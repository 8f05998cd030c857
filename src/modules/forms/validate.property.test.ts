import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FormDefinitionSchema, type FormDefinition } from './schema.js';
import { answersArb, definitionArb } from './test/arbitraries.js';
import { everyQuestionForm } from './test/every-question.js';
import { answersToInput, validateAnswers } from './validate.js';

const TODAY = '2026-11-24';
const everyQuestion = FormDefinitionSchema.parse(everyQuestionForm());

/** A definition and valid answers for it. */
const formWithAnswers = definitionArb().chain((input) => {
  const definition = FormDefinitionSchema.parse(input);
  return answersArb(definition, TODAY).map((answers) => ({ definition, answers }));
});

describe('the answer validator, on any input', () => {
  it('never throws on arbitrary JSON, and refuses anything that is not an object of answers', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (input) => {
        const result = validateAnswers(everyQuestion, input, { today: TODAY });
        expect(typeof result.ok).toBe('boolean');
        if (typeof input !== 'object' || input === null || Array.isArray(input))
          expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.errors.length).toBeGreaterThan(0);
          for (const error of result.errors) {
            expect(typeof error.field).toBe('string');
            expect(error.message.en.length).toBeGreaterThan(0);
            expect(error.message.cy.length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never throws when every question is given a value of the wrong kind', () => {
    const names = everyQuestion.pages.flatMap((p) => p.questions.map((q) => q.name));
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...names), fc.anything({ maxDepth: 3 })),
        (input) => {
          const result = validateAnswers(everyQuestion, input, { today: TODAY });
          expect(typeof result.ok).toBe('boolean');
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses any field the form does not ask', () => {
    const names = new Set(everyQuestion.pages.flatMap((p) => p.questions.map((q) => q.name)));
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 20 }).filter((k) => !names.has(k)),
        fc.jsonValue(),
        (key, value) => {
          const result = validateAnswers(everyQuestion, { [key]: value }, { today: TODAY });
          expect(result.ok).toBe(false);
          if (!result.ok) expect(result.errors.map((e) => e.field)).toContain(key);
        },
      ),
    );
  });
});

describe('the answer validator, on generated forms', () => {
  it('generates only definitions the schema accepts', () => {
    fc.assert(
      fc.property(definitionArb(), (input) => {
        const parsed = FormDefinitionSchema.safeParse(input);
        if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
      }),
      { numRuns: 200 },
    );
  });

  it('accepts valid answers however they are typed', () => {
    fc.assert(
      fc.property(formWithAnswers, ({ definition, answers }) => {
        const result = validateAnswers(definition, answers, { today: TODAY });
        if (!result.ok)
          throw new Error(`${JSON.stringify(result.errors)}\nfor ${JSON.stringify(answers)}`);
      }),
      { numRuns: 300 },
    );
  });

  it('normalises idempotently: normalised answers validate to themselves', () => {
    fc.assert(
      fc.property(formWithAnswers, ({ definition, answers }) => {
        const once = validateAnswers(definition, answers, { today: TODAY });
        if (!once.ok) return;
        const twice = validateAnswers(definition, answersToInput(definition, once.answers), {
          today: TODAY,
        });
        expect(twice).toEqual(once);
      }),
      { numRuns: 300 },
    );
  });

  it('drops the answers of pages whose condition does not hold, and keeps nothing unasked', () => {
    fc.assert(
      fc.property(formWithAnswers, ({ definition, answers }) => {
        const result = validateAnswers(definition, answers, { today: TODAY });
        if (!result.ok) return;
        const asked = new Set(askedNames(definition, result.answers));
        for (const name of Object.keys(result.answers)) expect(asked.has(name)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

function askedNames(definition: FormDefinition, answers: Record<string, unknown>): string[] {
  return definition.pages
    .filter((p) => !p.when || ('equals' in p.when && answers[p.when.question] === p.when.equals))
    .flatMap((p) => p.questions.map((q) => q.name));
}

describe('the answer validator, on hostile input', () => {
  it('refuses 10 MB of text in a field quickly', () => {
    const huge = 'x'.repeat(10 * 1024 * 1024);
    const started = performance.now();
    const result = validateAnswers(
      everyQuestion,
      { fullName: huge, story: huge, email: huge, nino: huge, phone: huge },
      { today: TODAY },
    );
    const took = performance.now() - started;
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors.map((e) => e.field)).toEqual(
        expect.arrayContaining(['fullName', 'story', 'email', 'nino', 'phone']),
      );
    expect(took).toBeLessThan(100);
  });

  it('reports at most a hundred problems, however many fields are sent', () => {
    const many = Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`field${i}`, i]));
    const result = validateAnswers(everyQuestion, many, { today: TODAY });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.length).toBeLessThanOrEqual(101);
  });

  it('refuses a million checkbox values without looking at each', () => {
    const result = validateAnswers(
      everyQuestion,
      { reasons: Array.from({ length: 1_000_000 }, () => 'repair') },
      { today: TODAY },
    );
    expect(result.ok).toBe(false);
  });
});
