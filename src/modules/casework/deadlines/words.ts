/**
 * What the deadline e-mails say about a case, in English and Welsh: staff accounts have no
 * language of their own, so every message to a team leader carries both, English first (as the
 * hub's alerts to a body's admins do).
 */
import type { Db } from '../../../platform/db/database.js';
import {
  formatDate,
  loadMessages,
  translator,
  type Locale,
  type Translate,
} from '../../../platform/i18n/i18n.js';
import { findUserById } from '../../identity/index.js';
import { nameLookup } from '../../submissions/index.js';
import type { CaseRow } from '../db/tables.js';
import { loadWorkflow } from '../queries/workflows.js';
import type { WorkflowDefinition } from '../workflow/schema.js';

/** The columns of a case the deadline jobs read. */
export type DeadlineCase = Pick<
  CaseRow,
  | 'id'
  | 'reference'
  | 'organisation_id'
  | 'service_id'
  | 'workflow_id'
  | 'state'
  | 'due_at'
  | 'assigned_to'
  | 'applicant_user_id'
>;

/** A case as an e-mail names it, in one language. */
export interface CaseWords {
  reference: string;
  service: string;
  state: string;
  due: string;
  assignee: string;
}

const SEPARATOR = '\n\n———\n\n';

/** Translators for both languages, loaded once. */
export async function bothLanguages(): Promise<Record<Locale, Translate>> {
  const messages = await loadMessages();
  return { en: translator(messages, 'en'), cy: translator(messages, 'cy') };
}

/** One text written in English then Welsh: a subject joined by " / ", a body by a rule. */
export function inBoth(write: (locale: Locale) => string, kind: 'subject' | 'text'): string {
  return (['en', 'cy'] as const).map(write).join(kind === 'subject' ? ' / ' : SEPARATOR);
}

/**
 * Looks up the names a case's e-mail needs — its service, organisation, stage and assignee —
 * remembering each, so a digest of many cases asks once per service, workflow and person.
 * Other modules are asked through their index (services and bodies through submissions'
 * `nameLookup`, people through identity).
 */
export function caseWordsLookup(db: Db, t: Record<Locale, Translate>) {
  const names = { en: nameLookup(db, 'en'), cy: nameLookup(db, 'cy') };
  const workflows = new Map<string, Promise<WorkflowDefinition>>();
  const people = new Map<string, Promise<string | null>>();

  const workflow = (id: string) => {
    if (!workflows.has(id)) workflows.set(id, loadWorkflow(db, id));
    return workflows.get(id)!;
  };
  const person = (id: string) => {
    if (!people.has(id))
      people.set(
        id,
        findUserById(db, id).then((user) => (user && !user.deleted_at ? user.display_name : null)),
      );
    return people.get(id)!;
  };

  return {
    organisation: (id: string, locale: Locale) => names[locale].organisation(id),
    async of(row: DeadlineCase, locale: Locale): Promise<CaseWords> {
      const definition = await workflow(row.workflow_id);
      const state = definition.states.find((s) => s.name === row.state);
      const assignee = row.assigned_to ? await person(row.assigned_to) : null;
      return {
        reference: row.reference,
        service: await names[locale].service(row.service_id),
        state: state?.label[locale] ?? row.state,
        due: row.due_at ? formatDate(row.due_at, locale) : '—',
        assignee: assignee ?? t[locale]('casework.deadlines.notAssigned'),
      };
    },
  };
}
