import type { Actor } from '../../../../platform/audit/audit.js';
import { recordAudit } from '../../../../platform/audit/audit.js';
import type { Db } from '../../../../platform/db/database.js';
import type { FieldError, Outcome } from '../../../../platform/errors/errors.js';
import { formText } from '../../../../platform/http/forms.js';
import { formatDate, type Locale } from '../../../../platform/i18n/i18n.js';
import { enqueue } from '../../../../platform/outbox/outbox.js';
import { parseDateParts } from '../../../../platform/validation/validators.js';
import { findUserById, staffEmailsWithRole } from '../../../identity/index.js';
import { findOrganisationById } from '../../../organisations/index.js';
import { REJECTION_REASONS, type PetitionRow, type RejectionReason } from '../../db/tables.js';
import { petitionSettings } from '../queries/petitions.js';
import { closesAt, closingDay, heldReasons, petitionStatus } from '../rules.js';
import { link, queuePetitionMail } from './mail.js';

/** The outbox topic of a petition just published (the engagement home tells its subscribers). */
export const PETITION_PUBLISHED_TOPIC = 'petitions.published';

/** The outbox topic that tells every signer who asked that the body has responded. */
export const RESPONSE_PUBLISHED_TOPIC = 'petitions.response-published';

export const LIMITS = { title: 100, action: 500, background: 2000, text: 10000 } as const;

export interface PetitionForm {
  organisationId: string;
  title: string;
  action: string;
  background: string;
}

/** The start-a-petition form as typed, for re-showing it. */
export function petitionFormValues(body: unknown): PetitionForm {
  return {
    organisationId: formText(body, 'organisationId'),
    title: formText(body, 'title'),
    action: formText(body, 'action'),
    background: formText(body, 'background'),
  };
}

function lengthErrors(values: PetitionForm): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of ['title', 'action', 'background'] as const) {
    if (values[field] === '') errors.push({ field, message: `petitions.start.${field}.missing` });
    else if (values[field].length > LIMITS[field])
      errors.push({ field, message: `petitions.start.${field}.tooLong` });
  }
  return errors;
}

/**
 * Starts a petition to a body: checked, stored as pending (never public until the body's staff
 * publish it), held with the reasons when the automatic check finds abuse or personal data.
 */
