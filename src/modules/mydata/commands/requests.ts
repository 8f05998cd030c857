/**
 * Subject access requests: a person asks one or more public bodies for what they hold about
 * them; each body gets its own request, due one calendar month from the day received; the
 * body's staff extend it (up to two further months, with a reason) or record their response,
 * and the person is told in their account inbox (and by e-mail). Every step is audited.
 */
import { randomInt } from 'node:crypto';
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError, Outcome } from '../../../platform/errors/errors.js';
import { MAIL_TOPIC } from '../../../platform/mail/mailer.js';
import { enqueue } from '../../../platform/outbox/outbox.js';
import { londonDate } from '../../../platform/time/london.js';
import { staffEmailsWithRole } from '../../identity/index.js';
import { sendCaseMessage } from '../../inbox/index.js';
import { listOrganisationsByIds } from '../../organisations/index.js';
import type { SubjectAccessRequestRow } from '../db/tables.js';
import { dueDate, MAX_EXTENSION_MONTHS } from '../due-date.js';
import { REQUEST_COLUMNS } from '../queries/requests.js';
import { isUuid } from '../../../platform/validation/uuid.js';

export const MAX_DETAILS = 2000;
/** How many bodies one request may go to at once. */
export const MAX_BODIES = 20;

const ALPHABET = '23456789ABCDEFGHJKMNPQRSTWXYZ';

/** `SAR-7K3M-Q2XD`: eight random characters, about 500 billion possibilities. */
export function newRequestReference(): string {
  let text = '';
  for (let i = 0; i < 8; i++) text += ALPHABET[randomInt(ALPHABET.length)];
  return `SAR-${text.slice(0, 4)}-${text.slice(4)}`;
}

export interface NewAccessRequest {
  userId: string;
  organisationIds: readonly string[];
  details: string;
}

/**
 * Whether the person already has a request waiting for an answer from one of these bodies: a
 * second one would only restart the clock on the same search, so they wait for the first.
 */
async function openRequestTo(db: Db, userId: string, organisationIds: string[]) {
  const open = await db
    .selectFrom('subject_access_requests')
    .select('id')
    .where('user_id', '=', userId)
    .where('organisation_id', 'in', organisationIds)
    .where('status', '<>', 'responded')
    .executeTakeFirst();
  return open !== undefined;
}

/**
 * What a request form says, checked: the bodies (real, listed, at most 20, none already asked and
 * not yet answered) and the details.
 */
export async function checkAccessRequest(
  db: Db,
  input: NewAccessRequest,
): Promise<Outcome<{ organisationIds: string[] }>> {
  const errors: FieldError[] = [];
  const ids = [...new Set(input.organisationIds)];
  const known = ids.every((id) => isUuid(id)) ? await listOrganisationsByIds(db, ids) : [];
  if (ids.length === 0) errors.push({ field: 'bodies', message: 'mydata.requests.error.noBody' });
  else if (ids.length > MAX_BODIES || known.length !== ids.length)
    errors.push({ field: 'bodies', message: 'mydata.requests.error.unknownBody' });
  else if (await openRequestTo(db, input.userId, ids))
    errors.push({ field: 'bodies', message: 'mydata.requests.error.alreadyOpen' });
  if (input.details.length > MAX_DETAILS)
    errors.push({ field: 'details', message: 'mydata.requests.error.detailsTooLong' });
  return errors.length ? { ok: false, errors } : { ok: true, organisationIds: ids };
}

/**
 * Sends the request to each body, in the caller's transaction: one row a body, received today
 * (London) and due in one calendar month, each audited as `mydata.request.sent`, and its team
 * leaders and admins e-mailed.
 */
export async function sendAccessRequest(
  trx: Db,
  input: NewAccessRequest,
  actor: Actor,
  baseUrl: string,
  now = new Date(),
): Promise<Outcome<{ requests: SubjectAccessRequestRow[] }>> {
  const checked = await checkAccessRequest(trx, input);
  if (!checked.ok) return checked;
  const receivedOn = londonDate(now);
  const group = crypto.randomUUID();
  const requests: SubjectAccessRequestRow[] = [];
  for (const organisationId of checked.organisationIds) {
    const row = await trx
      .insertInto('subject_access_requests')
      .values({
        request_group: group,
        reference: newRequestReference(),
        user_id: input.userId,
        organisation_id: organisationId,
        details: input.details,
        received_at: now,
        received_on: receivedOn,
        due_on: dueDate(receivedOn),
      })
      .returning(REQUEST_COLUMNS)
      .executeTakeFirstOrThrow();
    await tellBody(trx, row, baseUrl);
    await recordAudit(trx, actor, {
      action: 'mydata.request.sent',
      resourceType: 'subject_access_request',
      resourceId: row.id,
      subjectUserId: input.userId,
      details: { reference: row.reference, organisationId, dueOn: row.due_on },
    });
    requests.push(row);
  }
  return { ok: true, requests };
}

/**
 * Tells the body's team leaders and admins (who answer requests) that one arrived, by e-mail
 * through the outbox, without the person's name: the request's page has it.
 */
