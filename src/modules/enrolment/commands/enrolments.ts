import { sql } from 'kysely';
import type { Actor } from '../../../platform/audit/audit.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError, Outcome } from '../../../platform/errors/errors.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import { queueLetter } from '../../../platform/letters/letters.js';
import { checkCode, issueCode } from '../../identity/index.js';
import { findOrganisationById } from '../../organisations/index.js';
import type { EnrolableService } from '../db/tables.js';
import { renderActivationLetter } from '../letter.js';
import { canManageEnrolment } from '../policies/enrolments.js';
import { isUuid } from '../queries/enrolments.js';
import { normalisePostcode, normaliseReference, referenceHasFormat } from '../services.js';

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

function actorOf(user: CurrentUser, requestId?: string): Actor {
  return { userId: user.id, organisationId: user.organisationId, role: null, requestId };
}

function problem(field: string, message: string): { ok: false; errors: FieldError[] } {
  return { ok: false, errors: [{ field, message }] };
}

/**
 * A person asks to enrol into a body's register with a reference and postcode. The facts are
 * checked against the register; on a match a pending enrolment is made (or a pending one
 * renewed) and an activation code is posted to the address the register holds, never one the
 * person typed. Failed matches are counted, and after {@link MAX_FAILED_MATCHES_PER_DAY} in a
 * day the account may not try again until the oldest is a day old. Run it in a transaction:
 * the attempt, the enrolment, the code, the letter and the audit entry are committed together.
 */
export async function requestEnrolment(
  trx: Db,
  user: CurrentUser,
  input: {
    organisationId: string;
    service: EnrolableService;
    reference: string;
    postcode: string;
    requestId?: string;
  },
  settings: LetterSettings,
): Promise<
  | Outcome<{ enrolmentId: string; expiresAt: Date }>
  | { ok: false; errors: FieldError[]; tooManyAttempts: true }
> {
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
  await trx.selectFrom('users').select('id').where('id', '=', user.id).forUpdate().execute();
  const failures = await trx
    .selectFrom('enrolment_attempts')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', user.id)
    .where('matched', '=', false)
    .where('attempted_at', '>', sql<Date>`now() - interval '1 day'`)
    .executeTakeFirstOrThrow();
  if (Number(failures.n) >= MAX_FAILED_MATCHES_PER_DAY) {
    await recordAudit(trx, actorOf(user, input.requestId), {
      action: 'enrolment.refused',
      resourceType: 'user',
      resourceId: user.id,
      subjectUserId: user.id,
      details: {
        service: input.service,
        organisationId: input.organisationId,
        reason: 'too-many-attempts',
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
    await recordAudit(trx, actorOf(user, input.requestId), {
      action: 'enrolment.refused',
      resourceType: 'user',
      resourceId: user.id,
      subjectUserId: user.id,
      details: { service: input.service, organisationId: input.organisationId, reason: 'no-match' },
    });
    return problem('reference', 'enrolment.errors.noMatch');
  }

  const existing = await trx
    .selectFrom('enrolments')
    .selectAll()
    .where('user_id', '=', user.id)
    .where('record_id', '=', record.id)
    .executeTakeFirst();
  if (existing?.status === 'active')
    return problem('reference', 'enrolment.errors.alreadyEnrolled');
  const enrolmentId =
    existing?.id ??
    (
      await trx
        .insertInto('enrolments')
        .values({
          user_id: user.id,
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
  await trx
    .updateTable('enrolments')
    .set({ code_expires_at: code.expiresAt, requested_at: new Date() })
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
    activateUrl: `${settings.baseUrl}/enrol/activate`,
  });
  await queueLetter(
    trx,
    { to: { name: record.holder_name, lines: addressLines }, pdf },
    `letter:${ACTIVATION_PURPOSE}:${code.id}`,
  );
  await recordAudit(trx, actorOf(user, input.requestId), {
    action: 'enrolment.requested',
    resourceType: 'enrolment',
    resourceId: enrolmentId,
    subjectUserId: user.id,
    details: {
      service: record.service,
      organisationId: record.held_by,
      reference: record.reference,
      renewed: existing !== undefined,
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

async function ownEnrolment(trx: Db, user: CurrentUser, id: string) {
  if (!isUuid(id)) return undefined;
  const enrolment = await trx
    .selectFrom('enrolments')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return enrolment && canManageEnrolment(user, enrolment) ? enrolment : undefined;
}

/**
 * A person enters the code from the letter. The right code, within 30 days and not used
 * before, makes the enrolment active; each wrong try counts against the code (five spend it).
 * Run it in a transaction; a refusal is committed too, so the wrong try is counted.
 */
export async function activateEnrolment(
  trx: Db,
  user: CurrentUser,
  input: { enrolmentId: string; code: string; requestId?: string },
): Promise<Outcome<{ enrolmentId: string }>> {
  const enrolment = await ownEnrolment(trx, user, input.enrolmentId);
  const code = input.code.replace(/[\s-]+/g, '');
  const errors: FieldError[] = [];
  if (!enrolment) errors.push({ field: 'enrolment', message: 'enrolment.errors.chooseEnrolment' });
  if (!code) errors.push({ field: 'code', message: 'enrolment.errors.codeMissing' });
  else if (!/^\d{8}$/.test(code))
    errors.push({ field: 'code', message: 'enrolment.errors.codeFormat' });
  if (errors.length || !enrolment) return { ok: false, errors };

  const check = await checkCode(trx, ACTIVATION_PURPOSE, enrolment.id, code);
  if (!check.ok || check.userId !== user.id) {
    const reason = check.ok ? 'wrong' : check.reason;
    await recordAudit(trx, actorOf(user, input.requestId), {
      action: 'enrolment.activation-refused',
      resourceType: 'enrolment',
      resourceId: enrolment.id,
      subjectUserId: user.id,
      details: { reason },
    });
    return problem('code', CODE_REASONS[reason]);
  }
  await trx
    .updateTable('enrolments')
    .set({ status: 'active', activated_at: new Date() })
    .where('id', '=', enrolment.id)
    .execute();
  await recordAudit(trx, actorOf(user, input.requestId), {
    action: 'enrolment.activated',
    resourceType: 'enrolment',
    resourceId: enrolment.id,
    subjectUserId: user.id,
  });
  return { ok: true, enrolmentId: enrolment.id };
}

/**
 * A person removes one of their enrolments, active or pending; any code still in the post
 * stops working with it.
 */
export async function removeEnrolment(
  trx: Db,
  user: CurrentUser,
  input: { enrolmentId: string; requestId?: string },
): Promise<Outcome<{ enrolmentId: string }>> {
  const enrolment = await ownEnrolment(trx, user, input.enrolmentId);
  if (!enrolment) return problem('enrolment', 'enrolment.errors.chooseEnrolment');
  await trx.deleteFrom('enrolments').where('id', '=', enrolment.id).execute();
  await trx
    .updateTable('one_time_codes')
    .set({ used_at: sql`now()` })
    .where('purpose', '=', ACTIVATION_PURPOSE)
    .where('destination', '=', enrolment.id)
    .where('used_at', 'is', null)
    .execute();
  await recordAudit(trx, actorOf(user, input.requestId), {
    action: 'enrolment.removed',
    resourceType: 'enrolment',
    resourceId: enrolment.id,
    subjectUserId: user.id,
    details: { status: enrolment.status, recordId: enrolment.record_id },
  });
  return { ok: true, enrolmentId: enrolment.id };
}
