/**
 * Turns questions into the parameters of GOV.UK Frontend's macros (the template only picks the
 * macro), and a posted form back into answers by question name. Input names: a question's
 * name, with `-day`/`-month`/`-year` for a date and `-line1`/`-line2`/`-town`/`-postcode` for an
 * address (its look-up adds `-lookup`, `-uprn` and `-mode`).
 */
import type { Locale, Translate } from '../../../../platform/i18n/i18n.js';
import { penceToPounds, parseUkPhone } from '../../parsers.js';
import type {
  AddressAnswer,
  AnswerValue,
  Answers,
  FileAnswer,
  ItemQuestion,
  Question,
} from '../../schema.js';

type AnyQuestion = Question | ItemQuestion;

/** Form values by input name: what the person typed, or their saved answers as they would type them. */
export type Values = Record<string, unknown>;

/** Error messages by input id, already in the reader's language. */
export type FieldErrors = Record<string, { text: string }>;

/** What the address look-up found for one question, when the page shows its result. */
export interface AddressLookup {
  mode: 'select' | 'manual';
  postcode: string;
  addresses: { uprn: string; text: string }[];
}

const ADDRESS_PARTS = ['line1', 'line2', 'town', 'postcode'] as const;

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' && value ? [value] : [];
}

/** One saved answer as the inputs of its question would hold it. */
export function valuesOf(question: AnyQuestion, value: AnswerValue | undefined): Values {
  if (value === undefined) return {};
  switch (question.type) {
    case 'date': {
      const [y, m, d] = text(value).split('-');
      if (!y || !m || !d) return {};
      return {
        [`${question.name}-day`]: String(Number(d)),
        [`${question.name}-month`]: String(Number(m)),
        [`${question.name}-year`]: y,
      };
    }
    case 'money':
      return { [question.name]: /^\d+$/.test(text(value)) ? penceToPounds(Number(value)) : '' };
    case 'phone':
      return { [question.name]: parseUkPhone(text(value))?.national ?? text(value) };
    case 'address': {
      if (typeof value !== 'object' || Array.isArray(value)) return {};
      const address = value as AddressAnswer;
      return {
        [`${question.name}-line1`]: address.line1,
        [`${question.name}-line2`]: address.line2 ?? '',
        [`${question.name}-town`]: address.town,
        [`${question.name}-postcode`]: address.postcode,
        ...(address.uprn ? { [`${question.name}-uprn`]: address.uprn } : {}),
      };
    }
    case 'file':
    case 'repeat':
    case 'evidence':
      return {};
    default:
      return { [question.name]: value };
  }
}

/** Saved answers turned back into form values for a page's questions. */
export function valuesFromAnswers(questions: AnyQuestion[], answers: Answers): Values {
  const values: Values = {};
  for (const question of questions)
    if (Object.hasOwn(answers, question.name))
      Object.assign(values, valuesOf(question, answers[question.name]));
  return values;
}

/**
 * A posted form's values as raw answers by question name, ready for the validator. Files are
 * not posted with the page (they are uploaded one at a time), so their saved list is kept.
 */
export function readPageInput(
  questions: AnyQuestion[],
  body: Values,
  saved: Answers,
): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const question of questions) {
    const name = question.name;
    switch (question.type) {
      case 'date':
        input[name] = {
          day: text(body[`${name}-day`]),
          month: text(body[`${name}-month`]),
          year: text(body[`${name}-year`]),
        };
        break;
      case 'checkboxes':
        input[name] = list(body[name]);
        break;
      case 'address': {
        const address: Record<string, string> = {};
        for (const part of ADDRESS_PARTS) address[part] = text(body[`${name}-${part}`]);
        const uprn = text(body[`${name}-uprn`]);
        if (uprn) address.uprn = uprn;
        input[name] = address;
        break;
      }
      case 'file':
      case 'evidence':
        input[name] = Object.hasOwn(saved, name) ? saved[name] : [];
        break;
      case 'repeat':
        input[name] = Object.hasOwn(saved, name) ? saved[name] : [];
        break;
      default:
        input[name] = body[name];
    }
  }
  return input;
}

interface Heading {
  text: string;
  isPageHeading?: boolean;
  classes?: string;
}

function headingOf(label: string, asPageHeading: boolean, kind: 'label' | 'legend'): Heading {
  if (asPageHeading)
    return {
      text: label,
      isPageHeading: true,
      classes: `govuk-${kind === 'label' ? 'label' : 'fieldset__legend'}--l`,
    };
  return {
    text: label,
    classes: kind === 'label' ? 'govuk-label--s' : 'govuk-fieldset__legend--m',
  };
}

