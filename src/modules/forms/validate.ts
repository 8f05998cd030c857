/**
 * The answer validator: one definition checks answers wherever they come from — a page of the
 * journey (`validatePage`) or a whole application sent to the API (`validateAnswers`). It
 * never throws, whatever it is given: wrong types, unknown fields and 10 MB strings come back as
 * errors, quickly (lengths are checked before anything else looks at a string).
 *
 * Answers are normalised: postcodes "GL5 4UB", phone numbers E.164, National Insurance numbers
 * "AB 12 34 56 C", money in pence, dates YYYY-MM-DD, checkbox values in the order of the options.
 * Normalising is idempotent: a normalised answer (see `answerToInput`) validates to itself.
 */
import { normalisePostcode, parseDateParts } from '../../platform/validation/validators.js';
import { BUSINESS_PARSERS } from '../references/index.js';
import { holds } from './conditions.js';
import { ADDRESS_MESSAGES, messageFor, SHAPE_MESSAGES, type Rule } from './messages.js';
import {
  MAX_PENCE,
  parseEmail,
  parseNino,
  parseNumber,
  parsePounds,
  parseUkPhone,
} from './parsers.js';
import {
  fallbackFileQuestion,
  MAX_TEXT_LENGTH,
  type AddressAnswer,
  type EvidenceAnswer,
  type AnswerValue,
  type Answers,
  type Bilingual,
  type DateBound,
  type FileAnswer,
  type FormDefinition,
  type FormPage,
  type ItemQuestion,
  type Question,
} from './schema.js';

type AnyQuestion = Question | ItemQuestion;

/** One problem with the answers: `field` names it ("name", "home.postcode", "people.0.name"). */
export interface AnswerError {
  field: string;
  message: Bilingual;
}

export type Validation = { ok: true; answers: Answers } | { ok: false; errors: AnswerError[] };

export interface ValidateOptions {
  /** Today in the UK (YYYY-MM-DD), for date rules such as "at least 3 days from today". */
  today: string;
}

/** A problem inside one question's answer; `path` leads from the question to the part. */
export interface Problem {
  path: (string | number)[];
  message: Bilingual;
}

interface Checked {
  value?: AnswerValue;
  problems: Problem[];
}

/** The most errors one validation reports: enough to fix a page, bounded for hostile input. */
const MAX_ERRORS = 100;

const WRONG_SHAPE: Bilingual = {
  en: 'This answer is not in the expected form',
  cy: 'Nid yw’r ateb hwn yn y ffurf ddisgwyliedig',
};

function problem(message: Bilingual, path: (string | number)[] = []): Checked {
  return { problems: [{ path, message }] };
}

