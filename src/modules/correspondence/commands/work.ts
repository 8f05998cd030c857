/**
 * What a body's staff do with a complaint or FOI request: answer it, ask for clarification and
 * record it, extend the FOI clock for the public interest test, take a complaint to stage 2,
 * publish an FOI response to the disclosure log, give the work to a colleague. Each locks the
 * row, checks the user's policy first (another body's staff: 404, nothing changed), checks the
 * state, records an audit entry and tells the requester through the outbox.
 */
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import { notFound, type FieldError, type Outcome } from '../../../platform/errors/errors.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import { loadMessages, translator } from '../../../platform/i18n/i18n.js';
import { findOrganisationById, type OrganisationRow } from '../../organisations/index.js';
import { staffWithRoles } from '../../identity/index.js';
import { foiDue, foiDueAfterClarification, mayExtend, stageDue } from '../clock/statutory-clock.js';
import type { Updateable } from 'kysely';
import type { CorrespondenceRow, CorrespondenceTable } from '../db/tables.js';
import { isEscalatable, mayViewOwn, mayWorkCorrespondence } from '../policies/correspondence.js';
import { lockByReference, settingsOf } from '../queries/items.js';
import type { Exemption, ResponseForm } from '../rules/forms.js';
import { ombudsmanFor } from '../rules/ombudsman.js';
import { personalDataIn } from '../rules/personal-data.js';
import { dueText, queueRequesterMail } from './mail.js';

/** The outcome of a change: the item as it now is, or why nothing changed. */
export type WorkOutcome = Outcome<{ item: CorrespondenceRow }>;

/** Someone else changed it first, or the action does not fit its state. */
export const STATE_CHANGED: FieldError = {
  field: 'state',
  message: 'correspondence.state.changed',
};

/**
 * The item, locked, when the user works its body's correspondence; 404 otherwise (another
 * body's staff cannot tell whether it exists).
 */
export async function lockForWork(
  trx: Db,
  user: CurrentUser,
  reference: string,
): Promise<CorrespondenceRow> {
  const item = await lockByReference(trx, reference);
  if (!item || !mayWorkCorrespondence(user, item.organisation_id)) throw notFound({ reference });
  return item;
}