const WIDTHS: Record<string, string> = {
  full: 'govuk-!-width-full',
  'three-quarters': 'govuk-!-width-three-quarters',
  'two-thirds': 'govuk-!-width-two-thirds',
  'one-half': 'govuk-!-width-one-half',
  'one-third': 'govuk-!-width-one-third',
  '20': 'govuk-input--width-20',
  '10': 'govuk-input--width-10',
  '5': 'govuk-input--width-5',
};

/** What the template needs to draw one question. */
export type FieldView =
  | {
      macro: 'input' | 'textarea' | 'characterCount' | 'select' | 'fileUpload';
      params: Record<string, unknown>;
    }
  | { macro: 'radios' | 'checkboxes' | 'dateInput'; params: Record<string, unknown> }
  | {
      macro: 'address';
      name: string;
      mode: 'find' | 'select' | 'manual';
      legend: Heading;
      hint?: string;
      lookup?: Record<string, unknown>;
      choose?: Record<string, unknown>;
      postcode?: string;
      notFound?: boolean;
      parts: Record<string, unknown>[];
      manualHref: string;
      findHref: string;
      texts: Record<
        'find' | 'manual' | 'notInList' | 'changePostcode' | 'noneFound' | 'postcode',
        string
      >;
    };

export interface ViewOptions {
  locale: Locale;
  t: Translate;
  errors: FieldErrors;
  /** The question is the page's only one: its label is the page's heading. */
  asPageHeading: boolean;
  /** Address questions whose look-up result the page shows. */
  lookups?: Record<string, AddressLookup>;
  /** Address questions the person asked to type in by hand. */
  manual?: string[];
  /** The page's own path, for the address links. */
  path: string;
}

/**
 * One question as GOV.UK Frontend macro parameters, in the reader's language, with its values
 * and error. A question alone on its page takes the page heading (label or legend).
 */
export function fieldView(question: AnyQuestion, values: Values, options: ViewOptions): FieldView {
  const { locale, t, errors, asPageHeading } = options;
  const label = question.label[locale];
  const hint = question.hint ? { text: question.hint[locale] } : undefined;
  const name = question.name;
  const common = { id: name, name, hint, errorMessage: errors[name] };
  const labelled = { ...common, label: headingOf(label, asPageHeading, 'label') };
  /** A one-line text box (govukInput) holding the typed value, with what sets this type apart. */
  const input = (params: Record<string, unknown>): FieldView => ({
    macro: 'input',
    params: { ...labelled, value: text(values[name]), ...params },
  });
  /** What radios and checkboxes share: the question is the fieldset's legend. */
  const choices = {
    idPrefix: name,
    name,
    fieldset: { legend: headingOf(label, asPageHeading, 'legend') },
    hint,
    errorMessage: errors[name],
  };
  switch (question.type) {
    case 'text':
      return input({
        autocomplete:
          question.autocomplete ?? (question.prefill === 'fullName' ? 'name' : undefined),
        classes: WIDTHS[question.width ?? 'full'],
      });
    case 'textarea':
      return {
        macro: question.maxLength ? 'characterCount' : 'textarea',
        params: {
          ...labelled,
          value: text(values[name]),
          rows: question.rows ?? 5,
          ...(question.maxLength ? { maxlength: question.maxLength } : {}),
        },
      };
    case 'number':
      return input({
        inputmode: question.integer ? 'numeric' : 'decimal',
        spellcheck: false,
        classes: 'govuk-input--width-10',
        suffix: question.suffix ? { text: question.suffix[locale] } : undefined,
      });
    case 'money':
      return input({
        inputmode: 'decimal',
        spellcheck: false,
        prefix: { text: '£' },
        classes: 'govuk-input--width-10',
      });
    case 'phone':
      return input({ type: 'tel', autocomplete: 'tel', classes: 'govuk-input--width-20' });
    case 'email':
      return input({ type: 'email', autocomplete: 'email', spellcheck: false });
    case 'nino':
      return input({
        hint: hint ?? { text: t('forms.nino.hint') },
        spellcheck: false,
        classes: 'govuk-input--width-10',
      });
    case 'postcode':
      return input({ autocomplete: 'postal-code', classes: 'govuk-input--width-10' });
    case 'date': {
      const error = errors[`${name}-day`];
      const part = (key: 'day' | 'month' | 'year', width: number) => ({
        name: key,
        label: t(`forms.date.${key}`),
        value: text(values[`${name}-${key}`]),
        classes: `govuk-input--width-${width}${error ? ' govuk-input--error' : ''}`,
      });
      return {
        macro: 'dateInput',
        params: {
          id: name,
          namePrefix: name,
          fieldset: { legend: headingOf(label, asPageHeading, 'legend') },
          hint,
          errorMessage: error,
          items: [part('day', 2), part('month', 2), part('year', 4)],
        },
      };
    }
    case 'yesNo': {
      const picked = text(values[name]);
      return {
        macro: 'radios',
        params: {
          ...choices,
          classes: 'govuk-radios--inline',
          items: [
            { value: 'yes', text: t('forms.yes'), checked: picked === 'yes' },
            { value: 'no', text: t('forms.no'), checked: picked === 'no' },
          ],
        },
      };
    }
    case 'radios':
    case 'checkboxes': {
      const picked = list(values[name]);
      return {
        macro: question.type,
        params: {
          ...choices,
          items: question.options.map((o) => ({
            value: o.value,
            text: o.label[locale],
            hint: o.hint ? { text: o.hint[locale] } : undefined,
            checked: picked.includes(o.value),
          })),
        },
      };
    }
    case 'select': {
      const picked = text(values[name]);
      return {
        macro: 'select',
        params: {
          ...labelled,
          items: [
            { value: '', text: t('forms.select.choose'), selected: picked === '' },
            ...question.options.map((o) => ({
              value: o.value,
              text: o.label[locale],
              selected: picked === o.value,
            })),
          ],
        },
      };
    }
    case 'address':
      return addressView(question, values, options, label, hint?.text);
    case 'file':
      return {
        macro: 'fileUpload',
        params: {
          ...labelled,
          name: 'file',
          attributes: { accept: question.accept.join(',') },
        },
      };
    case 'repeat':
      throw new Error('An "add another" question has its own pages');
    case 'evidence':
      throw new Error('An evidence question has its own page');
  }
}

