import { sql } from 'kysely';
import type { Actor } from '../../../platform/audit/audit.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import { notFound, type FieldError, type Outcome } from '../../../platform/errors/errors.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import { LETTER_TOPIC, type LetterPayload } from '../../../platform/letters/letters.js';
import { enqueue } from '../../../platform/outbox/outbox.js';
import { businessesOf, membershipOf, type MemberRole } from '../../agents/index.js';
import { checkCode, issueCode, spendCodes } from '../../identity/index.js';
import { findOrganisationById } from '../../organisations/index.js';
import type { EnrolableService } from '../db/tables.js';
import { renderActivationLetter } from '../letter.js';
import {
  canEnrolBusiness,
  canManageEnrolment,
  canSeeBusinessEnrolments,
} from '../policies/enrolments.js';
import { isUuid } from '../../../platform/validation/uuid.js';
import {
  enrolableBy,
  normalisePostcode,
  normaliseReference,
  referenceHasFormat,
} from '../services.js';

/** The one-time code purpose for activation codes; the destination is the enrolment's id. */
export const ACTIVATION_PURPOSE = 'enrolment-activation';
/** How long the code in the letter lasts. */
export const ACTIVATION_DAYS = 30;
/** Facts that did not match, per account per rolling day, before enrolment is refused until later. */
export const MAX_FAILED_MATCHES_PER_DAY = 5;

/** What the letter needs that is not in the database. */
export interface LetterSettings {
  brandName: string;
  baseUrl: string;
}

function actorOf(user: CurrentUser, requestId?: string, role: MemberRole | null = null): Actor {
  return { userId: user.id, organisationId: user.organisationId, role, requestId };
}

/** What the audit log says about whose enrolment it is: nothing extra for a person's own. */
function businessDetails(businessAccountId: string | null): Record<string, string> {
  return businessAccountId ? { business_account_id: businessAccountId } : {};
}

/**
 * The business a person asks to enrol for, when they may: a non-member (or a business that
 * does not exist) is "not found", and so is an assistant, who may look but not enrol.
 */
async function businessToEnrol(trx: Db, user: CurrentUser, businessAccountId: string) {
  const business = (await businessesOf(trx, user.id)).find((b) => b.id === businessAccountId);
  if (!business || !canSeeBusinessEnrolments(business.role))
    throw notFound({ business: businessAccountId });
  if (!canEnrolBusiness(user, business.role))
    throw notFound({ business: businessAccountId, reason: 'not an administrator' });
  return business;
}

function problem(field: string, message: string): { ok: false; errors: FieldError[] } {
  return { ok: false, errors: [{ field, message }] };
}

/**
 * A person asks to enrol into a body's register with a reference and postcode, for themself or
 * (with `businessAccountId`, administrators only) for a business account they belong to. The
 * facts are checked against the register; on a match a pending enrolment is made (or a pending
 * one renewed) and an activation code is posted to the name and address the register holds,
 * never one the person typed — for a business, its registered business address. Failed matches
 * are counted against the person asking, and after {@link MAX_FAILED_MATCHES_PER_DAY} in a
 * day they may not try again until the oldest is a day old. Run it in a transaction: the
 * attempt, the enrolment, the code, the letter and the audit entry are committed together.
 * Throws "not found" for a business the person may not enrol, or a service its holder may not have.
 */
export async function requestEnrolment(
  trx: Db,
  user: CurrentUser,
  input: {
    organisationId: string;
    service: EnrolableService;
    reference: string;
    postcode: string;
    businessAccountId?: string | null;
    requestId?: string;
  },
  settings: LetterSettings,
): Promise<
  | Outcome<{ enrolmentId: string; expiresAt: Date }>
  | { ok: false; errors: FieldError[]; tooManyAttempts: true }
