/**
 * The workflow engine: pure functions over a checked definition. Which actions a person may take
 * on a case, and whether one they ask for can be taken now with what they gave. Nothing here
 * reads or writes the database; `performAction` (commands/actions.ts) does that around it.
 */
import type { FieldError } from '../../../platform/errors/errors.js';
import {
  daysBetween,
  isWeekday,
  parseDateParts,
  ukToday,
} from '../../../platform/validation/validators.js';
import type {
  Bilingual,
  CaseRole,
  WorkflowAction,
  WorkflowDefinition,
  WorkflowInput,
  WorkflowState,
} from './schema.js';

/** The most characters an action's comment may have (the case_events column's limit). */
export const MAX_COMMENT = 5000;

/** A problem with an action's input; a date input's problem carries its label for the message. */
export interface ActionError extends FieldError {
  label?: Bilingual;
}

/** What a person sent with an action. A date input is `name` (YYYY-MM-DD) or `name-day` … parts. */
export interface ActionRequest {
  comment?: string | undefined;
  documents?: readonly string[] | undefined;
  inputs?: Readonly<Record<string, string>> | undefined;
}

/** Where the case is: its state, and since when (appeals are counted from it). */
export interface CaseSituation {
  state: string;
  stateEnteredAt: Date;
}

export type ActionCheck =
  | {
      ok: true;
      action: WorkflowAction;
      to: WorkflowState;
      comment: string | null;
      documents: string[];
      /** Each input's value, dates as YYYY-MM-DD. */
      inputs: Record<string, string>;
    }
  | { ok: false; status: 400 | 403 | 409; errors: ActionError[] };

/** The state called `name`; undefined for a name the definition does not have. */
export function stateOf(definition: WorkflowDefinition, name: string): WorkflowState | undefined {
  return definition.states.find((state) => state.name === name);
}

/** Where every case of this workflow begins (a checked definition has exactly one). */
export function startState(definition: WorkflowDefinition): WorkflowState {
  return definition.states.find((state) => state.start)!;
}

/**
 * The actions someone with these roles may take from a state, in the definition's order: what
 * the case page offers. An appeal whose time has run out is left out when `situation` is given.
 *
 * @example availableActions(definition, 'in-progress', ['caseworker']).map((a) => a.name)
 */
export function availableActions(
  definition: WorkflowDefinition,
  state: string,
  roles: readonly CaseRole[],
  situation?: { stateEnteredAt: Date; now: Date },
): WorkflowAction[] {
  return definition.actions.filter(
    (action) =>
      action.from.includes(state) &&
      action.roles.some((role) => roles.includes(role)) &&
      (!situation || !appealClosed(action, situation.stateEnteredAt, situation.now)),
  );
}

/** An appeal may be made for `appealWithinDays` whole days after the case reached its state. */
function appealClosed(action: WorkflowAction, enteredAt: Date, now: Date): boolean {
  if (action.appealWithinDays === undefined) return false;
  return daysBetween(ukToday(enteredAt), ukToday(now)) > action.appealWithinDays;
}

/**
 * Whether `actionName` may be taken now by someone with `roles` on a case in `situation`, with
 * what they sent. The order of the answers is the contract of `performAction`: an action the
 * workflow does not have, or not from this state, is 409 (the page was stale); one for other
 * roles is 403; a missing comment, document or date is 400 with the field to correct.
 */
export function checkAction(
  definition: WorkflowDefinition,
  situation: CaseSituation,
  actionName: string,
  roles: readonly CaseRole[],
  request: ActionRequest,
  now: Date,
): ActionCheck {
  const action = definition.actions.find((a) => a.name === actionName);
  if (!action)
    return {
      ok: false,
      status: 409,
      errors: [{ field: 'action', message: 'casework.action.unknown' }],
    };
  if (!action.roles.some((role) => roles.includes(role)))
    return {
      ok: false,
      status: 403,
      errors: [{ field: 'action', message: 'casework.action.notYours' }],
    };
  if (!action.from.includes(situation.state))
    return {
      ok: false,
      status: 409,
      errors: [{ field: 'action', message: 'casework.action.notNow' }],
    };
  if (appealClosed(action, situation.stateEnteredAt, now))
    return {
      ok: false,
      status: 409,
      errors: [{ field: 'action', message: 'casework.action.tooLate' }],
    };

  const errors: ActionError[] = [];
  const inputs: Record<string, string> = {};
  const today = ukToday(now);
  for (const input of action.inputs ?? []) {
    const read = readDate(input, request.inputs ?? {}, today);
    if ('error' in read) errors.push(read.error);
    else inputs[input.name] = read.date;
  }
  const comment = action.comment === 'none' ? '' : (request.comment ?? '').trim();
  if (action.comment === 'required' && !comment)
    errors.push({ field: 'comment', message: 'casework.action.comment.required' });
  else if (comment.length > MAX_COMMENT)
    errors.push({ field: 'comment', message: 'casework.action.comment.tooLong' });
  const documents = action.document === 'none' ? [] : [...(request.documents ?? [])];
  if (action.document === 'required' && documents.length === 0)
    errors.push({ field: 'document', message: 'casework.action.document.required' });
  if (errors.length) return { ok: false, status: 400, errors };

  const to = stateOf(definition, action.to)!;
  return { ok: true, action, to, comment: comment || null, documents, inputs };
}

/** A date input, from `name` as YYYY-MM-DD or from the three boxes `name-day`, `-month`, `-year`. */
function readDate(
  input: WorkflowInput,
  values: Readonly<Record<string, string>>,
  today: string,
): { date: string } | { error: ActionError } {
  const field = `${input.name}-day`;
  const fail = (problem: string) => ({
    error: { field, message: `casework.action.date.${problem}`, label: input.label },
  });
  const whole = values[input.name]?.trim();
  let date: string;
  if (whole && /^\d{4}-\d{2}-\d{2}$/.test(whole)) {
    const parts = whole.split('-');
    const parsed = parseDateParts(parts[2]!, parts[1]!, parts[0]!);
    if ('problem' in parsed) return fail(parsed.problem);
    date = parsed.date;
  } else {
    const part = (name: string) => (values[`${input.name}-${name}`] ?? '').trim();
    const parsed = parseDateParts(part('day'), part('month'), part('year'));
    if ('problem' in parsed) return fail(whole ? 'invalid' : parsed.problem);
    date = parsed.date;
  }
  if (input.notPast && daysBetween(today, date) < 0) return fail('past');
  if (input.weekday && !isWeekday(date)) return fail('weekend');
  return { date };
}

/**
 * A workflow's `tell` text with its ((placeholders)) filled in; a placeholder without a value
 * becomes nothing, so a half-known message never shows brackets to the applicant.
 *
 * @example fillPlaceholders('Your collection is on ((collectionDate)).', { collectionDate: '1 December 2026' })
 */
export function fillPlaceholders(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\(\(([^()]*)\)\)/g, (_, name: string) => values[name.trim()] ?? '');
}
