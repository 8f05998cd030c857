/**
 * fast-check generators: form definitions (every question type, rules, page conditions) and,
 * for a given definition, answers that are valid for it — typed in the untidy ways people
 * type them (spaces, lower case, pounds for money), so normalising is exercised too.
 */
import fc from 'fast-check';
import type { FormDefinitionInput, ItemQuestion, Question } from '../schema.js';

const b = (en: string) => ({ en, cy: `${en} (cy)` });

const word = fc.stringMatching(/^[A-Za-z][a-z]{0,9}$/);

/** Text of a length between min and max, letters and single spaces, maybe padded with spaces. */
function textBetween(min: number, max: number): fc.Arbitrary<string> {
  return fc
    .string({
      unit: fc.constantFrom(...'abcdefghij KLMNOP'),
      minLength: min,
      maxLength: Math.min(max, 60),
    })
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => s.length >= min && s.length <= max && s.length > 0)
    .chain((s) => fc.constantFrom(s, ` ${s} `));
}

function options(n: number) {
  return Array.from({ length: n }, (_, i) => ({ value: `opt${i}`, label: b(`Option ${i}`) }));
}

type Q = Question | ItemQuestion;

/** One question of any type (but "add another" and files, which `questionArb` adds) with random rules. */
function scalarQuestion(name: string): fc.Arbitrary<ItemQuestion> {
  const base = { name, label: b(`Question ${name}`) };
  const required = fc.boolean();
  return fc.oneof(
    fc
      .record({
        required,
        min: fc.integer({ min: 1, max: 5 }),
        span: fc.integer({ min: 0, max: 50 }),
      })
      .map(
        ({ required, min, span }): ItemQuestion =>
          ({
            type: 'text',
            ...base,
            required,
            minLength: min,
            maxLength: min + span,
            prefill: undefined,
          }) as never,
      ),
    fc
      .record({ required, max: fc.integer({ min: 1, max: 300 }) })
      .map(
        ({ required, max }) => ({ type: 'textarea', ...base, required, maxLength: max }) as never,
      ),
    fc
      .record({
        required,
        min: fc.integer({ min: -100, max: 100 }),
        span: fc.integer({ min: 0, max: 1000 }),
        integer: fc.boolean(),
      })
      .map(
        ({ required, min, span, integer }) =>
          ({ type: 'number', ...base, required, min, max: min + span, integer }) as never,
      ),
    fc
      .record({
        required,
        min: fc.integer({ min: 0, max: 10_000 }),
        span: fc.integer({ min: 0, max: 1_000_000 }),
      })
      .map(
        ({ required, min, span }) =>
          ({ type: 'money', ...base, required, minPence: min, maxPence: min + span }) as never,
      ),
    fc
      .record({
        required,
        after: fc.integer({ min: -400, max: 30 }),
        span: fc.integer({ min: 8, max: 400 }),
        weekdaysOnly: fc.boolean(),
      })
      .map(
        ({ required, after, span, weekdaysOnly }) =>
          ({
            type: 'date',
            ...base,
            required,
            after: { daysFromToday: after },
            before: { daysFromToday: after + span },
            weekdaysOnly,
          }) as never,
      ),
    required.map((required) => ({ type: 'yesNo', ...base, required }) as never),
    fc
      .record({ required, n: fc.integer({ min: 2, max: 6 }) })
      .map(
        ({ required, n }) => ({ type: 'radios', ...base, required, options: options(n) }) as never,
      ),
    fc
      .record({ required, n: fc.integer({ min: 1, max: 6 }) })
      .map(
        ({ required, n }) => ({ type: 'select', ...base, required, options: options(n) }) as never,
      ),
    fc
      .record({
        required,
        n: fc.integer({ min: 1, max: 6 }),
        max: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
      })
      .map(
        ({ required, n, max }) =>
          ({
            type: 'checkboxes',
            ...base,
            required,
            options: options(n),
            ...(max !== undefined ? { maxSelected: Math.min(max, n) } : {}),
          }) as never,
      ),
    required.map((required) => ({ type: 'address', ...base, required }) as never),
    required.map((required) => ({ type: 'postcode', ...base, required }) as never),
    fc
      .record({ required, mobileOnly: fc.boolean() })
      .map(
        ({ required, mobileOnly }) => ({ type: 'phone', ...base, required, mobileOnly }) as never,
      ),
    required.map((required) => ({ type: 'email', ...base, required }) as never),
    required.map((required) => ({ type: 'nino', ...base, required }) as never),
  );
}

