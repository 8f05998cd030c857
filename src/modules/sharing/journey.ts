import type { FieldError } from '../../platform/errors/errors.js';
import { isIsoDate } from '../../platform/time/london.js';
import {
  normalisePostcode,
  parseDateParts,
  ukToday,
} from '../../platform/validation/validators.js';
import type { EventType } from './db/tables.js';
import { REPORTER_RELATIONSHIPS } from './events.js';

/** One question on a page of the journey. */
export interface Question {
  name: string;
  kind: 'text' | 'date' | 'email' | 'tel' | 'postcode' | 'address' | 'relationship';
  /** Needed unless the page says one of several will do. */
  optional?: boolean;
  /** A date that cannot be after today (a birth, a death). */
  past?: boolean;
}

/** A page of questions: one thing a page (a name is one thing; a date another). */
export interface Step {
  id: string;
  questions: Question[];
  /** Answers that no longer hold once this page is answered again (the address after a new postcode). */
  resets?: string[];
  /** At least one of the (optional) questions must be answered. */
  atLeastOne?: boolean;
}

const STEPS: Record<EventType, Step[]> = {
  'change-of-address': [
    {
      id: 'postcode',
      questions: [{ name: 'postcode', kind: 'postcode' }],
      resets: ['uprn', 'address'],
    },
    { id: 'address', questions: [{ name: 'uprn', kind: 'address' }] },
    { id: 'moved', questions: [{ name: 'movedOn', kind: 'date' }] },
  ],
  'change-of-name': [
    {
      id: 'name',
      questions: [
        { name: 'givenName', kind: 'text' },
        { name: 'familyName', kind: 'text' },
      ],
    },
    { id: 'name-date', questions: [{ name: 'changedOn', kind: 'date' }] },
  ],
  'change-of-contact-details': [
    {
      id: 'contact',
      atLeastOne: true,
      questions: [
        { name: 'email', kind: 'email', optional: true },
        { name: 'phone', kind: 'tel', optional: true },
      ],
    },
  ],
  death: [
    {
      id: 'deceased',
      questions: [
        { name: 'deceasedGivenName', kind: 'text' },
        { name: 'deceasedFamilyName', kind: 'text' },
      ],
    },
    { id: 'deceased-born', questions: [{ name: 'deceasedDateOfBirth', kind: 'date', past: true }] },
    { id: 'death-date', questions: [{ name: 'dateOfDeath', kind: 'date', past: true }] },
    { id: 'death-register', questions: [{ name: 'deathRegistrationReference', kind: 'text' }] },
    { id: 'reporter', questions: [{ name: 'reporterRelationship', kind: 'relationship' }] },
  ],
  birth: [
    {
      id: 'child',
      questions: [
        { name: 'childGivenName', kind: 'text' },
        { name: 'childFamilyName', kind: 'text' },
      ],
    },
    { id: 'child-born', questions: [{ name: 'childDateOfBirth', kind: 'date', past: true }] },
    { id: 'birth-register', questions: [{ name: 'birthRegistrationReference', kind: 'text' }] },
  ],
};

/** The question pages of a kind of change, in order. */
export function stepsFor(type: EventType): Step[] {
  return STEPS[type];
}

/** Where a person's journey stands: what they chose and answered so far. */
export interface JourneyState {
  type: EventType | null;
  details: Record<string, unknown>;
  bodiesChosen: boolean;
}

/**
 * The journey as a state machine: `change` (choose the kind) → each question page → `bodies`
 * (who will be told, consent ticks) → `check` → submitted. This is the furthest page a person
 * may be on; asking for a later one sends them here (no jumping ahead).
 */
export function furthestStep(state: JourneyState): string {
  if (!state.type) return 'change';
  for (const step of STEPS[state.type]) if (!stepAnswered(step, state.details)) return step.id;
  return state.bodiesChosen ? 'check' : 'bodies';
}

