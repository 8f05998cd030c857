import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { recordAudit } from '../../../platform/audit/audit.js';
import { DEVELOPMENT_OCID_PREFIX } from '../../../platform/config/config.js';
import type { Updateable } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError, Outcome } from '../../../platform/errors/errors.js';
import { formatDateTime } from '../../../platform/i18n/i18n.js';
import { notFound } from '../../../platform/errors/errors.js';
import { findBusiness } from '../../agents/index.js';
import { findOrganisationById, listOrganisationsByIds } from '../../organisations/index.js';
import { checkDefinition } from '../../forms/index.js';
import type { NoticeRow, ProcurementNoticeTable } from '../db/tables.js';
import { questionTexts, tenderFormProblems } from '../notices/questions.js';
import { readNoticeForm, type NoticeDetails, type NoticeForm } from '../notices/form.js';
import { mayEditNotice, mayManageProcurement } from '../policies/procurement.js';
import { WHOLE_UK } from '../reference/regions.js';
import { auditActor, type ProcurementActor } from './actor.js';
import { mailAccount } from './mail.js';
import { isUuid } from '../../../platform/validation/uuid.js';

/**
 * The Open Contracting id of a new notice: the site's registered prefix (OCDS_OCID_PREFIX,
 * src/platform/config; the development default until a site sets its own) and the notice's id.
 * A notice keeps the ocid it was published with, whatever the prefix later becomes.
 */
export function ocidFor(actor: Pick<ProcurementActor, 'ocidPrefix'>, noticeId: string): string {
  return `${actor.ocidPrefix ?? DEVELOPMENT_OCID_PREFIX}-${noticeId}`;
}

function columnsOf(details: NoticeDetails) {
  return {
    title: details.title,
    description: details.description,
    value_min_pence: details.valueMinPence,
    value_max_pence: details.valueMaxPence,
    cpv_codes: details.cpvCodes,
    region: details.region,
    sme_suitable: details.smeSuitable,
    clarification_deadline: details.clarificationDeadline,
    tender_deadline: details.tenderDeadline,
    questions: JSON.stringify(details.questions),
    criteria: JSON.stringify(details.criteria),
  };
}

/** The partner bodies as given, or a field error when one is unknown or is the lead body itself. */
async function checkPartners(db: Db, organisationId: string, partners: string[]) {
  if (partners.length === 0) return true;
  if (partners.includes(organisationId)) return false;
  const found = await listOrganisationsByIds(
    db,
    partners.filter((p) => /^[0-9a-f-]{36}$/i.test(p)),
  );
  return found.length === partners.length;
}

async function setPartners(db: Db, noticeId: string, partners: string[]) {
  await db.deleteFrom('procurement_notice_buyers').where('notice_id', '=', noticeId).execute();
  if (partners.length)
    await db
      .insertInto('procurement_notice_buyers')
      .values(partners.map((organisation_id) => ({ notice_id: noticeId, organisation_id })))
      .execute();
}

/**
 * Publishes an opportunity for the staff member's body (with partner bodies buying together, if
 * any), audited, and queues an alert to every supplier who asked for alerts in its sectors and
 * region. Only the body's service owners may.
 *
 * @example await publishNotice(trx, { user }, noticeFormValues(request.body), new Date());
 */
