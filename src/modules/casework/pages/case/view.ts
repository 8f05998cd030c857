/** The case page: everything a caseworker sees of a case and may do to it, as one view model. */
import type { Db } from '../../../../platform/db/database.js';
import type { Locale, Translate } from '../../../../platform/i18n/i18n.js';
import { attachmentsByIds, humanSize } from '../../../attachments/index.js';
import { findUserById, staffWithRoles } from '../../../identity/index.js';
import {
  answerRows,
  canStaffWork,
  describeHistory,
  nameLookup,
  viewAsStaff,
  type SubmissionRow,
} from '../../../submissions/index.js';
import { slaRisk } from '../../calendar/index.js';
import { auditActor, type CaseActor } from '../../commands/actor.js';
import type { CaseEventRow, CaseRow } from '../../db/tables.js';
import { RECEIVED_ACTION, REQUEST_ACTION } from '../../information/commands.js';
import { caseRolesOf } from '../../policies/cases.js';
import { caseEvents, caseNotes, linkedCases } from '../../queries/cases.js';
import { loadWorkflow } from '../../queries/workflows.js';
import { availableActions, stateOf, type ActionError } from '../../workflow/engine.js';
import type { WorkflowAction, WorkflowDefinition } from '../../workflow/schema.js';
import { stateLabeller } from '../queue/view.js';
import { CASE_PANELS } from './panels.js';

/** What a failed form left behind: which form, its errors and what was typed, the page's status. */
export interface FormProblem {
  form: string;
  errors: ActionError[];
  values: Record<string, unknown>;
}

const FORM_WIDE = ['action', 'version', 'reference'];

/** Errors as the GOV.UK error summary and fields want them, ids prefixed with the form's name. */
export function problemView(problem: FormProblem | undefined, t: Translate, locale: Locale) {
  if (!problem) return { errorList: [], fieldErrors: {} as Record<string, { text: string }> };
  const fieldErrors: Record<string, { text: string }> = {};
  const errorList = problem.errors.map((error) => {
    const label = error.label ? error.label[locale] : '';
    const text = t(error.message, {
      label: label ? label.charAt(0).toLocaleLowerCase(locale) + label.slice(1) : '',
    });
    // Problems of the whole form (a stale version, an action not possible now) point at the form.
    const id = FORM_WIDE.includes(error.field) ? problem.form : `${problem.form}-${error.field}`;
    fieldErrors[id] ??= { text };
    return { text, href: `#${id}` };
  });
  return { errorList, fieldErrors };
}

/** A person's name for the history, looked up once per page. */
function peopleLookup(db: Db) {
  const cache = new Map<string, Promise<string | null>>();
  return (id: string | null) => {
    if (!id) return Promise.resolve(null);
    if (!cache.has(id))
      cache.set(
        id,
        findUserById(db, id).then((u) => u?.display_name ?? null),
      );
    return cache.get(id)!;
  };
}

/** File answers hide anywhere in a submission's answers (in repeated groups too): their ids. */
function fileIdsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) fileIdsIn(item, found);
  else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.id === 'string' && typeof record.name === 'string' && 'size' in record)
      found.push(record.id);
    else for (const item of Object.values(record)) fileIdsIn(item, found);
  }
  return found;
}

async function filesOf(db: Db, ids: string[]) {
  const files = await attachmentsByIds(db, ids);
  const byId = new Map(files.map((f) => [f.id, f]));
  return [...new Set(ids.map((id) => id.toLowerCase()))].map((id) => {
    const file = byId.get(id);
    return file
      ? { id, name: file.name, size: humanSize(file.size), href: `/attachments/${id}` }
      : { id, name: null, size: null, href: null };
  });
}

