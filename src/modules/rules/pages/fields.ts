/**
 * A table's inputs as GOV.UK questions (radios, text inputs, the date input) and the answers read
 * back from a posted page: shared by the public "Check if you can get this" page and the editor's
 * live preview. Field names carry a prefix so the preview's fields never clash with the editor's.
 */
import type { Locale, Translate } from '../../../platform/i18n/i18n.js';
import { parseDateParts } from '../../../platform/validation/validators.js';
import { checkValue, formatPence } from '../evaluate.js';
import type { DecisionTable, Input, InputValue, Inputs } from '../schema.js';

/** One question as the template draws it: the macro and its parameters. */
export interface FieldView {
  kind: 'radios' | 'input' | 'date';
  params: Record<string, unknown>;
}

export interface FieldError {
  /** The id the error summary links to. */
  href: string;
  text: string;
}

/** What was typed, by field name, to show again after an error. */
export type Typed = Record<string, string>;

/** The answers read from a posted page, and what is wrong with them. */
export interface ReadAnswers {
  inputs: Inputs;
  typed: Typed;
  errors: { name: string; error: FieldError }[];
}

const field = (prefix: string, input: Input) => `${prefix}${input.name}`;

/** Reads every input's answer from a posted body. */
export function readAnswers(
  table: DecisionTable,
  body: Record<string, unknown> | undefined,
  prefix: string,
  locale: Locale,
  t: Translate,
): ReadAnswers {
  const text = (name: string) => {
    const value = body?.[name];
    return typeof value === 'string' ? value.trim() : '';
  };
  const inputs: Inputs = {};
  const typed: Typed = {};
  const errors: ReadAnswers['errors'] = [];
  for (const input of table.inputs) {
    const name = field(prefix, input);
    const label = input.label[locale];
    const fail = (key: string, href = name) =>
      errors.push({ name: input.name, error: { href: `#${href}`, text: t(key, { label }) } });
    let value: InputValue | undefined;
    if (input.type === 'date') {
      const [day, month, year] = [text(`${name}-day`), text(`${name}-month`), text(`${name}-year`)];
      Object.assign(typed, {
        [`${name}-day`]: day,
        [`${name}-month`]: month,
        [`${name}-year`]: year,
      });
      const parsed = parseDateParts(day, month, year);
      if ('problem' in parsed) {
        fail(`rules.answer.date.${parsed.problem}`, `${name}-day`);
        continue;
      }
      value = parsed.date;
    } else {
      const raw = text(name);
      typed[name] = raw;
      if (raw === '') {
        fail(
          input.type === 'yesno' || input.type === 'choice'
            ? 'rules.answer.choose'
            : 'rules.answer.required',
        );
        continue;
      }
      if (input.type === 'yesno') {
        if (raw !== 'yes' && raw !== 'no') {
          fail('rules.answer.choose');
          continue;
        }
        value = raw === 'yes';
      } else if (input.type === 'number') {
        const clean = raw.replace(/,/g, '');
        if (!/^-?\d{1,12}$/.test(clean)) {
          fail('rules.answer.number');
          continue;
        }
        value = Number(clean);
      } else if (input.type === 'money') {
        const clean = raw.replace(/^£/, '').replace(/,/g, '');
        if (!/^\d{1,10}(\.\d{1,2})?$/.test(clean)) {
          fail('rules.answer.money');
          continue;
        }
        const [pounds, pence = ''] = clean.split('.');
        value = Number(pounds) * 100 + Number(pence.padEnd(2, '0'));
      } else value = raw.slice(0, 200);
    }
    const problem = checkValue(input, value);
    if (problem) {
      fail(`rules.answer.${problem}`);
      continue;
    }
    inputs[input.name] = value;
  }
  return { inputs, typed, errors };
}

/** The typed text of an answer (for a preview filled in from a test case). */
export function typedOf(table: DecisionTable, inputs: Inputs, prefix: string): Typed {
  const typed: Typed = {};
  for (const input of table.inputs) {
    const value = inputs[input.name];
    if (value === undefined) continue;
    const name = field(prefix, input);
    if (input.type === 'yesno') typed[name] = value ? 'yes' : 'no';
    else if (input.type === 'money' && typeof value === 'number')
      typed[name] = formatPence(value).replace('£', '');
    else if (input.type === 'date' && typeof value === 'string') {
      const [y, m, d] = value.split('-');
      Object.assign(typed, { [`${name}-day`]: d, [`${name}-month`]: m, [`${name}-year`]: y });
    } else typed[name] = String(value);
  }
  return typed;
}

/** Every input as a GOV.UK question, with what was typed and its error. */
export function fieldViews(
  table: DecisionTable,
  typed: Typed,
  errors: ReadAnswers['errors'],
  prefix: string,
  locale: Locale,
  t: Translate,
): FieldView[] {
  return table.inputs.map((input) => {
    const name = field(prefix, input);
    const error = errors.find((e) => e.name === input.name)?.error;
    const errorMessage = error ? { text: error.text } : undefined;
    const hint = input.hint ? { text: input.hint[locale] } : undefined;
    const legend = { text: input.label[locale], classes: 'govuk-fieldset__legend--s' };
    switch (input.type) {
      case 'yesno':
        return {
          kind: 'radios',
          params: {
            idPrefix: name,
            name,
            fieldset: { legend },
            hint,
            errorMessage,
            classes: 'govuk-radios--inline',
            items: [
              { value: 'yes', text: t('rules.answer.yes'), checked: typed[name] === 'yes' },
              { value: 'no', text: t('rules.answer.no'), checked: typed[name] === 'no' },
            ],
          },
        };
      case 'choice':
        return {
          kind: 'radios',
          params: {
            idPrefix: name,
            name,
            fieldset: { legend },
            hint,
            errorMessage,
            items: input.options.map((o) => ({
              value: o.value,
              text: o.label[locale],
              checked: typed[name] === o.value,
            })),
          },
        };
      case 'date':
        return {
          kind: 'date',
          params: {
            id: name,
            namePrefix: name,
            fieldset: { legend },
            hint: hint ?? { text: t('rules.answer.dateHint') },
            errorMessage,
            items: [
              {
                name: 'day',
                label: t('rules.answer.day'),
                classes: 'govuk-input--width-2',
                value: typed[`${name}-day`],
              },
              {
                name: 'month',
                label: t('rules.answer.month'),
                classes: 'govuk-input--width-2',
                value: typed[`${name}-month`],
              },
              {
                name: 'year',
                label: t('rules.answer.year'),
                classes: 'govuk-input--width-4',
                value: typed[`${name}-year`],
              },
            ],
          },
        };
      default:
        return {
          kind: 'input',
          params: {
            id: name,
            name,
            label: { text: input.label[locale], classes: 'govuk-label--s' },
            hint,
            errorMessage,
            value: typed[name] ?? '',
            spellcheck: false,
            classes: input.type === 'text' ? 'govuk-!-width-two-thirds' : 'govuk-input--width-10',
            inputmode:
              input.type === 'text' ? undefined : input.type === 'money' ? 'decimal' : 'numeric',
            prefix: input.type === 'money' ? { text: '£' } : undefined,
          },
        };
    }
  });
}