/** Writes a change to a locked item, moving its version on (the optimistic check's counter). */
export async function update(
  trx: Db,
  item: CorrespondenceRow,
  changes: Updateable<CorrespondenceTable>,
): Promise<CorrespondenceRow> {
  return trx
    .updateTable('correspondence')
    .set({ ...changes, version: item.version + 1 })
    .where('id', '=', item.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Records a change to an item in the audit log, as `correspondence.<action>`. */
export async function audit(
  trx: Db,
  actor: Actor,
  item: CorrespondenceRow,
  action: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  await recordAudit(trx, actor, {
    action: `correspondence.${action}`,
    resourceType: 'correspondence',
    resourceId: item.id,
    subjectUserId: item.account_id,
    details: { reference: item.reference, ...details },
  });
}

export async function bodyOf(trx: Db, item: CorrespondenceRow): Promise<OrganisationRow> {
  const body = await findOrganisationById(trx, item.organisation_id);
  if (!body) throw new Error(`No organisation ${item.organisation_id}`);
  return body;
}

let messages: ReturnType<typeof loadMessages> | undefined;

/** What an answer's e-mail says of its outcome and grounds, in the requester's language. */
async function outcomeWords(item: CorrespondenceRow, body: OrganisationRow) {
  const t = translator(await (messages ??= loadMessages()), item.language);
  return {
    outcome: item.outcome ? t(`correspondence.outcome.${item.outcome}`) : '',
    exemptions: item.exemptions.map((e) => t(`correspondence.exemption.${e}`)).join('\n'),
    response: item.response ?? '',
    ombudsman: t(`correspondence.ombudsman.${ombudsmanFor(body)}`),
    body: (item.language === 'cy' && body.name_cy) || body.name,
  };
}

/**
 * Records the response to a complaint (at its stage) or an FOI request with its outcome: a
 * complaint answered at stage 1 may go to stage 2; stage 2 is the body's final response, and
 * the e-mail signposts the ombudsman. An FOI answer closes the request.
 */
export async function respond(
  trx: Db,
  user: CurrentUser,
  actor: Actor,
  reference: string,
  form: ResponseForm,
  now: Date,
): Promise<WorkOutcome> {
  const item = await lockForWork(trx, user, reference);
  // A member's letter is drafted and cleared; an internal review is decided (commands/review.ts).
  if (item.kind === 'member' || item.kind === 'review' || item.state !== 'open')
    return { ok: false, errors: [STATE_CHANGED] };
  const final = item.kind === 'foi' || item.stage === 2;
  const changed = await update(trx, item, {
    state: final ? 'closed' : 'responded',
    outcome: form.outcome,
    exemptions: form.exemptions,
    response: form.response,
    responded_at: now,
    responded_by: user.id,
    due_at: null,
  });
  await audit(trx, actor, changed, 'responded', {
    stage: item.stage,
    outcome: form.outcome,
    exemptions: form.exemptions,
    onTime: item.due_at !== null && now.getTime() <= item.due_at.getTime(),
  });
  const words = await outcomeWords(changed, await bodyOf(trx, changed));
  await queueRequesterMail(
    trx,
    item.kind === 'complaint' && final ? 'final' : 'responded',
    changed,
    words,
    `correspondence.responded:${item.reference}:${item.stage}`,
  );
  return { ok: true, item: changed };
}

/**
 * Asks the requester to clarify an FOI request (s.1(3)): the clock stops until they answer.
 * Not after a public interest extension: by then the request was understood.
 */
export async function askClarification(
  trx: Db,
  user: CurrentUser,
  actor: Actor,
  reference: string,
  question: string,
  now: Date,
): Promise<WorkOutcome> {
  const item = await lockForWork(trx, user, reference);
  if (item.kind !== 'foi' || item.state !== 'open' || item.extension_days !== null)
    return { ok: false, errors: [STATE_CHANGED] };
  const changed = await update(trx, item, {
    state: 'clarification',
    clock_stopped_at: now,
    due_at: null,
    clarification: question,
  });
  await audit(trx, actor, changed, 'clarification-asked', { question });
  await queueRequesterMail(
    trx,
    'clarification',
    changed,
    { question },
    `correspondence.clarification:${item.reference}:${item.version}`,
  );
  return { ok: true, item: changed };
}

/**
 * Records the clarification the requester sent: the clock starts afresh, 20 working days from
 * the day it arrived (s.10(6)).
 */
export async function recordClarification(
  trx: Db,
  user: CurrentUser,
  actor: Actor,
  reference: string,
  answer: string,
  now: Date,
): Promise<WorkOutcome> {
  const item = await lockForWork(trx, user, reference);
  if (item.kind !== 'foi' || item.state !== 'clarification')
    return { ok: false, errors: [STATE_CHANGED] };
  const changed = await update(trx, item, {
    state: 'open',
    clock_started_at: now,
    clock_stopped_at: null,
    due_at: foiDueAfterClarification(now),
  });
  await audit(trx, actor, changed, 'clarified', { answer, due: changed.due_at });
  return { ok: true, item: changed };
}

/**
 * Extends an FOI request's time limit to weigh the public interest in a qualified exemption
 * (s.10(3)), once and within the first 20 working days; the requester is told the new date
 * (the s.17(2) notice).
 */
export async function extendForPublicInterest(
  trx: Db,
  user: CurrentUser,
  actor: Actor,
  reference: string,
  extension: { days: number; reason: Exemption },
  now: Date,
): Promise<WorkOutcome> {
  const item = await lockForWork(trx, user, reference);
  if (item.kind !== 'foi' || item.state !== 'open') return { ok: false, errors: [STATE_CHANGED] };
  if (!mayExtend(item, now))
    return { ok: false, errors: [{ field: 'days', message: 'correspondence.extend.tooLate' }] };
  const changed = await update(trx, item, {
    extension_days: extension.days,
    extension_reason: extension.reason,
    due_at: foiDue(item.clock_started_at, extension.days),
  });
  await audit(trx, actor, changed, 'extended', { ...extension, due: changed.due_at });
  const t = translator(await (messages ??= loadMessages()), item.language);
  await queueRequesterMail(
    trx,
    'extended',
    changed,
    {
      due: dueText(changed, item.language),
      exemption: t(`correspondence.exemption.${extension.reason}`),
    },
    `correspondence.extended:${item.reference}`,
  );
  return { ok: true, item: changed };
}

/**
 * Takes a complaint answered at stage 1 to stage 2, at the complainant's request (through
 * staff, or themselves from their account): a new clock of the body's stage 2 working days.
 */
export async function escalateComplaint(
  trx: Db,
  user: CurrentUser,
  actor: Actor,
  reference: string,
  reason: string,
  now: Date,
): Promise<WorkOutcome> {
  const item = await lockByReference(trx, reference);
  if (!item || !(mayWorkCorrespondence(user, item.organisation_id) || mayViewOwn(user, item)))
    throw notFound({ reference });
  if (!isEscalatable(item)) return { ok: false, errors: [STATE_CHANGED] };
  const { complaint_stage2_days } = await settingsOf(trx, item.organisation_id);
  const changed = await update(trx, item, {
    state: 'open',
    stage: 2,
    clock_started_at: now,
    due_at: stageDue(now, complaint_stage2_days),
  });
  await audit(trx, actor, changed, 'escalated', {
    reason,
    stage1Outcome: item.outcome,
    stage1Response: item.response,
  });
  await queueRequesterMail(
    trx,
    'escalated',
    changed,
    { due: dueText(changed, item.language) },
    `correspondence.escalated:${item.reference}`,
  );
  return { ok: true, item: changed };
}

/**
 * Publishes an answered FOI request's response in the body's disclosure log, as the officer
 * redacted it. Refused, with nothing changed, when the title or text holds the requester's name
 * or e-mail address.
 */
export async function publishDisclosure(
  trx: Db,
  user: CurrentUser,
  actor: Actor,
  reference: string,
  entry: { title: string; text: string },
  now: Date,
): Promise<WorkOutcome> {
  const item = await lockForWork(trx, user, reference);
  if (item.kind !== 'foi' || item.state !== 'closed' || !item.outcome || item.published_at)
    return { ok: false, errors: [STATE_CHANGED] };
  const requester = { name: item.requester_name, email: item.requester_email };
  const errors: FieldError[] = [];
  if (personalDataIn(entry.title, requester).length > 0)
    errors.push({ field: 'title', message: 'correspondence.publish.personalData' });
  if (personalDataIn(entry.text, requester).length > 0)
    errors.push({ field: 'text', message: 'correspondence.publish.personalData' });
  if (errors.length > 0) return { ok: false, errors };
  const changed = await update(trx, item, {
    published_at: now,
    disclosure_title: entry.title,
    disclosure_text: entry.text,
  });
  await audit(trx, actor, changed, 'published');
  return { ok: true, item: changed };
}

/** Gives the work to a colleague of the body who works correspondence (or to no one). */
export async function assignOwner(
  trx: Db,
  user: CurrentUser,
  actor: Actor,
  reference: string,
  ownerId: string,
): Promise<WorkOutcome> {
  const item = await lockForWork(trx, user, reference);
  const owner = await ownerOf(trx, item.organisation_id, ownerId);
  if (owner === undefined)
    return { ok: false, errors: [{ field: 'ownerId', message: 'correspondence.owner.unknown' }] };
  const changed = await update(trx, item, { owner_id: owner });
  await audit(trx, actor, changed, 'assigned', { ownerId: owner });
  return { ok: true, item: changed };
}

/**
 * The owner chosen on a form: null for "no one", the id of a colleague who works the body's
 * correspondence, or undefined when it is neither.
 */
export async function ownerOf(
  db: Db,
  organisationId: string,
  ownerId: string,
): Promise<string | null | undefined> {
  if (ownerId === '') return null;
  const colleagues = await staffWithRoles(db, organisationId, ['caseworker', 'team-leader']);
  return colleagues.some((c) => c.id === ownerId) ? ownerId : undefined;
}
