/**
 * Referring a case to another body, or sharing it: offering, accepting (a referral opens the
 * other body's own case, linked to this one), declining with a reason, withdrawing. Each checks
 * its policy first, records a case event on the case(s) concerned and writes an audit entry,
 * all in the caller's transaction.
 */
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import { notFound, type FieldError } from '../../../platform/errors/errors.js';
import type { CaseReferralRow, CaseRow, ReferralConsent } from '../db/tables.js';
import { auditActor, type CaseActor } from '../commands/actor.js';
import { recordCaseEvent } from '../commands/events.js';
import { openCase } from '../commands/open.js';
import { findCaseById } from '../queries/cases.js';
import type { ReferralRequest } from './form.js';
import { canRefer, canRespond, canSeeOutgoing, canWithdraw, isReceiver } from './policies.js';
import { answerOffered, findReferral, setReferredCase } from './store.js';

/** What a referral command did, or why nothing changed (400: correct the form; 409: too late). */
export type ReferralOutcome =
  | { ok: true; referral: CaseReferralRow; openedCase?: CaseRow }
  | { ok: false; status: 400 | 409; errors: FieldError[] };

/** Bodies accepting referrals of one case at the same moment; more is a bug, not a race. */
const MAX_REFERENCE_TRIES = 20;

const ANSWERED: ReferralOutcome = {
  ok: false,
  status: 409,
  errors: [{ field: 'referral', message: 'casework.referrals.errors.answered' }],
};

function refused(detail: Record<string, unknown>) {
  return notFound({ ...detail, reason: 'not this body’s referral' });
}

/**
 * Offers a case to another body (`refer`) or shares it (`share`), with the parts it may see and
 * the applicant's consent, recorded with who recorded it and when. One offer at a time to a
 * body: a second while the first is unanswered is refused (the case row is locked meanwhile).
 *
 * @example const outcome = await offerReferral(trx, caseRow, read.request, { user, requestId });
 */
