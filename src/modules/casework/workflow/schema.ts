/**
 * A casework workflow as data (JSON): the states a case can be in and the actions that move it
 * between them, who may take each, what each needs (a comment, a document, a date) and what the
 * applicant is told. Service owners write it; `parseWorkflowDefinition` checks it — its shape
 * with zod, then its meaning (one start, every state reachable …) — before any version is
 * stored, so the engine can trust what it reads. docs/guides/casework.md describes the format.
 *
 * Every object is `.strict()`: a misspelt key ("requried") is an error, never silently ignored.
 */
import { z } from 'zod';
import type { FieldError } from '../../../platform/errors/errors.js';

/** Text in both languages a page may be shown in. */
const BilingualSchema = z
  .object({
    en: z.string().trim().min(1).max(2000),
    cy: z.string().trim().min(1).max(2000),
  })
  .strict();
export type Bilingual = z.infer<typeof BilingualSchema>;

/** A state's or action's name: it appears in URLs, events and the hub's history. */
const NameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,62}$/, 'a name is lower-case letters, digits and hyphens');

/** The roles a workflow's actions are given to: the body's staff, or the applicant themselves. */
export const CASE_ROLES = ['caseworker', 'team-leader', 'applicant'] as const;
export type CaseRole = (typeof CASE_ROLES)[number];

/** What a case's submission shows while the case is in a state (decisions come from actions). */
export const SUBMISSION_PROGRESS = ['received', 'accepted', 'in-progress'] as const;

/** How an action treats a comment or a document: the form asks for it, offers it, or not. */
const NeedSchema = z.enum(['required', 'optional', 'none']);
export type Need = z.infer<typeof NeedSchema>;

/** The outcomes the hub protocol knows; an action with one records a decision. */
export const DECISIONS = ['approved', 'refused', 'withdrawn'] as const;
export type DecisionOutcome = (typeof DECISIONS)[number];

const InputSchema = z
  .object({
    name: z
      .string()
      .regex(
        /^[a-z][a-zA-Z0-9]{0,62}$/,
        'an input name is letters and digits, starting lower-case',
      ),
    type: z.literal('date'),
    label: BilingualSchema,
    hint: BilingualSchema.optional(),
    /** The date may not be before today (in the UK). */
    notPast: z.boolean().optional(),
    /** The date must be Monday to Friday. */
    weekday: z.boolean().optional(),
  })
  .strict();
export type WorkflowInput = z.infer<typeof InputSchema>;

const StateSchema = z
  .object({
    name: NameSchema,
    label: BilingualSchema,
    /** The time limit in working days (England and Wales) from entering the state. */
    slaDays: z.number().int().min(1).max(365).optional(),
    start: z.boolean().optional(),
    terminal: z.boolean().optional(),
    /** Waiting for the applicant: the clock stops while a case is here. */
    pausesClock: z.boolean().optional(),
    submissionStatus: z.enum(SUBMISSION_PROGRESS).optional(),
  })
  .strict();
export type WorkflowState = z.infer<typeof StateSchema>;

const ActionSchema = z
  .object({
    name: NameSchema,
    label: BilingualSchema,
    from: z.array(NameSchema).min(1).max(50),
    to: NameSchema,
    roles: z.array(z.enum(CASE_ROLES)).min(1).max(3),
    comment: NeedSchema,
    document: NeedSchema,
    inputs: z.array(InputSchema).max(5).optional(),
    /** What the applicant is told, with ((placeholders)): reference, service, organisation, comment, and the inputs. */
    tell: BilingualSchema.optional(),
    decision: z.enum(DECISIONS).optional(),
    /** For an applicant's appeal from a final state: how many days after the decision it may be made. */
    appealWithinDays: z.number().int().min(1).max(365).optional(),
  })
  .strict();
export type WorkflowAction = z.infer<typeof ActionSchema>;

const DefinitionSchema = z
  .object({
    key: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9-]{1,62}$/,
        'a key is 2 to 63 lower-case letters, digits and hyphens',
      ),
    name: BilingualSchema,
    description: BilingualSchema.optional(),
    states: z.array(StateSchema).min(2).max(50),
    actions: z.array(ActionSchema).min(1).max(200),
  })
  .strict();
export type WorkflowDefinition = z.infer<typeof DefinitionSchema>;

/** The placeholders every `tell` may use, besides the action's own inputs. */
export const TELL_PLACEHOLDERS = ['reference', 'service', 'organisation', 'comment'] as const;

export type ParsedWorkflow =
  { ok: true; definition: WorkflowDefinition } | { ok: false; errors: FieldError[] };