function addressView(
  question: Extract<AnyQuestion, { type: 'address' }>,
  values: Values,
  options: ViewOptions,
  label: string,
  hint: string | undefined,
): FieldView {
  const { t, errors, asPageHeading, path } = options;
  const name = question.name;
  const lookup = options.lookups?.[name];
  const typed = ADDRESS_PARTS.some((p) => text(values[`${name}-${p}`]) !== '');
  const mode: 'find' | 'select' | 'manual' =
    lookup?.mode === 'select'
      ? 'select'
      : lookup?.mode === 'manual' || options.manual?.includes(name) || typed || !question.lookup
        ? 'manual'
        : 'find';
  const postcodeValue =
    mode === 'manual' && lookup ? lookup.postcode : text(values[`${name}-postcode`]);
  const input = (part: (typeof ADDRESS_PARTS)[number], autocomplete: string, classes?: string) => ({
    id: `${name}-${part}`,
    name: `${name}-${part}`,
    label: { text: t(`forms.address.${part}`) },
    value: part === 'postcode' ? postcodeValue : text(values[`${name}-${part}`]),
    autocomplete,
    classes,
    errorMessage: errors[`${name}-${part}`],
  });
  return {
    macro: 'address',
    name,
    mode,
    legend: headingOf(label, asPageHeading, 'legend'),
    hint,
    postcode: lookup?.postcode,
    notFound: lookup?.mode === 'manual',
    lookup: {
      id: `${name}-lookup`,
      name: `${name}-lookup`,
      label: { text: t('forms.address.postcode') },
      value: lookup?.postcode ?? text(values[`${name}-lookup`]),
      autocomplete: 'postal-code',
      classes: 'govuk-input--width-10',
      errorMessage: errors[`${name}-lookup`],
    },
    choose: lookup
      ? {
          id: `${name}-uprn`,
          name: `${name}-uprn`,
          label: { text: t('forms.address.select') },
          errorMessage: errors[`${name}-uprn`],
          items: [
            {
              value: '',
              text: t('forms.address.found', { count: lookup.addresses.length }),
            },
            ...lookup.addresses.map((a) => ({
              value: a.uprn,
              text: a.text,
              selected: text(values[`${name}-uprn`]) === a.uprn,
            })),
          ],
        }
      : undefined,
    parts: [
      input('line1', 'address-line1'),
      input('line2', 'address-line2'),
      input('town', 'address-level2', 'govuk-!-width-two-thirds'),
      input('postcode', 'postal-code', 'govuk-input--width-10'),
    ],
    manualHref: `${path}?manual=${encodeURIComponent(name)}#${name}-line1`,
    findHref: path,
    texts: {
      find: t('forms.address.find'),
      manual: t('forms.address.manual'),
      notInList: t('forms.address.notInList'),
      changePostcode: t('forms.address.changePostcode'),
      noneFound: t('forms.address.noneFound', { postcode: lookup?.postcode ?? '' }),
      postcode: t('forms.address.postcode'),
    },
  };
}

/** The files uploaded so far for a file question, for the list above the upload box. */
export function filesOf(answers: Answers, name: string): FileAnswer[] {
  const value = Object.hasOwn(answers, name) ? answers[name] : undefined;
  return Array.isArray(value)
    ? (value as FileAnswer[]).filter((f) => typeof f === 'object' && f !== null && 'id' in f)
    : [];
}
