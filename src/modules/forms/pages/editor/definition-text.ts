/**
 * A stored definition as the JSON a service owner edits. The database keeps definitions as jsonb,
 * which forgets the order keys were written in, and the schema fills in defaults; so the text is
 * laid out in a fixed, readable order (what a thing is and says first, its rules next, what it
 * contains last) and defaults nobody needs to see (`"required": true`) are left out. Checking the
 * text again gives the same definition back (a test proves it).
 */
import type { FormDefinition } from '../../schema.js';

/** Keys that say what a thing is and what it shows, in this order, before anything else. */
const FIRST = [
  'key',
  'id',
  'type',
  'name',
  'value',
  'question',
  'equals',
  'in',
  'notEmpty',
  'en',
  'cy',
  'title',
  'label',
  'itemLabel',
  'hint',
  'required',
  'requiredWhen',
  'when',
  'errorName',
  'prefill',
];
/** Keys holding what a thing contains, after its own rules, in this order. */
const LAST = ['options', 'questions', 'messages', 'pages', 'declaration', 'confirmation', 'body'];

/** Question settings left out of the text when they hold their default. */
const QUESTION_DEFAULTS: Record<string, unknown> = {
  required: true,
  integer: false,
  weekdaysOnly: false,
  mobileOnly: false,
  lookup: true,
};

function rank(key: string): [number, number | string] {
  const first = FIRST.indexOf(key);
  if (first >= 0) return [0, first];
  const last = LAST.indexOf(key);
  if (last >= 0) return [2, last];
  return [1, key];
}

function compareKeys(a: string, b: string): number {
  const [groupA, orderA] = rank(a);
  const [groupB, orderB] = rank(b);
  if (groupA !== groupB) return groupA - groupB;
  if (typeof orderA === 'number' && typeof orderB === 'number') return orderA - orderB;
  return String(orderA) < String(orderB) ? -1 : String(orderA) > String(orderB) ? 1 : 0;
}

function isQuestion(value: Record<string, unknown>): boolean {
  return typeof value.type === 'string' && typeof value.name === 'string' && 'label' in value;
}

function ordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(ordered);
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  const question = isQuestion(object);
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(object).sort(compareKeys)) {
    if (question && Object.hasOwn(QUESTION_DEFAULTS, key) && object[key] === QUESTION_DEFAULTS[key])
      continue;
    result[key] = ordered(object[key]);
  }
  return result;
}

/**
 * The definition as pretty-printed JSON (two spaces), keys in the editor's order, defaults that
 * go without saying left out.
 *
 * @example definitionText(form) // '{\n  "key": "bulky-waste",\n  "title": {\n    "en": …'
 */
export function definitionText(definition: FormDefinition | unknown): string {
  return JSON.stringify(ordered(definition), null, 2);
}