/**
 * Checks a workflow definition: its shape, then its meaning. Never throws, whatever it is given;
 * each problem names where it is (a JSON path such as `actions.2.to`) and why.
 *
 * @example
 * const parsed = parseWorkflowDefinition(JSON.parse(text));
 * if (!parsed.ok) return { ok: false, errors: parsed.errors };
 */
export function parseWorkflowDefinition(json: unknown): ParsedWorkflow {
  const parsed = DefinitionSchema.safeParse(json);
  if (!parsed.success)
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => ({
        field: issue.path.map(String).join('.') || '(workflow)',
        message: issue.message,
      })),
    };
  const errors = semanticProblems(parsed.data);
  return errors.length ? { ok: false, errors } : { ok: true, definition: parsed.data };
}

/** An applicant's appeal: the only kind of action a final state may have. */
export function isAppeal(action: WorkflowAction): boolean {
  return action.appealWithinDays !== undefined;
}

function duplicates(names: string[]): string[] {
  return [...new Set(names.filter((name, i) => names.indexOf(name) !== i))];
}

function semanticProblems(definition: WorkflowDefinition): FieldError[] {
  const errors: FieldError[] = [];
  const problem = (field: string, message: string) => errors.push({ field, message });
  const states = new Map(definition.states.map((s) => [s.name, s]));

  for (const name of duplicates(definition.states.map((s) => s.name)))
    problem('states', `two states are called "${name}"`);
  for (const name of duplicates(definition.actions.map((a) => a.name)))
    problem('actions', `two actions are called "${name}"`);

  const starts = definition.states.filter((s) => s.start);
  if (starts.length !== 1)
    problem('states', `a workflow has exactly one start state (this has ${starts.length})`);
  definition.states.forEach((state, i) => {
    if (state.start && state.terminal)
      problem(`states.${i}.terminal`, 'the start state cannot be final');
    if (state.terminal && state.slaDays !== undefined)
      problem(`states.${i}.slaDays`, 'a final state has no time limit');
    if (state.terminal && state.pausesClock)
      problem(`states.${i}.pausesClock`, 'a final state has no clock to pause');
  });

  definition.actions.forEach((action, i) => {
    action.from.forEach((from, j) => {
      const state = states.get(from);
      if (!state) problem(`actions.${i}.from.${j}`, `there is no state "${from}"`);
      else if (state.terminal && !isAppeal(action))
        problem(
          `actions.${i}.from.${j}`,
          `"${from}" is final: only an applicant's appeal (with appealWithinDays) may leave it`,
        );
    });
    if (!states.has(action.to)) problem(`actions.${i}.to`, `there is no state "${action.to}"`);
    if (duplicates(action.from).length) problem(`actions.${i}.from`, 'a state is listed twice');
    if (duplicates(action.roles).length) problem(`actions.${i}.roles`, 'a role is listed twice');
    if (isAppeal(action) && (action.roles.length !== 1 || action.roles[0] !== 'applicant'))
      problem(`actions.${i}.appealWithinDays`, 'only the applicant appeals');
    if (isAppeal(action) && action.from.some((from) => states.get(from)?.terminal !== true))
      problem(`actions.${i}.appealWithinDays`, 'an appeal is made from a final state');
    const inputs = action.inputs ?? [];
    for (const name of duplicates(inputs.map((input) => input.name)))
      problem(`actions.${i}.inputs`, `two inputs are called "${name}"`);
    if (action.tell) {
      const known = new Set<string>([...TELL_PLACEHOLDERS, ...inputs.map((input) => input.name)]);
      for (const language of ['en', 'cy'] as const) {
        for (const name of placeholdersIn(action.tell[language])) {
          if (!known.has(name))
            problem(`actions.${i}.tell.${language}`, `there is no placeholder ((${name}))`);
          else if (name === 'comment' && action.comment === 'none')
            problem(`actions.${i}.tell.${language}`, '((comment)) needs an action with a comment');
        }
      }
    }
  });

  if (starts.length === 1) {
    const reached = reachable(definition, starts[0]!.name);
    definition.states.forEach((state, i) => {
      if (!reached.has(state.name))
        problem(`states.${i}`, `no action leads to "${state.name}" from the start`);
    });
  }
  return errors;
}

/** Every state a case can get to from `start` by some action. */
function reachable(definition: WorkflowDefinition, start: string): Set<string> {
  const seen = new Set([start]);
  const queue = [start];
  while (queue.length) {
    const state = queue.shift()!;
    for (const action of definition.actions)
      if (action.from.includes(state) && !seen.has(action.to)) {
        seen.add(action.to);
        queue.push(action.to);
      }
  }
  return seen;
}

/** The names between (( and )) in a text, in order. */
export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(/\(\(([^()]*)\)\)/g)].map((match) => match[1]!.trim());
}
