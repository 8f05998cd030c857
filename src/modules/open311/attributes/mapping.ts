/**
 * How a service's form meets Open311. Some questions are answered by the report itself — where
 * the problem is, what the person wrote about it, how to contact them — and the rest are the
 * service's Open311 attributes, with a datatype, whether they are required, their order and,
 * for choices, their values. One mapping serves the API (`attribute[code]=…`) and the web
 * journey (the "details" page asks the attribute questions), so both fill the form alike and
 * the forms module's validator checks both.
 *
 * Roles, by question:
 * - the first `address` question: the address of the place (address_id or address_string);
 * - a `text`/`textarea` question named `location`: the place in words;
 * - a `postcode` question: the place's postcode;
 * - a `text`/`textarea` question named `description`: Open311's `description`;
 * - `email` and `phone` questions, and a `text` question prefilled with the full name: the
 *   reporter's contact details (`email`, `phone`, `first_name` + `last_name`);
 * - files and "add another" questions cannot be sent as attributes (`unsupported`);
 * - every other question is an attribute whose code is the question's name.
 */
import type { Locale } from '../../../platform/i18n/i18n.js';
import type { Bilingual, FormDefinition, Question } from '../../forms/index.js';

export type QuestionRole =
  | 'address'
  | 'location'
  | 'postcode'
  | 'description'
  | 'email'
  | 'phone'
  | 'name'
  | 'attribute'
  | 'unsupported';

/** Open311's attribute datatypes. */
export type Datatype =
  'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';

/** One attribute of a service definition, as GeoReport v2 describes it. */
export interface Attribute {
  variable: boolean;
  code: string;
  datatype: Datatype;
  required: boolean;
  datatype_description: string;
  order: number;
  description: string;
  values?: { key: string; name: string }[];
}

const TEXTUAL = new Set(['text', 'textarea']);

/** Every top-level question of a form, in the order the form asks them. */
export function questionsOf(definition: FormDefinition): Question[] {
  return definition.pages.flatMap((page) => page.questions);
}

/** Each question's role, by name (see the module comment). */
export function rolesOf(definition: FormDefinition): Map<string, QuestionRole> {
  const roles = new Map<string, QuestionRole>();
  let addressTaken = false;
  for (const question of questionsOf(definition)) {
    let role: QuestionRole = 'attribute';
    if (question.type === 'address') {
      role = addressTaken ? 'unsupported' : 'address';
      addressTaken = true;
    } else if (question.type === 'file' || question.type === 'repeat') role = 'unsupported';
    else if (question.type === 'postcode') role = 'postcode';
    else if (question.type === 'email') role = 'email';
    else if (question.type === 'phone') role = 'phone';
    else if (question.type === 'text' && question.prefill === 'fullName') role = 'name';
    else if (TEXTUAL.has(question.type) && question.name === 'location') role = 'location';
    else if (TEXTUAL.has(question.type) && question.name === 'description') role = 'description';
    roles.set(question.name, role);
  }
  return roles;
}

/**
 * True when every question a report must answer can be answered through Open311: no required
 * file or "add another" question. A form with one is not offered as a service.
 */
export function reportableForm(definition: FormDefinition): boolean {
  const roles = rolesOf(definition);
  return questionsOf(definition).every(
    (q) => roles.get(q.name) !== 'unsupported' || !q.required || q.when !== undefined,
  );
}

function datatypeOf(question: Question): Datatype {
  switch (question.type) {
    case 'textarea':
      return 'text';
    case 'number':
    case 'money':
      return 'number';
    case 'date':
      return 'datetime';
    case 'yesNo':
    case 'radios':
    case 'select':
      return 'singlevaluelist';
    case 'checkboxes':
      return 'multivaluelist';
    default:
      return 'string';
  }
}

const YES_NO: Record<Locale, { key: string; name: string }[]> = {
  en: [
    { key: 'yes', name: 'Yes' },
    { key: 'no', name: 'No' },
  ],
  cy: [
    { key: 'yes', name: 'Ie' },
    { key: 'no', name: 'Na' },
  ],
};

/** What a datatype's value looks like, where the question's hint does not say. */
const FORMATS: Partial<Record<Question['type'], Bilingual>> = {
  date: {
    en: 'A date, like 2026-03-27 (a time after it is ignored)',
    cy: 'Dyddiad, fel 2026-03-27 (anwybyddir amser ar ei ôl)',
  },
  money: { en: 'An amount in pounds, like 12.50', cy: 'Swm mewn punnoedd, fel 12.50' },
};