/** A case's history in words; the referral's shared view (referrals/routes.ts) shows it too. */
export async function describeEvents(
  db: Db,
  events: CaseEventRow[],
  definition: WorkflowDefinition,
  t: Translate,
  locale: Locale,
) {
  const person = peopleLookup(db);
  const label = (state: string | null) =>
    state ? (stateOf(definition, state)?.label[locale] ?? state) : '';
  return Promise.all(
    events
      .filter((event) => event.kind !== 'message')
      .map(async (event) => {
        const who = (await person(event.actor_user_id)) ?? t('casework.event.someone');
        const action = definition.actions.find((a) => a.name === event.action);
        const details = event.details;
        let title: string;
        if (event.kind === 'action')
          title = t('casework.event.action', {
            action: action?.label[locale] ?? event.action ?? '',
            who,
          });
        else if (event.kind === 'opened') title = t('casework.event.opened');
        else if (event.kind === 'assigned')
          title = t('casework.event.assigned', {
            to: (await person(String(details.to ?? ''))) ?? String(details.to_name ?? '—'),
            who,
          });
        else if (event.kind === 'linked')
          title = t('casework.event.linked', { reference: String(details.reference ?? '') });
        else {
          // Features inside casework (information, referrals, deadlines) name their own kinds.
          const key = `casework.event.${event.kind}`;
          title = t(key, { who }) === key ? event.kind : t(key, { who });
        }
        const inputs = (details.inputs ?? {}) as Record<string, string>;
        return {
          title,
          move:
            event.from_state || event.to_state
              ? event.from_state
                ? t('casework.event.move', {
                    from: label(event.from_state),
                    to: label(event.to_state),
                  })
                : t('casework.event.into', { to: label(event.to_state) })
              : '',
          comment: event.comment,
          inputs: (action?.inputs ?? [])
            .filter((input) => inputs[input.name])
            .map((input) => ({ label: input.label[locale], date: inputs[input.name] })),
          documents: await filesOf(db, event.documents),
          occurredAt: event.occurred_at,
        };
      }),
  );
}

/**
 * Actions with a form of their own elsewhere, never offered as a plain action: assignment (the
 * "Assign to" form), and asking for information and its answer (the requests for information
 * panel), which store the request and tell the applicant how to answer as well as move the case.
 */
const ACTIONS_WITH_OWN_FORMS: readonly string[] = ['assign', REQUEST_ACTION, RECEIVED_ACTION];

/** The forms for the actions this person may take now, but those with forms of their own. */
function actionForms(
  definition: WorkflowDefinition,
  actions: WorkflowAction[],
  locale: Locale,
  problem: FormProblem | undefined,
) {
  return actions
    .filter((action) => !ACTIONS_WITH_OWN_FORMS.includes(action.name))
    .map((action) => {
      const form = `action-${action.name}`;
      const values = problem?.form === form ? problem.values : {};
      const value = (name: string) =>
        typeof values[name] === 'string' ? (values[name] as string) : '';
      return {
        name: action.name,
        form,
        label: action.label[locale],
        to: stateOf(definition, action.to)?.label[locale] ?? action.to,
        comment: action.comment,
        document: action.document,
        tells: action.tell !== undefined,
        decision: action.decision ?? null,
        commentValue: value('comment'),
        inputs: (action.inputs ?? []).map((input) => ({
          name: input.name,
          id: `${form}-${input.name}`,
          label: input.label[locale],
          hint: input.hint?.[locale] ?? '',
          items: (['day', 'month', 'year'] as const).map((part) => ({
            name: part,
            value: value(`${input.name}-${part}`),
            classes: `govuk-input--width-${part === 'year' ? 4 : 2}`,
          })),
        })),
      };
    });
}

/** The applicant's messages: what the workflow told them, and how. */
function messagesOf(events: CaseEventRow[]) {
  return events
    .filter((event) => event.kind === 'message')
    .map((event) => ({
      subject: String(event.details.subject ?? ''),
      text: String(event.details.text ?? ''),
      channel: String(event.details.channel ?? 'none'),
      sentAt: event.occurred_at,
    }))
    .reverse();
}

/**
 * Everything the case page shows a member of the case's body. Reading the submission through
 * `viewAsStaff` records the look, which the applicant sees on their application's page.
 */