export async function startPetition(
  trx: Db,
  actor: Actor,
  creator: { userId: string; name: string },
  values: PetitionForm,
  language: Locale,
): Promise<Outcome<{ petition: PetitionRow }>> {
  const organisation = /^[0-9a-f-]{36}$/.test(values.organisationId)
    ? await findOrganisationById(trx, values.organisationId)
    : undefined;
  const errors: FieldError[] = [
    ...(organisation ? [] : [{ field: 'organisationId', message: 'petitions.start.body.missing' }]),
    ...lengthErrors(values),
  ];
  if (errors.length > 0 || !organisation) return { ok: false, errors };
  const petition = await trx
    .insertInto('petitions')
    .values({
      organisation_id: organisation.id,
      created_by: creator.userId,
      creator_name: creator.name.slice(0, 120) || '—',
      title: values.title,
      action: values.action,
      background: values.background,
      language,
      held_reasons: heldReasons(values.title, values.action, values.background),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(trx, actor, {
    action: 'petition.started',
    resourceType: 'petition',
    resourceId: petition.id,
    subjectUserId: creator.userId,
    details: { organisationId: organisation.id, held: petition.held_reasons },
  });
  return { ok: true, petition };
}

export type Moderation =
  { decision: 'publish' } | { decision: 'reject'; reason: RejectionReason; detail: string };

/** The moderation form: publish, or reject with one of the reasons (and optional detail). */
export function readModeration(body: unknown): Outcome<{ moderation: Moderation }> {
  const decision = formText(body, 'decision');
  if (decision === 'publish') return { ok: true, moderation: { decision } };
  if (decision !== 'reject')
    return { ok: false, errors: [{ field: 'decision', message: 'petitions.moderate.missing' }] };
  const reason = formText(body, 'reason');
  const detail = formText(body, 'detail');
  const errors: FieldError[] = [];
  if (!(REJECTION_REASONS as readonly string[]).includes(reason))
    errors.push({ field: 'reason', message: 'petitions.moderate.reasonMissing' });
  if (detail.length > 1000) errors.push({ field: 'detail', message: 'petitions.moderate.tooLong' });
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    moderation: { decision, reason: reason as RejectionReason, detail },
  };
}

/**
 * Publishes or rejects a pending petition (locked, so two moderators cannot both decide).
 * Publishing starts the clock: it closes after the body's duration, at London midnight, and
 * takes the body's thresholds as they stand. The creator is told either way by e-mail.
 * Returns false when the petition was no longer pending.
 */
export async function moderatePetition(
  trx: Db,
  actor: Actor,
  petitionId: string,
  moderation: Moderation,
  now: Date,
  baseUrl: string,
): Promise<boolean> {
  const petition = await trx
    .selectFrom('petitions')
    .selectAll()
    .where('id', '=', petitionId)
    .forUpdate()
    .executeTakeFirst();
  if (!petition || petition.state !== 'pending') return false;
  const settings = await petitionSettings(trx, petition.organisation_id);
  const updated =
    moderation.decision === 'publish'
      ? await trx
          .updateTable('petitions')
          .set({
            state: 'open',
            published_at: now,
            closes_at: closesAt(now, settings.duration_months),
            response_threshold: settings.response_threshold,
            debate_threshold: settings.debate_threshold,
            moderated_by: actor.userId,
            moderated_at: now,
          })
          .where('id', '=', petitionId)
          .returningAll()
          .executeTakeFirstOrThrow()
      : await trx
          .updateTable('petitions')
          .set({
            state: 'rejected',
            rejection_reason: moderation.reason,
            rejection_detail: moderation.detail || null,
            moderated_by: actor.userId,
            moderated_at: now,
          })
          .where('id', '=', petitionId)
          .returningAll()
          .executeTakeFirstOrThrow();
  await recordAudit(trx, actor, {
    action: moderation.decision === 'publish' ? 'petition.published' : 'petition.rejected',
    resourceType: 'petition',
    resourceId: petitionId,
    subjectUserId: petition.created_by,
    details: moderation.decision === 'reject' ? { reason: moderation.reason } : {},
  });
  if (moderation.decision === 'publish')
    await enqueue(trx, {
      topic: PETITION_PUBLISHED_TOPIC,
      payload: { petitionId },
      idempotencyKey: `${PETITION_PUBLISHED_TOPIC}:${petitionId}`,
    });
  if (petition.created_by) {
    const creator = await findUserById(trx, petition.created_by);
    if (creator)
      await queuePetitionMail(
        trx,
        moderation.decision === 'publish' ? 'published' : 'rejected',
        creator.email,
        petition.language,
        {
          title: petition.title,
          closes: updated.closes_at
            ? formatDate(closingDay(updated.closes_at), petition.language)
            : '',
          link: link(baseUrl, `/petitions/${petitionId}`),
        },
        `petitions.mail.moderated:${petitionId}`,
      );
  }
  return true;
}

/**
 * Publishes (or corrects) the body's response on an open or closed petition and tells every
 * confirmed signer who asked, through the outbox (the first response only).
 */
export async function respondToPetition(
  trx: Db,
  actor: Actor,
  petition: PetitionRow,
  response: string,
  now: Date,
): Promise<Outcome<Record<never, never>>> {
  if (response === '')
    return { ok: false, errors: [{ field: 'response', message: 'petitions.respond.missing' }] };
  if (response.length > LIMITS.text)
    return { ok: false, errors: [{ field: 'response', message: 'petitions.respond.tooLong' }] };
  const status = petitionStatus(petition, now);
  if (status !== 'open' && status !== 'closed')
    return { ok: false, errors: [{ field: 'response', message: 'petitions.respond.notLive' }] };
  await trx
    .updateTable('petitions')
    .set({ response, responded_at: petition.responded_at ?? now, responded_by: actor.userId })
    .where('id', '=', petition.id)
    .execute();
  await recordAudit(trx, actor, {
    action: 'petition.responded',
    resourceType: 'petition',
    resourceId: petition.id,
    subjectUserId: null,
    details: { first: !petition.responded_at },
  });
  await enqueue(trx, {
    topic: RESPONSE_PUBLISHED_TOPIC,
    payload: { petitionId: petition.id },
    idempotencyKey: `${RESPONSE_PUBLISHED_TOPIC}:${petition.id}`,
  });
  return { ok: true };
}

/** Records the debate: its date (the form's three boxes `debateOn-*`) and, later, its outcome. */
export async function recordDebate(
  trx: Db,
  actor: Actor,
  petition: PetitionRow,
  body: unknown,
): Promise<Outcome<Record<never, never>>> {
  const errors: FieldError[] = [];
  const outcome = formText(body, 'outcome');
  const date = parseDateParts(
    formText(body, 'debateOn-day'),
    formText(body, 'debateOn-month'),
    formText(body, 'debateOn-year'),
  );
  const debateOn = 'date' in date ? date.date : null;
  if ('problem' in date && date.problem !== 'required')
    errors.push({ field: 'debateOn-day', message: 'petitions.debate.dateInvalid' });
  if ('problem' in date && date.problem === 'required' && outcome === '')
    errors.push({ field: 'debateOn-day', message: 'petitions.debate.missing' });
  if (outcome.length > LIMITS.text)
    errors.push({ field: 'outcome', message: 'petitions.debate.tooLong' });
  if (petition.state !== 'open')
    errors.push({ field: 'debateOn-day', message: 'petitions.respond.notLive' });
  if (errors.length > 0) return { ok: false, errors };
  await trx
    .updateTable('petitions')
    .set({ debate_on: debateOn ?? petition.debate_on, debate_outcome: outcome || null })
    .where('id', '=', petition.id)
    .execute();
  await recordAudit(trx, actor, {
    action: 'petition.debate-recorded',
    resourceType: 'petition',
    resourceId: petition.id,
    subjectUserId: null,
    details: { debateOn },
  });
  return { ok: true };
}

/** A body's rules for new petitions, checked: whole numbers, debate at or above response. */
export async function saveSettings(
  trx: Db,
  actor: Actor,
  organisationId: string,
  body: unknown,
): Promise<Outcome<Record<never, never>>> {
  const read = (name: string, min: number, max: number) => {
    const text = formText(body, name).replace(/,/g, '');
    const value = /^\d{1,9}$/.test(text) ? Number(text) : NaN;
    return value >= min && value <= max ? value : null;
  };
  const duration = read('durationMonths', 1, 6);
  const response = read('responseThreshold', 1, 10_000_000);
  const debate = read('debateThreshold', 1, 10_000_000);
  const errors: FieldError[] = [];
  if (duration === null)
    errors.push({ field: 'durationMonths', message: 'petitions.settings.durationInvalid' });
  if (response === null)
    errors.push({ field: 'responseThreshold', message: 'petitions.settings.thresholdInvalid' });
  if (debate === null)
    errors.push({ field: 'debateThreshold', message: 'petitions.settings.thresholdInvalid' });
  else if (response !== null && debate < response)
    errors.push({ field: 'debateThreshold', message: 'petitions.settings.debateBelowResponse' });
  if (errors.length > 0 || duration === null || response === null || debate === null)
    return { ok: false, errors };
  const values = {
    duration_months: duration,
    response_threshold: response,
    debate_threshold: debate,
    updated_by: actor.userId,
    updated_at: new Date(),
  };
  await trx
    .insertInto('petition_settings')
    .values({ organisation_id: organisationId, ...values })
    .onConflict((oc) => oc.column('organisation_id').doUpdateSet(values))
    .execute();
  await recordAudit(trx, actor, {
    action: 'petition.settings-changed',
    resourceType: 'organisation',
    resourceId: organisationId,
    subjectUserId: null,
    details: { duration, response, debate },
  });
  return { ok: true };
}

/** E-mails the body's moderators that a petition crossed a threshold (once per threshold). */
export async function tellStaffOfThreshold(
  trx: Db,
  petition: PetitionRow,
  which: 'response' | 'debate',
  baseUrl: string,
): Promise<void> {
  const emails = new Set([
    ...(await staffEmailsWithRole(trx, petition.organisation_id, 'caseworker')),
    ...(await staffEmailsWithRole(trx, petition.organisation_id, 'service-owner')),
  ]);
  const threshold = which === 'response' ? petition.response_threshold : petition.debate_threshold;
  for (const email of emails)
    await queuePetitionMail(
      trx,
      'threshold',
      email,
      'en',
      {
        title: petition.title,
        threshold: threshold ?? 0,
        which,
        link: link(baseUrl, `/staff/petitions/${petition.id}`),
      },
      `petitions.mail.threshold:${petition.id}:${which}:${email}`,
    );
}