/** The pages in order, for the guard: `change`, the question pages, `bodies`, `check`. */
export function journeyOrder(type: EventType | null): string[] {
  return ['change', ...(type ? STEPS[type].map((s) => s.id) : []), 'bodies', 'check'];
}

/** True when a person may see page `id` now (it is not beyond the furthest they have reached). */
export function mayVisit(state: JourneyState, id: string): boolean {
  const order = journeyOrder(state.type);
  const at = order.indexOf(id);
  return at !== -1 && at <= order.indexOf(furthestStep(state));
}

function stepAnswered(step: Step, details: Record<string, unknown>): boolean {
  if (step.atLeastOne) return step.questions.some((q) => details[q.name] !== undefined);
  return step.questions.every((q) => q.optional || details[q.name] !== undefined);
}

/**
 * Reads one page's answers from the posted form: each value checked (required, a real date,
 * not in the future where it cannot be, an e-mail, a phone number, a postcode, an address of
 * the list) with a GOV.UK error message key per field.
 */
export function readStep(
  step: Step,
  body: Record<string, unknown>,
  addressUprns: ReadonlyMap<string, string> = new Map(),
  today = ukToday(),
): { ok: true; values: Record<string, unknown> } | { ok: false; errors: FieldError[] } {
  const text = (name: string) => {
    const value = body[name];
    return typeof value === 'string' ? value.trim() : '';
  };
  const errors: FieldError[] = [];
  const values: Record<string, unknown> = {};
  for (const question of step.questions) {
    const key = `sharing.error.${question.name}`;
    if (question.kind === 'date') {
      const parsed = parseDateParts(
        text(`${question.name}-day`),
        text(`${question.name}-month`),
        text(`${question.name}-year`),
      );
      if ('problem' in parsed)
        errors.push({ field: `${question.name}-day`, message: `${key}.${parsed.problem}` });
      else if (question.past && parsed.date > today)
        errors.push({ field: `${question.name}-day`, message: `${key}.future` });
      else values[question.name] = parsed.date;
      continue;
    }
    const value = text(question.name);
    if (!value) {
      if (!question.optional) errors.push({ field: question.name, message: `${key}.required` });
      continue;
    }
    if (question.kind === 'postcode') {
      const postcode = normalisePostcode(value);
      if (!postcode) errors.push({ field: question.name, message: `${key}.invalid` });
      else values[question.name] = postcode;
    } else if (question.kind === 'address') {
      const address = addressUprns.get(value);
      if (!address) errors.push({ field: question.name, message: `${key}.required` });
      else Object.assign(values, { uprn: value, address });
    } else if (question.kind === 'relationship') {
      if (!(REPORTER_RELATIONSHIPS as readonly string[]).includes(value))
        errors.push({ field: question.name, message: `${key}.required` });
      else values[question.name] = value;
    } else if (question.kind === 'email') {
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) || value.length > 320)
        errors.push({ field: question.name, message: `${key}.invalid` });
      else values[question.name] = value;
    } else if (question.kind === 'tel') {
      if (!/^\+?[0-9 ]{10,16}$/.test(value))
        errors.push({ field: question.name, message: `${key}.invalid` });
      else values[question.name] = value;
    } else if (value.length > 100) {
      errors.push({ field: question.name, message: `${key}.tooLong` });
    } else values[question.name] = value;
  }
  if (step.atLeastOne && errors.length === 0 && Object.keys(values).length === 0)
    errors.push({ field: step.questions[0]!.name, message: `sharing.error.${step.id}.oneOf` });
  return errors.length ? { ok: false, errors } : { ok: true, values };
}

/** The dates of a page as the three boxes show them again. */
export function dateBoxes(value: unknown): { day: string; month: string; year: string } {
  if (typeof value !== 'string' || !isIsoDate(value)) return { day: '', month: '', year: '' };
  const [year, month, day] = value.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year: year! };
}