/** The hint, and the value's format where the datatype leaves it open. */
function datatypeDescription(question: Question, locale: Locale): string {
  const parts = [question.hint?.[locale], FORMATS[question.type]?.[locale]];
  return parts.filter(Boolean).join(' ');
}

/**
 * The form's attributes in GeoReport v2's words, in the form's order: required unless optional
 * or asked only when an earlier answer says so (`when`; the definition's `requiredWhen` makes a
 * question optional with a condition).
 *
 * @example attributesOf(missedBinForm, 'en')[0] // { code: 'bin', datatype: 'singlevaluelist', … }
 */
export function attributesOf(definition: FormDefinition, locale: Locale): Attribute[] {
  const roles = rolesOf(definition);
  return questionsOf(definition)
    .filter((q) => roles.get(q.name) === 'attribute')
    .map((question, index) => {
      const attribute: Attribute = {
        variable: true,
        code: question.name,
        datatype: datatypeOf(question),
        required: question.required && question.when === undefined,
        datatype_description: datatypeDescription(question, locale),
        order: index + 1,
        description: question.label[locale],
      };
      if (question.type === 'yesNo') attribute.values = YES_NO[locale];
      if ('options' in question)
        attribute.values = question.options.map((o) => ({ key: o.value, name: o.label[locale] }));
      return attribute;
    });
}

/** An address as the form's address question takes it. */
export interface PlaceAddress {
  uprn?: string;
  line1: string;
  line2?: string;
  town: string;
  postcode: string;
}

/** Everything a report says, from the API's parameters or the journey's pages. */
export interface ReportContent {
  /** The place's address, or the journey's address question as typed; null when there is none. */
  address: PlaceAddress | Record<string, unknown> | null;
  /** The place in words: the address or street, the postcode and the coordinates. */
  locationText: string;
  postcode: string;
  description: string;
  email: string;
  phone: string;
  name: string;
  /**
   * Answers to attribute questions by code, as sent: text, or a list for a multi-value list
   * (the API); or as a page of the journey posts them (a date's day, month and year).
   */
  attributes: Record<string, unknown>;
}

/** An attribute value as the validator takes it for the question's type. */
function attributeInput(question: Question, value: unknown): unknown {
  if (value === undefined) return undefined;
  if (question.type === 'checkboxes') return Array.isArray(value) ? value : [value];
  const single: unknown = Array.isArray(value) && value.length === 1 ? value[0] : value;
  // Open311 datetimes carry a time; the form asks for a day.
  if (question.type === 'date' && typeof single === 'string') {
    const match = /^(\d{4}-\d{2}-\d{2})(?:[T ].*)?$/.exec(single.trim());
    return match ? match[1] : single;
  }
  return single;
}

/**
 * The form's raw answers for a report: each question gets what its role says (see the module
 * comment), ready for the forms module's `validateAnswers`. Questions the report says nothing
 * about are left out, so the validator says which required ones are missing.
 */
export function composeAnswers(
  definition: FormDefinition,
  content: ReportContent,
): Record<string, unknown> {
  const roles = rolesOf(definition);
  const input: Record<string, unknown> = {};
  const put = (name: string, value: unknown) => {
    if (value !== undefined && value !== '') input[name] = value;
  };
  for (const question of questionsOf(definition)) {
    switch (roles.get(question.name)) {
      case 'address':
        put(question.name, content.address ?? undefined);
        break;
      case 'location':
        put(question.name, content.locationText);
        break;
      case 'postcode':
        put(question.name, content.postcode);
        break;
      case 'description':
        put(question.name, content.description);
        break;
      case 'email':
        put(question.name, content.email);
        break;
      case 'phone':
        put(question.name, content.phone);
        break;
      case 'name':
        put(question.name, content.name);
        break;
      case 'attribute':
        put(
          question.name,
          Object.hasOwn(content.attributes, question.name)
            ? attributeInput(question, content.attributes[question.name])
            : undefined,
        );
        break;
      default:
        break;
    }
  }
  return input;
}

/** The attribute codes a report sent that the service does not have. */
export function unknownAttributes(
  definition: FormDefinition,
  attributes: Record<string, unknown>,
): string[] {
  const roles = rolesOf(definition);
  return Object.keys(attributes).filter((code) => roles.get(code) !== 'attribute');
}

/**
 * The role of the question a validator error is about (`field` is `name`, `name.part` or
 * `name.0.part`); undefined for an error about the whole form.
 */
export function roleOfField(
  roles: Map<string, QuestionRole>,
  field: string,
): { name: string; role: QuestionRole } | undefined {
  const name = field.split('.')[0] ?? '';
  const role = roles.get(name);
  return role ? { name, role } : undefined;
}