async function tellBody(trx: Db, request: SubjectAccessRequestRow, baseUrl: string) {
  const handlers = new Set([
    ...(await staffEmailsWithRole(trx, request.organisation_id, 'team-leader')),
    ...(await staffEmailsWithRole(trx, request.organisation_id, 'admin')),
  ]);
  for (const to of handlers)
    await enqueue(trx, {
      topic: MAIL_TOPIC,
      payload: {
        to,
        organisationId: request.organisation_id,
        subject: `Subject access request ${request.reference}: answer by ${request.due_on}`,
        text:
          `A person has asked your body for the information it holds about them (${request.reference}).\n\n` +
          `Answer by ${request.due_on}: one calendar month from today. ` +
          `See the request: ${baseUrl}/staff/access-requests/${request.id}`,
      },
      idempotencyKey: `mydata.request.received:${request.id}:${to}`,
    });
}

/** A member of staff's answer to a request: the response or an extension. */
export type StaffChange =
  { kind: 'respond'; note: string } | { kind: 'extend'; months: number; reason: string };

/**
 * Records a body's response to a request, or extends it, in the caller's transaction (the
 * caller has checked the member of staff handles the body's requests). A request answered
 * already cannot change; an extension may bring it to at most two further months in all. The
 * person is told in their account inbox, which also e-mails them.
 */
export async function changeAccessRequest(
  trx: Db,
  request: SubjectAccessRequestRow,
  change: StaffChange,
  actor: Actor,
  baseUrl: string,
  now = new Date(),
): Promise<Outcome<{ request: SubjectAccessRequestRow }>> {
  const locked = await trx
    .selectFrom('subject_access_requests')
    .select(REQUEST_COLUMNS)
    .where('id', '=', request.id)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (locked.status === 'responded')
    return { ok: false, errors: [{ field: change.kind, message: 'mydata.staff.error.answered' }] };
  if (change.kind === 'respond') {
    if (!change.note || change.note.length > MAX_DETAILS)
      return { ok: false, errors: [{ field: 'note', message: 'mydata.staff.error.note' }] };
    const updated = await trx
      .updateTable('subject_access_requests')
      .set({
        status: 'responded',
        response_note: change.note,
        responded_by: actor.userId,
        responded_at: now,
      })
      .where('id', '=', locked.id)
      .returning(REQUEST_COLUMNS)
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      action: 'mydata.request.responded',
      resourceType: 'subject_access_request',
      resourceId: locked.id,
      subjectUserId: locked.user_id,
      details: { reference: locked.reference, onTime: londonDate(now) <= locked.due_on },
    });
    await tellPerson(trx, updated, actor, baseUrl, 'responded');
    return { ok: true, request: updated };
  }
  const errors: FieldError[] = [];
  const total = (locked.extended_months ?? 0) + change.months;
  if (!Number.isInteger(change.months) || change.months < 1 || total > MAX_EXTENSION_MONTHS)
    errors.push({ field: 'months', message: 'mydata.staff.error.months' });
  if (!change.reason || change.reason.length > MAX_DETAILS)
    errors.push({ field: 'reason', message: 'mydata.staff.error.reason' });
  if (errors.length) return { ok: false, errors };
  const updated = await trx
    .updateTable('subject_access_requests')
    .set({
      status: 'extended',
      extended_months: total,
      extension_reason: change.reason,
      extended_by: actor.userId,
      extended_at: now,
      due_on: dueDate(locked.received_on, total),
    })
    .where('id', '=', locked.id)
    .returning(REQUEST_COLUMNS)
    .executeTakeFirstOrThrow();
  await recordAudit(trx, actor, {
    action: 'mydata.request.extended',
    resourceType: 'subject_access_request',
    resourceId: locked.id,
    subjectUserId: locked.user_id,
    details: { reference: locked.reference, months: total, dueOn: updated.due_on },
  });
  await tellPerson(trx, updated, actor, baseUrl, 'extended');
  return { ok: true, request: updated };
}

/** The message in the person's inbox (in English and Welsh: their language is not known here). */
async function tellPerson(
  trx: Db,
  request: SubjectAccessRequestRow,
  actor: Actor,
  baseUrl: string,
  what: 'responded' | 'extended',
) {
  const [body] = await listOrganisationsByIds(trx, [request.organisation_id]);
  const name = body?.name ?? '';
  const nameCy = body?.name_cy || name;
  const link = `${baseUrl}/account/my-data#requests`;
  const text =
    what === 'responded'
      ? `${name} has responded to your request ${request.reference} for the information it holds about you.\n\n` +
        `What they said: ${request.response_note}\n\nSee your requests: ${link}\n\n` +
        `Mae ${nameCy} wedi ymateb i’ch cais ${request.reference} am yr wybodaeth y mae’n ei chadw amdanoch.\n\n` +
        `Beth ddywedon nhw: ${request.response_note}\n\nGweld eich ceisiadau: ${link}`
      : `${name} needs more time to answer your request ${request.reference}. It is now due by ${request.due_on}.\n\n` +
        `Why: ${request.extension_reason}\n\nSee your requests: ${link}\n\n` +
        `Mae angen mwy o amser ar ${nameCy} i ateb eich cais ${request.reference}. Y dyddiad ateb newydd yw ${request.due_on}.\n\n` +
        `Pam: ${request.extension_reason}\n\nGweld eich ceisiadau: ${link}`;
  await sendCaseMessage(
    trx,
    {
      organisationId: request.organisation_id,
      recipientUserId: request.user_id,
      submission: null,
      subject:
        what === 'responded'
          ? `Your request for your information: ${name} has responded / Mae ${nameCy} wedi ymateb`
          : `Your request for your information: more time needed / Mae angen mwy o amser`,
      body: text,
      sentByUserId: actor.userId,
    },
    actor,
    baseUrl,
  );
}