> {
  const business = input.businessAccountId
    ? await businessToEnrol(trx, user, input.businessAccountId)
    : null;
  if (!enrolableBy(input.service, business ? 'business' : 'person'))
    throw notFound({ service: input.service, business: business?.id });
  const businessAccountId = business?.id ?? null;
  const actor = actorOf(user, input.requestId, business?.role ?? null);
  const reference = normaliseReference(input.reference);
  const postcode = normalisePostcode(input.postcode);
  const errors: FieldError[] = [];
  if (!reference)
    errors.push({
      field: 'reference',
      message: `enrolment.errors.${input.service}.referenceMissing`,
    });
  else if (!referenceHasFormat(input.service, reference))
    errors.push({
      field: 'reference',
      message: `enrolment.errors.${input.service}.referenceFormat`,
    });
  if (!input.postcode)
    errors.push({ field: 'postcode', message: 'enrolment.errors.postcodeMissing' });
  else if (!postcode)
    errors.push({ field: 'postcode', message: 'enrolment.errors.postcodeFormat' });
  if (errors.length || !postcode) return { ok: false, errors };

  // One request at a time per account, so the count below cannot be raced past.
  // A transaction-scoped advisory lock on the account id, released at commit or rollback.
  await sql`select pg_advisory_xact_lock(hashtext(${user.id}))`.execute(trx);
  const failures = await trx
    .selectFrom('enrolment_attempts')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', user.id)
    .where('matched', '=', false)
    .where('attempted_at', '>', sql<Date>`now() - interval '1 day'`)
    .executeTakeFirstOrThrow();
  if (Number(failures.n) >= MAX_FAILED_MATCHES_PER_DAY) {
    await recordAudit(trx, actor, {
      action: 'enrolment.refused',
      resourceType: 'user',
      resourceId: user.id,
      subjectUserId: user.id,
      details: {
        service: input.service,
        organisationId: input.organisationId,
        reason: 'too-many-attempts',
        ...businessDetails(businessAccountId),
      },
    });
    return {
      ok: false,
      tooManyAttempts: true,
      errors: [{ field: 'reference', message: 'enrolment.errors.tooManyAttempts' }],
    };
  }

  const record = await trx
    .selectFrom('enrolment_records')
    .selectAll()
    .where('held_by', '=', input.organisationId)
    .where('service', '=', input.service)
    .where('reference', '=', reference)
    .executeTakeFirst();
  const matched = record !== undefined && record.postcode === postcode;
  await trx
    .insertInto('enrolment_attempts')
    .values({
      user_id: user.id,
      record_service: input.service,
      held_by: input.organisationId,
      matched,
    })
    .execute();
  if (!matched) {
    await recordAudit(trx, actor, {
      action: 'enrolment.refused',
      resourceType: 'user',
      resourceId: user.id,
      subjectUserId: user.id,
      details: {
        service: input.service,
        organisationId: input.organisationId,
        reason: 'no-match',
        ...businessDetails(businessAccountId),
      },
    });
    return problem('reference', 'enrolment.errors.noMatch');
  }

  const existing = await trx
    .selectFrom('enrolments')
    .selectAll()
    .where('record_id', '=', record.id)
    .where((eb) =>
      businessAccountId
        ? eb('business_account_id', '=', businessAccountId)
        : eb.and([eb('user_id', '=', user.id), eb('business_account_id', 'is', null)]),
    )
    .executeTakeFirst();
  if (existing?.status === 'active')
    return problem(
      'reference',
      business ? 'enrolment.errors.businessAlreadyEnrolled' : 'enrolment.errors.alreadyEnrolled',
    );
  const enrolmentId =
    existing?.id ??
    (
      await trx
        .insertInto('enrolments')
        .values({
          user_id: user.id,
          business_account_id: businessAccountId,
          record_id: record.id,
          status: 'pending',
          code_expires_at: new Date(Date.now() + ACTIVATION_DAYS * 86_400_000),
          activated_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;

  // A new code replaces any earlier one, so only the latest letter works.
  const code = await issueCode(trx, {
    purpose: ACTIVATION_PURPOSE,
    destination: enrolmentId,
    userId: user.id,
    minutes: ACTIVATION_DAYS * 24 * 60,
    digits: 8,
  });
  // A renewal records who asked this time: the letter's code is theirs to pass on.
  await trx
    .updateTable('enrolments')
    .set({ code_expires_at: code.expiresAt, requested_at: new Date(), user_id: user.id })
    .where('id', '=', enrolmentId)
    .execute();

  const organisation = (await findOrganisationById(trx, record.held_by))!;
  const addressLines = [...record.address_lines, record.postcode];
  const pdf = renderActivationLetter({
    organisation: { name: organisation.name, nameCy: organisation.name_cy },
    holderName: record.holder_name,
    addressLines,
    service: record.service,
    reference: record.reference,
    code: code.code,
    expiresAt: code.expiresAt,
    sentAt: new Date(),
    brandName: settings.brandName,
    businessName: business?.name ?? null,
    activateUrl: `${settings.baseUrl}/enrol/activate${business ? `?business=${business.id}` : ''}`,
  });
  // Queued as queueLetter would, naming the council, whose Notify service records the letter.
  const letter: LetterPayload & { organisationId: string } = {
    to: { name: record.holder_name, lines: addressLines },
    pdfBase64: pdf.toString('base64'),
    organisationId: record.held_by,
  };
  await enqueue(trx, {
    topic: LETTER_TOPIC,
    payload: { ...letter },
    idempotencyKey: `letter:${ACTIVATION_PURPOSE}:${code.id}`,
  });
  await recordAudit(trx, actor, {
    action: 'enrolment.requested',
    resourceType: 'enrolment',
    resourceId: enrolmentId,
    subjectUserId: user.id,
    details: {
      service: record.service,
      organisationId: record.held_by,
      reference: record.reference,
      renewed: existing !== undefined,
      ...businessDetails(businessAccountId),
    },
  });
  return { ok: true, enrolmentId, expiresAt: code.expiresAt };
}

const CODE_REASONS = {
  wrong: 'enrolment.errors.codeWrong',
  none: 'enrolment.errors.codeWrong',
  expired: 'enrolment.errors.codeExpired',
  used: 'enrolment.errors.codeUsed',
  'too-many': 'enrolment.errors.codeTooMany',
} as const;

/** The enrolment with the person's role in its business (null for a person's own), if they may manage it. */
async function manageableEnrolment(trx: Db, user: CurrentUser, id: string) {
  if (!isUuid(id)) return undefined;
  const enrolment = await trx
    .selectFrom('enrolments')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!enrolment) return undefined;
  const role = enrolment.business_account_id
    ? await membershipOf(trx, enrolment.business_account_id, user.id)
    : null;
  return canManageEnrolment(user, enrolment, role) ? { enrolment, role } : undefined;
}

/**
 * A person enters the code from the letter. The right code, within 30 days and not used
 * before, makes the enrolment active; each wrong try counts against the code (five spend it).
 * A business's enrolment may be activated by any of its administrators, not only the one who
 * asked (the letter goes to the business's address, not to the person). Run it in a
 * transaction; a refusal is committed too, so the wrong try is counted.
 */
export async function activateEnrolment(
  trx: Db,
  user: CurrentUser,
  input: { enrolmentId: string; code: string; requestId?: string },
): Promise<Outcome<{ enrolmentId: string }>> {
  const found = await manageableEnrolment(trx, user, input.enrolmentId);
  const enrolment = found?.enrolment;
  const code = input.code.replace(/[\s-]+/g, '');
  const errors: FieldError[] = [];
  if (!enrolment) errors.push({ field: 'enrolment', message: 'enrolment.errors.chooseEnrolment' });
  if (!code) errors.push({ field: 'code', message: 'enrolment.errors.codeMissing' });
  else if (!/^\d{8}$/.test(code))
    errors.push({ field: 'code', message: 'enrolment.errors.codeFormat' });
  if (errors.length || !enrolment) return { ok: false, errors };

  const forBusiness = enrolment.business_account_id !== null;
  const actor = actorOf(user, input.requestId, found?.role ?? null);
  // The subject is whoever asked: the person themself, or the member who asked for the business.
  const subjectUserId = enrolment.user_id;
  const check = await checkCode(trx, ACTIVATION_PURPOSE, enrolment.id, code);
  if (!check.ok || (!forBusiness && check.userId !== user.id)) {
    const reason = check.ok ? 'wrong' : check.reason;
    await recordAudit(trx, actor, {
      action: 'enrolment.activation-refused',
      resourceType: 'enrolment',
      resourceId: enrolment.id,
      subjectUserId,
      details: { reason, ...businessDetails(enrolment.business_account_id) },
    });
    return problem('code', CODE_REASONS[reason]);
  }
  await trx
    .updateTable('enrolments')
    .set({ status: 'active', activated_at: new Date() })
    .where('id', '=', enrolment.id)
    .execute();
  await recordAudit(trx, actor, {
    action: 'enrolment.activated',
    resourceType: 'enrolment',
    resourceId: enrolment.id,
    subjectUserId,
    ...(forBusiness ? { details: businessDetails(enrolment.business_account_id) } : {}),
  });
  return { ok: true, enrolmentId: enrolment.id };
}

/**
 * A person removes one of their enrolments, active or pending (or an administrator one of
 * their business's); any code still in the post stops working with it.
 */
export async function removeEnrolment(
  trx: Db,
  user: CurrentUser,
  input: { enrolmentId: string; requestId?: string },
): Promise<Outcome<{ enrolmentId: string; businessAccountId: string | null }>> {
  const found = await manageableEnrolment(trx, user, input.enrolmentId);
  if (!found) return problem('enrolment', 'enrolment.errors.chooseEnrolment');
  const { enrolment, role } = found;
  await trx.deleteFrom('enrolments').where('id', '=', enrolment.id).execute();
  await spendCodes(trx, ACTIVATION_PURPOSE, enrolment.id);
  await recordAudit(trx, actorOf(user, input.requestId, role), {
    action: 'enrolment.removed',
    resourceType: 'enrolment',
    resourceId: enrolment.id,
    subjectUserId: enrolment.user_id,
    details: {
      status: enrolment.status,
      recordId: enrolment.record_id,
      ...businessDetails(enrolment.business_account_id),
    },
  });
  return {
    ok: true,
    enrolmentId: enrolment.id,
    businessAccountId: enrolment.business_account_id,
  };
}
