import type { Db } from '../../../platform/db/database.js';
import type { Locale } from '../../../platform/i18n/i18n.js';
import { attachmentsByIds, humanSize } from '../../attachments/index.js';
import { findUserById } from '../../identity/index.js';
import type { CasePanel, CasePanelContext } from '../pages/case/panels.js';
import type { CaseRow } from '../db/tables.js';
import { loadWorkflow } from '../queries/workflows.js';
import { stateOf } from '../workflow/engine.js';
import { REQUEST_ACTION } from './commands.js';
import { QUESTION_MAX } from './form.js';
import { canAskForInformation } from './policies.js';
import { requestsOfCase, type InformationRequest } from './queries.js';

/** The files an answer came with, as links staff of the body may follow (each read is audited). */
export async function answerFiles(db: Db, ids: readonly string[]) {
  const files = await attachmentsByIds(db, ids);
  return files.map((file) => ({
    name: file.name,
    size: humanSize(file.size),
    href: `/attachments/${file.id}`,
  }));
}

function nameOf(db: Db) {
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

/**
 * Whether a request may be made now, and what it does: where the workflow has a
 * `request-information` action, only from the states it leaves, moving the case to its waiting
 * state (whose name and clock the form mentions); otherwise from any open state.
 */
export async function askingNow(db: Db, caseRow: CaseRow, locale: Locale) {
  const definition = await loadWorkflow(db, caseRow.workflow_id);
  const ask = definition.actions.find((action) => action.name === REQUEST_ACTION);
  const label = (state: string) => stateOf(definition, state)?.label[locale] ?? state;
  return {
    possible: !caseRow.closed_at && (!ask || ask.from.includes(caseRow.state)),
    fromStates: ask ? ask.from.map(label) : [],
    waitingState: ask ? label(ask.to) : null,
    pausesClock: ask ? stateOf(definition, ask.to)?.pausesClock === true : false,
  };
}

async function describe(db: Db, requests: InformationRequest[]) {
  const name = nameOf(db);
  return Promise.all(
    requests.map(async (request) => ({
      id: request.id,
      status: request.status,
      question: request.question,
      askedAt: request.asked_at,
      askedBy: await name(request.asked_by_user_id),
      replyBy: request.replyBy,
      answer: request.answer,
      answeredAt: request.answered_at,
      answeredBy: await name(request.answered_by_user_id),
      files: await answerFiles(db, request.attachment_ids),
      cancelledAt: request.cancelled_at,
    })),
  );
}

/**
 * The case page's "Requests for information": for staff of the case's body, the open request
 * (with a way to cancel it), the answers given with their files, and the form to ask — or why
 * asking is not possible now. Nothing for anyone else (a body the case was shared with).
 */
export const informationPanel: CasePanel = {
  template: 'modules/casework/information/panel.njk',
  async load({ caseRow, user, locale, db }: CasePanelContext) {
    if (!canAskForInformation(user, caseRow)) return null;
    const requests = await describe(db, await requestsOfCase(db, caseRow.id));
    const open = requests.find((request) => request.status === 'open') ?? null;
    const asking = await askingNow(db, caseRow, locale);
    return {
      reference: caseRow.reference,
      version: caseRow.version,
      closed: caseRow.closed_at !== null,
      open,
      earlier: requests.filter((request) => request.status !== 'open'),
      canAsk: asking.possible && !open,
      asking,
      questionMax: QUESTION_MAX,
    };
  },
};