function broken(question: AnyQuestion, rule: Rule, path: (string | number)[] = []): Checked {
  return problem(messageFor(question, rule), path);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
// eslint-disable-next-line no-control-regex
const NEEDS_CLEANING = /[\r\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
/** isWellFormed is in Node 20 but not yet in TypeScript's ES2023 lib. */
type WellFormed = string & { isWellFormed(): boolean };

/**
 * Text as it is kept: Windows line ends become \n, control characters (which PostgreSQL's jsonb
 * and every reader choke on) and unpaired surrogates go, and the ends are trimmed.
 */
function cleanText(value: string): string {
  // Nearly all text has none of them: one scan to say so, instead of three replacements.
  if (!NEEDS_CLEANING.test(value) && (value as WellFormed).isWellFormed()) return value.trim();
  return value
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL, '')
    .replace(LONE_SURROGATE, '\uFFFD')
    .trim();
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

function own(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

const isEmpty = (raw: unknown) => raw === undefined || raw === null || raw === '';

/**
 * A string input capped before any work: a string far beyond the limit is refused without
 * trimming or matching it, so 10 MB costs no more than 10 kB.
 */
function textInput(question: AnyQuestion, raw: unknown, limit: number): { text: string } | Checked {
  if (typeof raw !== 'string') return problem(WRONG_SHAPE);
  if (raw.length > limit + 1000) return broken(question, { rule: 'maxLength', max: limit });
  return { text: cleanText(raw) };
}

const patterns = new WeakMap<object, RegExp>();

function patternOf(question: AnyQuestion & { pattern?: string }): RegExp | undefined {
  if (question.pattern === undefined) return undefined;
  let compiled = patterns.get(question);
  if (!compiled) {
    compiled = new RegExp(`^(?:${question.pattern})$`, 'u');
    patterns.set(question, compiled);
  }
  return compiled;
}

function addDays(iso: string, days: number): string {
  const date = new Date(`${iso}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

function boundDate(bound: DateBound, today: string): string {
  if (bound === 'today') return today;
  if (typeof bound === 'string') return bound;
  return daysFromToday(today, bound.daysFromToday);
}

/** Days from today, worked out once a day for each distance a form asks for. */
let boundsOfDay = { today: '', dates: new Map<number, string>() };

function daysFromToday(today: string, days: number): string {
  if (boundsOfDay.today !== today) boundsOfDay = { today, dates: new Map() };
  let date = boundsOfDay.dates.get(days);
  if (date === undefined) boundsOfDay.dates.set(days, (date = addDays(today, days)));
  return date;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function readDate(
  raw: unknown,
): { date: string } | { problem: 'required' | 'incomplete' | 'invalid' } {
  if (isEmpty(raw)) return { problem: 'required' };
  if (typeof raw === 'string') {
    if (raw.length > 20) return { problem: 'invalid' };
    const match = ISO_DATE.exec(raw.trim());
    if (!match) return { problem: 'invalid' };
    return parseDateParts(match[3]!, match[2]!, match[1]!);
  }
  if (isPlainObject(raw)) {
    const part = (name: string) => {
      const value = own(raw, name);
      if (typeof value === 'number' && Number.isInteger(value)) return String(value);
      return typeof value === 'string' && value.length <= 10
        ? value
        : value === undefined
          ? ''
          : 'x';
    };
    if (Object.keys(raw).some((k) => k !== 'day' && k !== 'month' && k !== 'year'))
      return { problem: 'invalid' };
    return parseDateParts(part('day'), part('month'), part('year'));
  }
  return { problem: 'invalid' };
}

function isWeekday(iso: string): boolean {
  const day = new Date(`${iso}T12:00:00Z`).getUTCDay();
  return day !== 0 && day !== 6;
}

function checkAddress(question: AnyQuestion, raw: unknown, required: boolean): Checked {
  if (isEmpty(raw)) return required ? addressRequired(question) : { value: '', problems: [] };
  if (!isPlainObject(raw)) return problem(WRONG_SHAPE);
  const keys = Object.keys(raw);
  if (keys.some((k) => !['uprn', 'line1', 'line2', 'town', 'postcode'].includes(k)))
    return problem(WRONG_SHAPE);
  const parts: Record<string, string> = {};
  for (const key of keys) {
    const value = raw[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' || value.length > 1000) return problem(WRONG_SHAPE, [key]);
    parts[key] = cleanText(value).replace(/\s*\n\s*/g, ', ');
  }
  const { uprn = '', line1 = '', line2 = '', town = '', postcode = '' } = parts;
  if (!uprn && !line1 && !line2 && !town && !postcode)
    return required ? addressRequired(question) : { value: '', problems: [] };
  const problems: Problem[] = [];
  if (!line1) problems.push({ path: ['line1'], message: ADDRESS_MESSAGES.line1Required });
  else if (line1.length > 100)
    problems.push({ path: ['line1'], message: ADDRESS_MESSAGES.line1TooLong });
  if (line2.length > 100)
    problems.push({ path: ['line2'], message: ADDRESS_MESSAGES.line2TooLong });
  if (!town) problems.push({ path: ['town'], message: ADDRESS_MESSAGES.townRequired });
  else if (town.length > 60)
    problems.push({ path: ['town'], message: ADDRESS_MESSAGES.townTooLong });
  const normalised = postcode ? normalisePostcode(postcode) : undefined;
  if (!postcode) problems.push({ path: ['postcode'], message: ADDRESS_MESSAGES.postcodeRequired });
  else if (!normalised)
    problems.push({ path: ['postcode'], message: messageFor(question, { rule: 'postcode' }) });
  if (uprn && !/^\d{1,12}$/.test(uprn))
    problems.push({ path: ['uprn'], message: messageFor(question, { rule: 'invalid' }) });
  if (problems.length > 0) return { problems };
  const value: AddressAnswer = {
    ...(uprn ? { uprn } : {}),
    line1,
    ...(line2 ? { line2 } : {}),
    town,
    postcode: normalised!,
  };
  return { value, problems: [] };
}

function addressRequired(question: AnyQuestion): Checked {
  const custom = (question.messages as { required?: Bilingual } | undefined)?.required;
  if (custom) return problem(custom, ['line1']);
  return {
    problems: [
      { path: ['line1'], message: ADDRESS_MESSAGES.line1Required },
      { path: ['town'], message: ADDRESS_MESSAGES.townRequired },
      { path: ['postcode'], message: ADDRESS_MESSAGES.postcodeRequired },
    ],
  };
}

const FILE_ID = /^[A-Za-z0-9-]{1,64}$/;

/** True when a MIME type is one of `accept`, which may name a family ("image/*"). */
export function accepts(accept: readonly string[], type: string): boolean {
  return accept.some((a) => a === type || (a.endsWith('/*') && type.startsWith(a.slice(0, -1))));
}

function checkFiles(
  question: Extract<Question, { type: 'file' }>,
  raw: unknown,
  required: boolean,
): Checked {
  if (isEmpty(raw) || (Array.isArray(raw) && raw.length === 0))
    return required ? broken(question, { rule: 'required' }) : { value: [], problems: [] };
  if (!Array.isArray(raw)) return problem(WRONG_SHAPE);
  if (raw.length > question.maxFiles)
    return broken(question, { rule: 'maxFiles', max: question.maxFiles });
  const files: FileAnswer[] = [];
  for (const [index, item] of raw.entries()) {
    if (!isPlainObject(item)) return problem(WRONG_SHAPE, [index]);
    const { id, name, type, size } = item;
    if (Object.keys(item).some((k) => !['id', 'name', 'type', 'size'].includes(k)))
      return problem(WRONG_SHAPE, [index]);
    if (
      typeof id !== 'string' ||
      !FILE_ID.test(id) ||
      typeof name !== 'string' ||
      name.length === 0 ||
      name.length > 255 ||
      typeof type !== 'string' ||
      typeof size !== 'number' ||
      !Number.isSafeInteger(size) ||
      size < 1
    )
      return problem(WRONG_SHAPE, [index]);
    if (!accepts(question.accept, type))
      return broken(question, { rule: 'wrongType', accept: question.accept }, [index]);
    if (size > question.maxBytes)
      return broken(question, { rule: 'tooBig', maxBytes: question.maxBytes }, [index]);
    if (files.some((f) => f.id === id)) return problem(WRONG_SHAPE, [index]);
    files.push({ id, name: cleanText(name) || 'file', type, size });
  }
  return { value: files, problems: [] };
}

const EVIDENCE_KEYS = [
  'kind',
  'requestId',
  'evidenceType',
  'answeringOrganisationId',
  'answeringBody',
  'requestingOrganisationId',
  'subjectDigest',
  'value',
  'statement',
  'answeredAt',
  'signature',
];

/** The shape of an evidence check's snapshot; its signature is checked when the application is sent. */
function checkEvidence(raw: Record<string, unknown>): Checked {
  const words = (v: unknown) =>
    isPlainObject(v) && typeof v.en === 'string' && typeof v.cy === 'string';
  const ok =
    Object.keys(raw).length === EVIDENCE_KEYS.length &&
    EVIDENCE_KEYS.every((k) => Object.hasOwn(raw, k)) &&
    [
      'requestId',
      'evidenceType',
      'answeringOrganisationId',
      'requestingOrganisationId',
      'subjectDigest',
      'answeredAt',
      'signature',
    ].every((k) => typeof raw[k] === 'string' && (raw[k] as string).length <= 200) &&
    ['boolean', 'string', 'number'].includes(typeof raw.value) &&
    words(raw.answeringBody) &&
    words(raw.statement);
  return ok ? { value: raw as unknown as EvidenceAnswer, problems: [] } : problem(WRONG_SHAPE);
}

const optionSets = new WeakMap<object, Map<string, number>>();

/** Option values with their positions, built once per question. */
function optionsOf(question: AnyQuestion & { options: { value: string }[] }): Map<string, number> {
  let options = optionSets.get(question);
  if (!options) {
    options = new Map(question.options.map((o, i) => [o.value, i]));
    optionSets.set(question, options);
  }
  return options;
}

/**
 * Checks one question's raw answer. `context` holds the answers before it (for `requiredWhen`
 * and, inside "add another" items, the item's own earlier answers).
 */
export function checkQuestion(
  question: AnyQuestion,
  raw: unknown,
  context: Answers,
  options: ValidateOptions,
): Checked {
  const required =
    question.required ||
    (question.requiredWhen !== undefined && holds(question.requiredWhen, context));
  switch (question.type) {
    case 'text':
    case 'textarea': {
      const limit = Math.min(question.maxLength ?? MAX_TEXT_LENGTH, MAX_TEXT_LENGTH);
      if (isEmpty(raw))
        return required ? broken(question, { rule: 'required' }) : { value: '', problems: [] };
      const input = textInput(question, raw, limit);
      if (!('text' in input)) return input;
      // One line of text: runs of spaces (and any line breaks) become one space.
      const text = question.type === 'text' ? input.text.replace(/\s+/g, ' ') : input.text;
      if (!text)
        return required ? broken(question, { rule: 'required' }) : { value: '', problems: [] };
      if (text.length > limit) return broken(question, { rule: 'maxLength', max: limit });
      if (question.minLength !== undefined && text.length < question.minLength)
        return broken(question, { rule: 'minLength', min: question.minLength });
      const pattern = question.type === 'text' ? patternOf(question) : undefined;
      if (pattern && !pattern.test(text)) return broken(question, { rule: 'pattern' });
      if (question.type === 'text' && question.identifier) {
        // The reference index's validators: format and check digits; the normal form is kept.
        const parsed = BUSINESS_PARSERS[question.identifier](text);
        return parsed.ok
          ? { value: parsed.value, problems: [] }
          : broken(question, { rule: 'pattern' });
      }
      return { value: text, problems: [] };
    }
    case 'number': {
      if (isEmpty(raw))
        return required ? broken(question, { rule: 'required' }) : { value: '', problems: [] };
      let value: string | undefined;
      if (typeof raw === 'number')
        value = Number.isFinite(raw) ? parseNumber(String(raw)) : undefined;
      else if (typeof raw === 'string') {
        if (raw.trim() === '')
          return required ? broken(question, { rule: 'required' }) : { value: '', problems: [] };
        value = parseNumber(raw);
      } else return problem(WRONG_SHAPE);
      if (value === undefined) return broken(question, { rule: 'invalid' });
      const number = Number(value);
      if (question.integer && !Number.isInteger(number))
        return broken(question, { rule: 'integer' });
      if (question.min !== undefined && number < question.min)
        return broken(question, { rule: 'min', min: question.min });
      if (question.max !== undefined && number > question.max)
        return broken(question, { rule: 'max', max: question.max });
      return { value, problems: [] };
    }
    case 'money': {
      if (isEmpty(raw))
        return required ? broken(question, { rule: 'required' }) : { value: '', problems: [] };
      let pence: number | undefined;
      // A JSON number is pence (as the answer is kept); text is pounds, as people type it.
      if (typeof raw === 'number')
        pence = Number.isSafeInteger(raw) && raw >= 0 && raw <= MAX_PENCE ? raw : undefined;
      else if (typeof raw === 'string') {
        if (raw.trim() === '')
          return required ? broken(question, { rule: 'required' }) : { value: '', problems: [] };
        pence = parsePounds(raw);
      } else return problem(WRONG_SHAPE);
      if (pence === undefined) return broken(question, { rule: 'invalid' });
      if (question.minPence !== undefined && pence < question.minPence)
        return broken(question, { rule: 'minPence', min: question.minPence });
      if (question.maxPence !== undefined && pence > question.maxPence)
        return broken(question, { rule: 'maxPence', max: question.maxPence });
      return { value: String(pence), problems: [] };
    }
    case 'date': {
      const read = readDate(raw);
      if ('problem' in read) {
        if (read.problem === 'required')
          return required ? broken(question, { rule: 'required' }) : { value: '', problems: [] };
        return broken(question, { rule: read.problem });
      }
      const { today } = options;
      if (question.after !== undefined) {
        const bound = boundDate(question.after, today);
        if (read.date <= bound)
          return broken(question, {
            rule: 'after',
            date: bound,
            today: question.after === 'today',
          });
      }
      if (question.before !== undefined) {
        const bound = boundDate(question.before, today);
        if (read.date >= bound)
          return broken(question, {
            rule: 'before',
            date: bound,
            today: question.before === 'today',
          });
      }
      if (question.weekdaysOnly && !isWeekday(read.date))
        return broken(question, { rule: 'weekdaysOnly' });
      return { value: read.date, problems: [] };
    }
    case 'yesNo': {
      if (isEmpty(raw))
        return required ? broken(question, { rule: 'required' }) : { value: '', problems: [] };
      if (raw === true || raw === 'yes') return { value: 'yes', problems: [] };
      if (raw === false || raw === 'no') return { value: 'no', problems: [] };
      return broken(question, { rule: 'required' });
    }
    case 'radios':
    case 'select': {
      if (isEmpty(raw))
        return required ? broken(question, { rule: 'required' }) : { value: '', problems: [] };
      if (typeof raw !== 'string' || !optionsOf(question).has(raw))
        return broken(question, { rule: 'required' });
      return { value: raw, problems: [] };
    }
    case 'checkboxes': {
      const all = optionsOf(question);
      const picked = typeof raw === 'string' && raw !== '' ? [raw] : isEmpty(raw) ? [] : raw;
      if (!Array.isArray(picked) || picked.length > all.size)
        return broken(question, { rule: 'required' });
      if (picked.some((p) => typeof p !== 'string' || !all.has(p)))
        return broken(question, { rule: 'required' });
      const values = [...new Set(picked as string[])].sort((a, b) => all.get(a)! - all.get(b)!);
      if (values.length === 0)
        return required ? broken(question, { rule: 'required' }) : { value: [], problems: [] };
      if (question.minSelected !== undefined && values.length < question.minSelected)
        return broken(question, { rule: 'minSelected', min: question.minSelected });
      if (question.maxSelected !== undefined && values.length > question.maxSelected)
        return broken(question, { rule: 'maxSelected', max: question.maxSelected });
      return { value: values, problems: [] };
    }
    case 'address':
      return checkAddress(question, raw, required);
    case 'postcode': {
      if (isEmpty(raw))
        return required ? broken(question, { rule: 'required' }) : { value: '', problems: [] };
      const input = textInput(question, raw, 20);
      if (!('text' in input)) return broken(question, { rule: 'invalid' });
      if (!input.text)
        return required ? broken(question, { rule: 'required' }) : { value: '', problems: [] };
      const postcode = normalisePostcode(input.text);
      return postcode ? { value: postcode, problems: [] } : broken(question, { rule: 'invalid' });
    }
    case 'phone': {
      if (isEmpty(raw))
        return required ? broken(question, { rule: 'required' }) : { value: '', problems: [] };
      const input = textInput(question, raw, 40);
      if (!('text' in input)) return broken(question, { rule: 'invalid' });
      if (!input.text)
        return required ? broken(question, { rule: 'required' }) : { value: '', problems: [] };
      const phone = parseUkPhone(input.text, { mobileOnly: question.mobileOnly });
      return phone ? { value: phone.e164, problems: [] } : broken(question, { rule: 'invalid' });
    }
    case 'email': {
      if (isEmpty(raw))
        return required ? broken(question, { rule: 'required' }) : { value: '', problems: [] };
      const input = textInput(question, raw, 254);
      if (!('text' in input)) return broken(question, { rule: 'invalid' });
      if (!input.text)
        return required ? broken(question, { rule: 'required' }) : { value: '', problems: [] };
      const email = parseEmail(input.text);
      return email ? { value: email, problems: [] } : broken(question, { rule: 'invalid' });
    }
    case 'nino': {
      if (isEmpty(raw))
        return required ? broken(question, { rule: 'required' }) : { value: '', problems: [] };
      const input = textInput(question, raw, 30);
      if (!('text' in input)) return broken(question, { rule: 'invalid' });
      if (!input.text)
        return required ? broken(question, { rule: 'required' }) : { value: '', problems: [] };
      const nino = parseNino(input.text);
      return nino ? { value: nino, problems: [] } : broken(question, { rule: 'invalid' });
    }
    case 'file':
      return checkFiles(question, raw, required);
    case 'evidence':
      // The check's signed answer (set by the journey, verified when sent), or the files
      // asked for instead.
      if (isPlainObject(raw) && raw.kind === 'evidence') return checkEvidence(raw);
      return checkFiles(fallbackFileQuestion(question), raw, required);
    case 'repeat': {
      const min = question.min ?? 1;
      if (isEmpty(raw) || (Array.isArray(raw) && raw.length === 0)) {
        if (!required) return { value: [], problems: [] };
        return broken(
          question,
          question.min === undefined ? { rule: 'required' } : { rule: 'min', min },
        );
      }
      if (!Array.isArray(raw)) return problem(WRONG_SHAPE);
      if (raw.length > question.max) return broken(question, { rule: 'max', max: question.max });
      const items: Answers[] = [];
      const problems: Problem[] = [];
      for (const [index, item] of raw.entries()) {
        const checked = checkItem(question.questions, item, context, options);
        if (checked.ok) items.push(checked.answers);
        else
          for (const p of checked.problems)
            problems.push({ path: [index, ...p.path], message: p.message });
        if (problems.length >= MAX_ERRORS) break;
      }
      if (problems.length > 0) return { problems };
      if (items.length < min) return broken(question, { rule: 'min', min });
      return { value: items, problems: [] };
    }
  }
}

/**
 * Checks one "add another" item: an object of the item's questions' answers, each question
 * seeing the outer answers and the item's earlier ones for its conditions.
 */
export function checkItem(
  questions: ItemQuestion[],
  raw: unknown,
  outer: Answers,
  options: ValidateOptions,
): { ok: true; answers: Answers } | { ok: false; problems: Problem[] } {
  if (!isPlainObject(raw)) return { ok: false, problems: [{ path: [], message: WRONG_SHAPE }] };
  const problems: Problem[] = [];
  const names = new Set(questions.map((q) => q.name));
  for (const key of Object.keys(raw)) {
    if (!names.has(key)) problems.push({ path: [key], message: SHAPE_MESSAGES.unknownQuestion });
    if (problems.length >= MAX_ERRORS) return { ok: false, problems };
  }
  const answers: Answers = {};
  // The outer answers and the item's valid ones so far, kept up to date (see checkPage).
  const context: Answers = { ...outer };
  for (const question of questions) {
    if (!holds(question.when, context)) continue;
    const checked = checkQuestion(question, own(raw, question.name), context, options);
    if (checked.value !== undefined && checked.problems.length === 0)
      answers[question.name] = context[question.name] = checked.value;
    for (const p of checked.problems)
      problems.push({ path: [question.name, ...p.path], message: p.message });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, answers };
}

/** "home.postcode", "people.0.fullName": where a problem is, as the API reports it. */
function fieldOf(name: string, path: (string | number)[]): string {
  return [name, ...path].join('.');
}

/** A problem on a page, with the question it belongs to. */
export interface PageProblem extends Problem {
  question: string;
}

/**
 * Checks one page's answers (`input` by question name, as `readPageInput` makes them from a
 * posted form) given the answers already applying (`context`). Questions whose condition does
 * not hold are skipped and their answers dropped. Gives the answers that are valid and the
 * problems of those that are not.
 */
export function checkPage(
  page: FormPage,
  input: Record<string, unknown>,
  context: Answers,
  options: ValidateOptions,
): { answers: Answers; problems: PageProblem[] } {
  const answers: Answers = {};
  const problems: PageProblem[] = [];
  // What each question's conditions see: the answers before the page and the page's valid ones
  // so far, kept up to date rather than copied again for every question.
  const seen: Answers = { ...context };
  for (const question of page.questions) {
    if (!holds(question.when, seen)) continue;
    const checked = checkQuestion(question, own(input, question.name), seen, options);
    if (checked.value !== undefined && checked.problems.length === 0)
      answers[question.name] = seen[question.name] = checked.value;
    for (const p of checked.problems) problems.push({ ...p, question: question.name });
  }
  return { answers, problems };
}

/**
 * Validates a whole application's answers against its form, as the server does for the API and
 * before sending a journey's draft. Unknown fields are refused; pages and questions whose
 * conditions do not hold are skipped and whatever was given for them dropped.
 *
 * @example
 * const result = validateAnswers(definition, request.body.answers, { today: ukToday() });
 * if (!result.ok) return reply.code(422).send({ errors: result.errors });
 */
export function validateAnswers(
  definition: FormDefinition,
  input: unknown,
  options: ValidateOptions,
): Validation {
  if (!isPlainObject(input))
    return { ok: false, errors: [{ field: '', message: SHAPE_MESSAGES.notAnObject }] };
  const errors: AnswerError[] = [];
  const known = questionNames(definition);
  for (const key of Object.keys(input)) {
    if (known.has(key)) continue;
    errors.push({ field: key, message: SHAPE_MESSAGES.unknownQuestion });
    if (errors.length >= MAX_ERRORS) return tooMany(errors);
  }
  const answers: Answers = {};
  for (const page of definition.pages) {
    if (!holds(page.when, answers)) continue;
    // Later pages' conditions may rest on this page: carry on with what did validate.
    const checked = checkPage(page, input, answers, options);
    Object.assign(answers, checked.answers);
    for (const p of checked.problems)
      errors.push({ field: fieldOf(p.question, p.path), message: p.message });
    if (errors.length >= MAX_ERRORS) return tooMany(errors);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, answers };
}

function tooMany(errors: AnswerError[]): Validation {
  return {
    ok: false,
    errors: [...errors.slice(0, MAX_ERRORS), { field: '', message: SHAPE_MESSAGES.tooManyErrors }],
  };
}

const namesOf = new WeakMap<FormDefinition, Set<string>>();

/** The names of a form's top-level questions (an "add another" item's are inside its answer). */
function questionNames(definition: FormDefinition): Set<string> {
  let names = namesOf.get(definition);
  if (!names) {
    names = new Set(definition.pages.flatMap((p) => p.questions.map((q) => q.name)));
    namesOf.set(definition, names);
  }
  return names;
}

/**
 * A kept (normalised) answer as input again, so it can be re-checked: money's pence become a
 * number (text would be read as pounds); everything else validates to itself as it is.
 */
export function answerToInput(question: AnyQuestion, value: AnswerValue): unknown {
  if (question.type === 'money' && typeof value === 'string' && /^\d+$/.test(value))
    return Number(value);
  if (question.type === 'repeat' && Array.isArray(value))
    return (value as Answers[]).map((item) => {
      const input: Record<string, unknown> = {};
      for (const inner of question.questions)
        if (Object.hasOwn(item, inner.name))
          input[inner.name] = answerToInput(inner, item[inner.name]!);
      return input;
    });
  return value;
}

/** Kept answers as input for `validateAnswers` (the inverse of normalising, see `answerToInput`). */
export function answersToInput(
  definition: FormDefinition,
  answers: Answers,
): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const page of definition.pages)
    for (const question of page.questions)
      if (Object.hasOwn(answers, question.name))
        input[question.name] = answerToInput(question, answers[question.name]!);
  return input;
}