function fileQuestion(name: string): fc.Arbitrary<Q> {
  return fc
    .record({
      required: fc.boolean(),
      maxFiles: fc.integer({ min: 1, max: 4 }),
      maxBytes: fc.integer({ min: 1000, max: 5_000_000 }),
    })
    .map(
      ({ required, maxFiles, maxBytes }) =>
        ({
          type: 'file',
          name,
          label: b(`Files ${name}`),
          required,
          maxFiles,
          maxBytes,
          accept: ['application/pdf', 'image/png'],
        }) as never,
    );
}

function repeatQuestion(name: string): fc.Arbitrary<Q> {
  return fc
    .record({
      required: fc.boolean(),
      max: fc.integer({ min: 1, max: 4 }),
      inner: fc.array(fc.constant(null), { minLength: 1, maxLength: 3 }),
    })
    .chain(({ required, max, inner }) =>
      fc.tuple(...inner.map((_, i) => scalarQuestion(`${name}x${i}`))).map(
        (questions) =>
          ({
            type: 'repeat',
            name,
            label: b(`Items ${name}`),
            itemLabel: b('Item'),
            required,
            max,
            questions,
          }) as never,
      ),
    );
}

/**
 * A valid form definition: 1–5 pages of 1–4 questions (a file or "add another" question alone on
 * its page), pages after the first maybe asked only when an earlier yes/no question is "yes".
 */
export function definitionArb(): fc.Arbitrary<FormDefinitionInput> {
  return fc
    .array(
      fc.oneof(
        { weight: 6, arbitrary: fc.integer({ min: 1, max: 4 }) },
        { weight: 1, arbitrary: fc.constant(-1) },
        { weight: 1, arbitrary: fc.constant(-2) },
      ),
      {
        minLength: 1,
        maxLength: 5,
      },
    )
    .chain((shape) =>
      fc.tuple(
        ...shape.map((n, p) =>
          n === -1
            ? fileQuestion(`p${p}q0`).map((q) => [q])
            : n === -2
              ? repeatQuestion(`p${p}q0`).map((q) => [q])
              : fc.tuple(...Array.from({ length: n }, (_, q) => scalarQuestion(`p${p}q${q}`))),
        ),
      ),
    )
    .chain((pages) => {
      const yesNos = pages.map((questions) =>
        questions.filter((q) => q.type === 'yesNo').map((q) => q.name),
      );
      return fc
        .tuple(
          ...pages.map((_, p) => {
            const earlier = yesNos.slice(0, p).flat();
            return earlier.length
              ? fc.option(fc.constantFrom(...earlier), { nil: undefined })
              : fc.constant(undefined);
          }),
        )
        .map((conditions) => ({
          key: 'generated',
          title: b('Generated'),
          pages: pages.map((questions, p) => ({
            id: `page-${p}`,
            title: b(`Page ${p}`),
            ...(conditions[p] ? { when: { question: conditions[p]!, equals: 'yes' } } : {}),
            questions: questions as never,
          })),
          confirmation: { body: b('Done') },
        }));
    });
}