export async function offerReferral(
  trx: Db,
  caseRow: CaseRow,
  request: ReferralRequest,
  actor: CaseActor,
  now = new Date(),
): Promise<ReferralOutcome> {
  const { user } = actor;
  if (!canRefer(user, caseRow) || !user.organisationId)
    throw refused({ caseId: caseRow.id, userId: user.id });
  await trx.selectFrom('cases').select('id').where('id', '=', caseRow.id).forUpdate().execute();
  const pending = await trx
    .selectFrom('case_referrals')
    .select('id')
    .where('case_id', '=', caseRow.id)
    .where('to_organisation_id', '=', request.toOrganisationId)
    .where('status', '=', 'offered')
    .executeTakeFirst();
  if (pending)
    return {
      ok: false,
      status: 400,
      errors: [{ field: 'organisationId', message: 'casework.referrals.errors.duplicate' }],
    };
  const consent: ReferralConsent = {
    how: request.consent.how,
    recordedBy: user.id,
    recordedAt: now.toISOString(),
    ...(request.consent.note ? { note: request.consent.note } : {}),
  };
  const referral = await trx
    .insertInto('case_referrals')
    .values({
      case_id: caseRow.id,
      from_organisation_id: caseRow.organisation_id,
      to_organisation_id: request.toOrganisationId,
      kind: request.kind,
      shared_parts: request.parts,
      reason: request.reason,
      consent: JSON.stringify(consent),
      status: 'offered',
      created_by: user.id,
      created_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordCaseEvent(trx, caseRow.id, {
    kind: request.kind === 'refer' ? 'referred' : 'shared',
    actorUserId: user.id,
    actorOrganisationId: user.organisationId,
    comment: request.reason,
    details: {
      referralId: referral.id,
      referralKind: request.kind,
      toOrganisationId: request.toOrganisationId,
      parts: request.parts,
      consent: consent.how,
    },
  });
  await recordAudit(trx, auditActor(actor), {
    action: 'casework.referral.offered',
    resourceType: 'case_referral',
    resourceId: referral.id,
    subjectUserId: caseRow.applicant_user_id,
    details: {
      caseId: caseRow.id,
      reference: caseRow.reference,
      kind: request.kind,
      toOrganisationId: request.toOrganisationId,
      parts: request.parts,
      consent,
    },
  });
  return { ok: true, referral };
}

/** The referral, for the receiving body only: to anyone else it does not exist. */
async function referralToAnswer(trx: Db, referralId: string, actor: CaseActor) {
  const referral = await findReferral(trx, referralId);
  if (!referral || !isReceiver(actor.user, referral))
    throw refused({ referralId, userId: actor.user.id });
  return referral;
}

/**
 * The receiving body takes the referral. A `refer` opens its own case for `serviceId` (one of
 * its services, which the caller has checked), following that service's workflow or the
 * platform's default, linked to the original by `referred_from_case_id`, with an event on
 * both cases. A `share` only records the acceptance: the body keeps reading the parts.
 */
export async function acceptReferral(
  trx: Db,
  referralId: string,
  input: { serviceId: string | null },
  actor: CaseActor,
): Promise<ReferralOutcome> {
  const offered = await referralToAnswer(trx, referralId, actor);
  if (!canRespond(actor.user, offered)) return ANSWERED;
  if (offered.kind === 'refer' && !input.serviceId)
    return {
      ok: false,
      status: 400,
      errors: [{ field: 'serviceId', message: 'casework.referrals.errors.service' }],
    };
  const referral = await answerOffered(trx, offered.id, {
    status: 'accepted',
    respondedBy: actor.user.id,
  });
  if (!referral) return ANSWERED;
  const source = (await findCaseById(trx, referral.case_id))!;
  const openedCase =
    referral.kind === 'refer'
      ? await openReferredCase(trx, source, referral, input.serviceId!)
      : undefined;
  if (openedCase) await setReferredCase(trx, referral.id, openedCase.id);
  await recordCaseEvent(trx, source.id, {
    kind: 'referral-accepted',
    actorUserId: actor.user.id,
    actorOrganisationId: referral.to_organisation_id,
    details: {
      referralId: referral.id,
      referralKind: referral.kind,
      status: 'accepted',
      toOrganisationId: referral.to_organisation_id,
      ...(openedCase ? { referredCaseId: openedCase.id } : {}),
    },
  });
  if (openedCase)
    await recordCaseEvent(trx, openedCase.id, {
      kind: 'referral-received',
      actorUserId: actor.user.id,
      actorOrganisationId: referral.to_organisation_id,
      comment: referral.reason,
      details: {
        referralId: referral.id,
        referralKind: referral.kind,
        status: 'accepted',
        fromCaseId: source.id,
        fromReference: source.reference,
        fromOrganisationId: referral.from_organisation_id,
      },
    });
  await recordAudit(trx, auditActor(actor), {
    action: 'casework.referral.accepted',
    resourceType: 'case_referral',
    resourceId: referral.id,
    subjectUserId: source.applicant_user_id,
    details: {
      caseId: source.id,
      reference: source.reference,
      kind: referral.kind,
      ...(openedCase
        ? { referredCaseId: openedCase.id, referredReference: openedCase.reference }
        : {}),
    },
  });
  return {
    ok: true,
    referral: { ...referral, referred_case_id: openedCase?.id ?? null },
    ...(openedCase ? { openedCase } : {}),
  };
}

/**
 * The receiving body's own case: the original's reference with `-R1`, `-R2` … (the next free
 * one, should two bodies accept at once), the same applicant, opened as a referral.
 */
async function openReferredCase(
  trx: Db,
  source: CaseRow,
  referral: CaseReferralRow,
  serviceId: string,
): Promise<CaseRow> {
  const earlier = await trx
    .selectFrom('cases')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('referred_from_case_id', '=', source.id)
    .executeTakeFirstOrThrow();
  const first = Number(earlier.count) + 1;
  for (let n = first; n < first + MAX_REFERENCE_TRIES; n++) {
    const opened = await openCase(trx, {
      reference: `${source.reference}-R${n}`,
      organisationId: referral.to_organisation_id,
      serviceId,
      source: 'referral',
      referredFromCaseId: source.id,
      applicantUserId: source.applicant_user_id,
      applicantName: source.applicant_name,
      location: source.location,
    });
    if (opened) return opened;
  }
  throw new Error(`No free referral reference after ${source.reference}-R${first}`);
}

/** The receiving body turns the referral down, saying why; the referring body sees it on its case. */
export async function declineReferral(
  trx: Db,
  referralId: string,
  response: string,
  actor: CaseActor,
): Promise<ReferralOutcome> {
  const offered = await referralToAnswer(trx, referralId, actor);
  if (!canRespond(actor.user, offered)) return ANSWERED;
  const referral = await answerOffered(trx, offered.id, {
    status: 'declined',
    respondedBy: actor.user.id,
    response,
  });
  if (!referral) return ANSWERED;
  const source = (await findCaseById(trx, referral.case_id))!;
  await recordCaseEvent(trx, source.id, {
    kind: 'referral-declined',
    actorUserId: actor.user.id,
    actorOrganisationId: referral.to_organisation_id,
    comment: response,
    details: {
      referralId: referral.id,
      referralKind: referral.kind,
      status: 'declined',
      toOrganisationId: referral.to_organisation_id,
    },
  });
  await recordAudit(trx, auditActor(actor), {
    action: 'casework.referral.declined',
    resourceType: 'case_referral',
    resourceId: referral.id,
    subjectUserId: source.applicant_user_id,
    details: { caseId: source.id, reference: source.reference, response },
  });
  return { ok: true, referral };
}

/** The referring body takes back a referral not yet answered; the other body stops seeing the case. */
export async function withdrawReferral(
  trx: Db,
  referralId: string,
  actor: CaseActor,
): Promise<ReferralOutcome> {
  const offered = await findReferral(trx, referralId);
  if (!offered || !canSeeOutgoing(actor.user, offered))
    throw refused({ referralId, userId: actor.user.id });
  if (!canWithdraw(actor.user, offered)) return ANSWERED;
  const referral = await answerOffered(trx, offered.id, {
    status: 'withdrawn',
    respondedBy: actor.user.id,
  });
  if (!referral) return ANSWERED;
  const source = (await findCaseById(trx, referral.case_id))!;
  await recordCaseEvent(trx, source.id, {
    kind: 'referral-withdrawn',
    actorUserId: actor.user.id,
    actorOrganisationId: referral.from_organisation_id,
    details: {
      referralId: referral.id,
      referralKind: referral.kind,
      status: 'withdrawn',
      toOrganisationId: referral.to_organisation_id,
    },
  });
  await recordAudit(trx, auditActor(actor), {
    action: 'casework.referral.withdrawn',
    resourceType: 'case_referral',
    resourceId: referral.id,
    subjectUserId: source.applicant_user_id,
    details: { caseId: source.id, reference: source.reference },
  });
  return { ok: true, referral };
}