export async function caseView(
  db: Db,
  actor: CaseActor,
  caseRow: CaseRow,
  locale: Locale,
  t: Translate,
  problem?: FormProblem,
  now = new Date(),
) {
  const { user } = actor;
  const definition = await loadWorkflow(db, caseRow.workflow_id);
  const names = nameLookup(db, locale);
  let submission: SubmissionRow | undefined;
  let sentBy: { title: string; occurredAt: Date } | undefined;
  // The answers are read as the submissions module allows: the body's caseworkers and team leaders.
  if (caseRow.submission_id && canStaffWork(user, caseRow)) {
    const viewed = await viewAsStaff(db, user, caseRow.reference, auditActor(actor));
    submission = viewed.submission;
    const applicantName = caseRow.applicant_name ?? submission.applicant?.name ?? '—';
    const history = await describeHistory(viewed.events.slice(0, 1), names, t, locale, {
      applicantName,
    });
    sentBy = history[0];
  }
  const roles = caseRolesOf(user, caseRow);
  const actions = availableActions(definition, caseRow.state, roles, {
    stateEnteredAt: caseRow.state_entered_at,
    now,
  });
  const [events, notes, links, colleagues] = await Promise.all([
    caseEvents(db, caseRow.id),
    caseNotes(db, caseRow.id),
    linkedCases(db, caseRow.id),
    staffWithRoles(db, caseRow.organisation_id, ['caseworker', 'team-leader']),
  ]);
  const person = peopleLookup(db);
  const stateLabel = stateLabeller(db, locale);
  const state = stateOf(definition, caseRow.state);
  const assignAction = actions.find((a) => a.name === 'assign');
  const panels = [];
  for (const panel of CASE_PANELS) {
    const values = await panel.load({ caseRow, user, locale, t, db });
    if (values) panels.push({ template: panel.template, values });
  }
  return {
    caseRow,
    serviceTitle: await names.service(caseRow.service_id),
    workflowName: definition.name[locale],
    stateLabel: state?.label[locale] ?? caseRow.state,
    closed: caseRow.closed_at !== null,
    risk: caseRow.closed_at || caseRow.paused_at ? 'none' : slaRisk(caseRow.due_at, now),
    applicantName: caseRow.applicant_name ?? '—',
    assignedName: caseRow.assigned_to ? ((await person(caseRow.assigned_to)) ?? '—') : null,
    sentBy,
    answerRows: submission ? answerRows(submission, locale) : [],
    files: submission ? await filesOf(db, fileIdsIn(submission.answers.values)) : [],
    history: (await describeEvents(db, events, definition, t, locale)).reverse(),
    messages: messagesOf(events),
    canMessage: caseRow.applicant_user_id !== null && caseRow.submission_id !== null,
    notes: await Promise.all(
      notes.map(async (note) => ({
        body: note.body,
        author: (await person(note.author_user_id)) ?? t('casework.event.someone'),
        createdAt: note.created_at,
      })),
    ),
    links: await Promise.all(
      links.map(async (link) => ({
        reference: link.reference,
        state: await stateLabel(link.workflow_id, link.state),
      })),
    ),
    colleagues: colleagues.map((c) => ({
      value: c.id,
      text: c.id === user.id ? `${c.display_name} (${t('casework.queue.you')})` : c.display_name,
      selected: caseRow.assigned_to ? c.id === caseRow.assigned_to : c.id === user.id,
    })),
    assignMoves: assignAction
      ? (stateOf(definition, assignAction.to)?.label[locale] ?? assignAction.to)
      : null,
    actions: actionForms(definition, actions, locale, problem),
    noteValue:
      problem?.form === 'note' && typeof problem.values.note === 'string'
        ? problem.values.note
        : '',
    linkValue:
      problem?.form === 'link' && typeof problem.values.linkReference === 'string'
        ? problem.values.linkReference
        : '',
    panels,
    ...problemView(problem, t, locale),
  };
}