function addDays(iso: string, days: number): string {
  const date = new Date(`${iso}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

const ninoArb = fc
  .tuple(
    fc.constantFrom(...'ABCEGHJKLMNOPRSTWXYZ'),
    fc.constantFrom(...'ABCEGHJKLMNPRSTWXY'),
    fc.stringMatching(/^\d{6}$/),
    fc.constantFrom('A', 'B', 'C', 'D'),
    fc.boolean(),
  )
  .filter(([a, b]) => !['BG', 'GB', 'KN', 'NK', 'NT', 'TN'].includes(a + b))
  .map(([a, b, d, s, lower]) => {
    const typed = `${a}${b}${d}${s}`;
    return lower
      ? typed.toLowerCase()
      : `${a}${b} ${d.slice(0, 2)} ${d.slice(2, 4)} ${d.slice(4)} ${s}`;
  });

const postcodeArb = fc.constantFrom(
  'GL5 4UB',
  'gl54ub',
  'BS1 6AG',
  'cf10 1fl',
  'SW1A 1AA',
  'M1 1AE',
  'GL50 9SA',
);

const mobileArb = fc
  .tuple(fc.stringMatching(/^[1-57-9]\d{8}$/), fc.constantFrom('0', '+44 ', '+44 (0)', '0044 '))
  .map(([rest, prefix]) => `${prefix}7${rest}`);
const landlineArb = fc.stringMatching(/^01[2-9]\d{8}$/);

const emailArb = fc
  .tuple(
    fc.stringMatching(/^[a-z0-9]{1,10}$/),
    fc.stringMatching(/^[a-z]{1,10}$/),
    fc.constantFrom('com', 'uk', 'org', 'cymru'),
  )
  .map(([local, domain, tld]) => `${local}@${domain.toUpperCase()}.${tld}`);

/** A raw answer a question accepts, given today. */
function validRaw(question: Q, today: string): fc.Arbitrary<unknown> {
  switch (question.type) {
    case 'text':
      return textBetween(question.minLength ?? 1, question.maxLength ?? 100);
    case 'textarea':
      return textBetween(1, question.maxLength ?? 100);
    case 'number': {
      const min = Math.ceil(question.min ?? -1000);
      const max = Math.floor(question.max ?? 1000);
      return fc
        .integer({ min, max })
        .chain((n) =>
          fc.constantFrom<unknown>(n, String(n), n >= 1000 ? n.toLocaleString('en-GB') : String(n)),
        );
    }
    case 'money':
      return fc
        .integer({ min: question.minPence ?? 0, max: question.maxPence ?? 1_000_000 })
        .chain((p) =>
          fc.constantFrom<unknown>(p, `£${(p / 100).toFixed(2)}`, (p / 100).toFixed(2)),
        );
    case 'date': {
      const after = (question.after as { daysFromToday: number }).daysFromToday;
      const before = (question.before as { daysFromToday: number }).daysFromToday;
      return fc
        .integer({ min: after + 1, max: before - 1 })
        .map((d) => addDays(today, d))
        .filter(
          (iso) =>
            !question.weekdaysOnly || ![0, 6].includes(new Date(`${iso}T12:00:00Z`).getUTCDay()),
        )
        .chain((iso) => {
          const [y, m, d] = iso.split('-');
          return fc.constantFrom<unknown>(iso, { day: String(Number(d)), month: m, year: y });
        });
    }
    case 'yesNo':
      return fc.constantFrom<unknown>('yes', 'no', true, false);
    case 'radios':
    case 'select':
      return fc.constantFrom(...question.options.map((o) => o.value));
    case 'checkboxes': {
      const values = question.options.map((o) => o.value);
      return fc
        .subarray(values, { minLength: 1, maxLength: question.maxSelected ?? values.length })
        .chain((picked) =>
          fc.shuffledSubarray(picked, { minLength: picked.length, maxLength: picked.length }),
        );
    }
    case 'address':
      return fc.record({
        line1: textBetween(1, 40),
        town: textBetween(1, 30),
        postcode: postcodeArb,
      });
    case 'postcode':
      return postcodeArb;
    case 'phone':
      return question.mobileOnly ? mobileArb : fc.oneof(mobileArb, landlineArb);
    case 'email':
      return emailArb;
    case 'nino':
      return ninoArb;
    case 'file':
      return fc.uniqueArray(
        fc.record({
          id: fc.uuid(),
          name: fc.stringMatching(/^[a-z]{1,10}\.pdf$/),
          type: fc.constantFrom(...question.accept),
          size: fc.integer({ min: 1, max: question.maxBytes }),
        }),
        { minLength: 1, maxLength: question.maxFiles, selector: (f) => f.id },
      );
    case 'evidence':
      // The files asked for instead of the check (a check's answer is signed by the server).
      return fc.uniqueArray(
        fc.record({
          id: fc.uuid(),
          name: fc.stringMatching(/^[a-z]{1,10}\.pdf$/),
          type: fc.constantFrom(...question.fallback.accept),
          size: fc.integer({ min: 1, max: question.fallback.maxBytes }),
        }),
        { minLength: 1, maxLength: question.fallback.maxFiles, selector: (f) => f.id },
      );
    case 'repeat': {
      const min = question.min ?? 1;
      return fc.array(itemArb(question.questions, today), {
        minLength: min,
        maxLength: question.max,
      });
    }
  }
}

function itemArb(questions: ItemQuestion[], today: string): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(...questions.map((q) => validRaw(q, today)))
    .map((values) => Object.fromEntries(questions.map((q, i) => [q.name, values[i]])));
}

/** Valid raw answers for every question of a parsed definition (optional ones sometimes left out). */
export function answersArb(
  definition: { pages: { questions: Q[] }[] },
  today: string,
): fc.Arbitrary<Record<string, unknown>> {
  const questions = definition.pages.flatMap((p) => p.questions);
  return fc
    .tuple(
      ...questions.map((q) =>
        q.required
          ? validRaw(q, today).map((v) => [v])
          : fc.option(validRaw(q, today), { nil: undefined }).map((v) => [v]),
      ),
    )
    .map((values) => {
      const answers: Record<string, unknown> = {};
      questions.forEach((q, i) => {
        const value = values[i]![0];
        if (value !== undefined) answers[q.name] = value;
      });
      return answers;
    });
}

export { word };