export async function publishNotice(
  db: Db,
  actor: ProcurementActor,
  form: NoticeForm,
  now: Date,
): Promise<Outcome<{ notice: NoticeRow }>> {
  const organisationId = actor.user.organisationId;
  if (!organisationId || !mayManageProcurement(actor.user, organisationId)) throw notFound();
  const read = readNoticeForm(form, now);
  if (!read.ok) return read;
  if (!(await checkPartners(db, organisationId, read.details.partners)))
    return {
      ok: false,
      errors: [{ field: 'partners', message: 'procurement.notice.partners.invalid' }],
    };
  const id = randomUUID();
  const notice = await db
    .insertInto('procurement_notices')
    .values({
      id,
      ocid: ocidFor(actor, id),
      organisation_id: organisationId,
      ...columnsOf(read.details),
      published_by: actor.user.id,
      published_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await setPartners(db, notice.id, read.details.partners);
  await recordAudit(db, auditActor(actor, 'service-owner'), {
    action: 'procurement.notice_published',
    resourceType: 'procurement_notice',
    resourceId: notice.id,
    subjectUserId: null,
    details: { ocid: notice.ocid, partners: read.details.partners },
  });
  await alertSuppliers(db, notice, actor.baseUrl ?? '');
  return { ok: true, notice };
}

/**
 * Every sector code that covers one of these CPV codes: its division, its group and itself, as
 * suppliers store them.
 */
function coveringSectors(codes: readonly string[]): string[] {
  return [...new Set(codes.flatMap((c) => [`${c.slice(0, 2)}000000`, `${c.slice(0, 3)}00000`, c]))];
}

/** Queues one alert e-mail to each supplier whose sectors and regions the notice matches. */
async function alertSuppliers(db: Db, notice: NoticeRow, baseUrl: string): Promise<void> {
  let query = db
    .selectFrom('procurement_suppliers')
    .select(['id', 'business_id', 'registered_by'])
    .where('alerts', '=', true)
    .where(sql<boolean>`sectors && ${sql.val(coveringSectors(notice.cpv_codes))}::text[]`);
  if (notice.region !== WHOLE_UK)
    query = query.where(sql<boolean>`regions && ${sql.val([notice.region, WHOLE_UK])}::text[]`);
  const buyer = await findOrganisationById(db, notice.organisation_id);
  for (const supplier of await query.execute()) {
    const business = await findBusiness(db, supplier.business_id);
    await mailAccount(db, supplier.registered_by, `alert:${notice.id}:${supplier.id}`, {
      subject: `New opportunity: ${notice.title}`,
      english:
        `${buyer?.name ?? 'A public body'} has published an opportunity that matches what ${business?.name ?? 'your business'} told us it supplies:\n\n` +
        `${notice.title}\n\nTenders are due by ${formatDateTime(notice.tender_deadline, 'en')}. See the notice at ${baseUrl}/procurement/${notice.id}\n\n` +
        'You can stop these alerts by changing your supplier details.',
      welsh:
        `Mae ${buyer?.name_cy ?? buyer?.name ?? 'corff cyhoeddus'} wedi cyhoeddi cyfle sy’n cyfateb i’r hyn a ddywedodd ${business?.name ?? 'eich busnes'} wrthym y mae’n ei gyflenwi:\n\n` +
        `${notice.title}\n\nMae tendrau i’w cyflwyno erbyn ${formatDateTime(notice.tender_deadline, 'cy')}. Gweler yr hysbysiad yn ${baseUrl}/procurement/${notice.id}`,
    });
  }
}

/** What a notice said before a change, kept as its earlier version. */
function snapshotOf(notice: NoticeRow): Record<string, unknown> {
  return {
    title: notice.title,
    description: notice.description,
    valueMinPence: notice.value_min_pence,
    valueMaxPence: notice.value_max_pence,
    cpvCodes: notice.cpv_codes,
    region: notice.region,
    smeSuitable: notice.sme_suitable,
    clarificationDeadline: notice.clarification_deadline.toISOString(),
    tenderDeadline: notice.tender_deadline.toISOString(),
    questions: notice.questions,
    questionForm: notice.question_form ?? null,
    criteria: notice.criteria,
  };
}

/** The reason given for a change, or the field error: required, at most 1,000 characters. */
export function checkChangeSummary(text: string): { summary: string } | { error: FieldError } {
  const summary = text.trim();
  if (!summary)
    return {
      error: { field: 'changeSummary', message: 'procurement.notice.changeSummary.missing' },
    };
  if (summary.length > 1000)
    return {
      error: { field: 'changeSummary', message: 'procurement.notice.changeSummary.tooLong' },
    };
  return { summary };
}

/**
 * Makes a change to a notice its next version: the notice as it stood is kept as a numbered
 * earlier version with the reason given (`snapshotExtra` adds what the row does not hold, such
 * as a removed document), the change is applied and the version goes up, every supplier who has
 * already sent a tender is e-mailed what changed (their tender stays, marked as made against the
 * earlier version), and the change is audited. Every change to a published notice goes through
 * here: its details, its tender questions, its documents. The caller has locked the notice row
 * and checked who may change it.
 */
export async function saveNoticeVersion(
  db: Db,
  actor: ProcurementActor,
  current: NoticeRow,
  change: {
    summary: string;
    set: Updateable<ProcurementNoticeTable>;
    snapshotExtra?: Record<string, unknown>;
    what: 'details' | 'questions' | 'documents';
  },
  now: Date,
): Promise<{ notice: NoticeRow; suppliersTold: number }> {
  const { summary } = change;
  await db
    .insertInto('procurement_notice_versions')
    .values({
      notice_id: current.id,
      version: current.version,
      snapshot: JSON.stringify({ ...snapshotOf(current), ...change.snapshotExtra }),
      replaced_by: actor.user.id,
      replaced_at: now,
      change_summary: summary,
    })
    .execute();
  const notice = await db
    .updateTable('procurement_notices')
    .set({ ...change.set, version: current.version + 1, updated_at: now })
    .where('id', '=', current.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const responders = await db
    .selectFrom('procurement_responses')
    .select(['id', 'submitted_by'])
    .where('notice_id', '=', notice.id)
    .execute();
  let suppliersTold = 0;
  for (const response of responders) {
    const told = await mailAccount(
      db,
      response.submitted_by,
      `changed:${notice.id}:v${notice.version}`,
      {
        subject: `An opportunity you tendered for has changed: ${notice.title}`,
        english:
          `The buyer has changed the notice "${notice.title}" after you sent your tender (it is now version ${notice.version}).\n\n` +
          `What changed: ${summary}\n\nYour tender was made against version ${current.version}. Check the notice at ${actor.baseUrl ?? ''}/procurement/${notice.id} and send your tender again before the deadline if it needs to change.`,
        welsh:
          `Mae’r prynwr wedi newid yr hysbysiad "${notice.title}" ar ôl i chi anfon eich tendr (fersiwn ${notice.version} yw hi bellach).\n\n` +
          `Beth newidiodd: ${summary}\n\nGwnaed eich tendr yn erbyn fersiwn ${current.version}. Gwiriwch yr hysbysiad yn ${actor.baseUrl ?? ''}/procurement/${notice.id} ac anfonwch eich tendr eto cyn y dyddiad cau os oes angen ei newid.`,
      },
    );
    if (told) suppliersTold++;
  }
  await recordAudit(db, auditActor(actor, 'service-owner'), {
    action: 'procurement.notice_changed',
    resourceType: 'procurement_notice',
    resourceId: notice.id,
    subjectUserId: null,
    details: { version: notice.version, summary, suppliers_told: suppliersTold, what: change.what },
  });
  return { notice, suppliersTold };
}

/**
 * Changes a notice while tenders are still taken: the notice as it stood is kept as a numbered
 * earlier version with the reason given, the notice's version goes up, and every supplier who
 * has already sent a tender is told by e-mail (their tender stays, marked as made against the
 * earlier version, until they send it again). Only the body's service owners may.
 */
export async function editNotice(
  db: Db,
  actor: ProcurementActor,
  noticeId: string,
  input: { form: NoticeForm; changeSummary: string },
  now: Date,
): Promise<Outcome<{ notice: NoticeRow; suppliersTold: number }>> {
  const current = await db
    .selectFrom('procurement_notices')
    .selectAll()
    .where('id', '=', noticeId)
    .forUpdate()
    .executeTakeFirst();
  if (!current || !mayManageProcurement(actor.user, current.organisation_id))
    throw notFound({ notice: noticeId });
  if (!mayEditNotice(current, now))
    return { ok: false, errors: [{ field: 'title', message: 'procurement.notice.closed' }] };
  // A notice whose questions are a form definition keeps them: they change on their own page.
  const ownForm = current.question_form !== null && current.question_form !== undefined;
  const read = readNoticeForm(input.form, now, { questionsElsewhere: ownForm });
  const checkedSummary = checkChangeSummary(input.changeSummary);
  const errors = read.ok ? [] : [...read.errors];
  if ('error' in checkedSummary) errors.push(checkedSummary.error);
  if (!read.ok || errors.length || !('summary' in checkedSummary)) return { ok: false, errors };
  if (!(await checkPartners(db, current.organisation_id, read.details.partners)))
    return {
      ok: false,
      errors: [{ field: 'partners', message: 'procurement.notice.partners.invalid' }],
    };
  const columns = columnsOf(read.details);
  const saved = await saveNoticeVersion(
    db,
    actor,
    current,
    {
      summary: checkedSummary.summary,
      set: ownForm ? { ...columns, questions: JSON.stringify(current.questions) } : columns,
      what: 'details',
    },
    now,
  );
  await setPartners(db, saved.notice.id, read.details.partners);
  return { ok: true, ...saved };
}

/**
 * Changes a notice's tender questions, given as a forms-engine definition (the JSON a service
 * owner typed, parsed): checked by the forms schema and the tender page's own limits (no file,
 * "add another" or evidence questions, no fee), then saved as the notice's next version with the
 * reason given, so suppliers who have sent a tender are told. Only the body's service owners
 * may, while tenders are taken. Problems come back as `questionForm` errors (messages in words).
 */
export async function changeTenderQuestions(
  db: Db,
  actor: ProcurementActor,
  noticeId: string,
  input: { definition: unknown; changeSummary: string },
  now: Date,
): Promise<Outcome<{ notice: NoticeRow; suppliersTold: number }>> {
  if (!isUuid(noticeId)) throw notFound();
  const current = await db
    .selectFrom('procurement_notices')
    .selectAll()
    .where('id', '=', noticeId)
    .forUpdate()
    .executeTakeFirst();
  if (!current || !mayManageProcurement(actor.user, current.organisation_id))
    throw notFound({ notice: noticeId });
  if (!mayEditNotice(current, now))
    return { ok: false, errors: [{ field: 'questionForm', message: 'procurement.notice.closed' }] };
  const errors: FieldError[] = [];
  const checked = checkDefinition(input.definition);
  if (!checked.ok)
    for (const problem of checked.problems)
      errors.push({
        field: 'questionForm',
        message: `${problem.path || '(form)'}: ${problem.message}`,
      });
  else
    for (const problem of tenderFormProblems(checked.definition))
      errors.push({
        field: 'questionForm',
        message: `${problem.path.join('.')}: ${problem.message}`,
      });
  const checkedSummary = checkChangeSummary(input.changeSummary);
  if ('error' in checkedSummary) errors.push(checkedSummary.error);
  if (!checked.ok || errors.length || !('summary' in checkedSummary)) return { ok: false, errors };
  const saved = await saveNoticeVersion(
    db,
    actor,
    current,
    {
      summary: checkedSummary.summary,
      set: {
        question_form: JSON.stringify(checked.definition),
        questions: JSON.stringify(questionTexts(checked.definition, 'en')),
      },
      what: 'questions',
    },
    now,
  );
  return { ok: true, ...saved };
}
