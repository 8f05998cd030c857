/**
 * The end of a consultation: the body publishes "you said, we did" once it has closed, and
 * each respondent who asked is told by e-mail through the outbox; or the body withdraws it.
 * The caller has checked the policy (the body's service owners).
 */
import type { Actor } from '../../../../platform/audit/audit.js';
import { recordAudit } from '../../../../platform/audit/audit.js';
import type { Db } from '../../../../platform/db/database.js';
import type { Outcome } from '../../../../platform/errors/errors.js';
import { enqueue } from '../../../../platform/outbox/outbox.js';
import { link, queueEngagementMail } from '../../petitions/commands/mail.js';
import type { ConsultationRow } from '../../db/consultation-tables.js';
import { consultationStatus } from '../schema.js';

/** The outbox topic that tells every respondent who asked that the outcome is published. */
export const OUTCOME_PUBLISHED_TOPIC = 'consultations.outcome-published';

/**
 * Publishes (or corrects) the outcome of a closed consultation. The first publishing queues the
 * e-mails to respondents (once, whatever happens later) and erases the originals kept of
 * redacted abuse: the analysis they were kept for is over.
 */
export async function publishOutcome(
  trx: Db,
  actor: Actor,
  consultation: ConsultationRow,
  outcome: string,
  now: Date,
): Promise<Outcome<object>> {
  if (consultationStatus(consultation, now) !== 'closed')
    return {
      ok: false,
      errors: [{ field: 'outcome', message: 'consultations.outcome.notClosed' }],
    };
  const first = !consultation.outcome_published_at;
  await trx
    .updateTable('consultations')
    .set({
      outcome,
      outcome_published_at: consultation.outcome_published_at ?? now,
      outcome_published_by: actor.userId,
    })
    .where('id', '=', consultation.id)
    .execute();
  await trx
    .updateTable('consultation_redactions')
    .set({ original: null })
    .where('original', 'is not', null)
    .where('response_id', 'in', (eb) =>
      eb
        .selectFrom('consultation_responses')
        .select('id')
        .where('consultation_id', '=', consultation.id),
    )
    .execute();
  await recordAudit(trx, actor, {
    action: 'consultation.outcome-published',
    resourceType: 'consultation',
    resourceId: consultation.id,
    subjectUserId: null,
    details: { first },
  });
  await enqueue(trx, {
    topic: OUTCOME_PUBLISHED_TOPIC,
    payload: { consultationId: consultation.id },
    idempotencyKey: `${OUTCOME_PUBLISHED_TOPIC}:${consultation.id}`,
  });
  return { ok: true };
}

/**
 * One e-mail to each respondent who asked to be told of the outcome, in the language they
 * responded in; their address is then erased, as it was kept for this alone. Once only per
 * response, however often the outbox runs it.
 */
export async function tellRespondentsOfOutcome(
  trx: Db,
  consultationId: string,
  baseUrl: string,
): Promise<number> {
  const consultation = await trx
    .selectFrom('consultations')
    .select(['id', 'title', 'outcome_published_at'])
    .where('id', '=', consultationId)
    .executeTakeFirst();
  if (!consultation?.outcome_published_at) return 0;
  const respondents = await respondentsAskingToBeTold(trx, consultationId).execute();
  for (const respondent of respondents)
    await queueEngagementMail(
      trx,
      'consultations.mail.outcome',
      respondent.notify_email!,
      respondent.language,
      {
        title: consultation.title,
        reference: respondent.reference ?? '',
        link: link(baseUrl, `/consultations/${consultationId}`),
      },
      `consultations.mail.outcome:${respondent.id}`,
    );
  if (respondents.length > 0)
    await trx
      .updateTable('consultation_responses')
      .set({ notify_email: null })
      .where(
        'id',
        'in',
        respondents.map((r) => r.id),
      )
      .execute();
  return respondents.length;
}

/** Withdraws a consultation that has not been withdrawn and has no outcome, with the reason shown. */
export async function withdrawConsultation(
  trx: Db,
  actor: Actor,
  consultation: ConsultationRow,
  reason: string,
  now: Date,
): Promise<Outcome<object>> {
  if (consultation.withdrawn_at || consultation.outcome_published_at)
    return { ok: false, errors: [{ field: 'reason', message: 'consultations.withdraw.cannot' }] };
  await trx
    .updateTable('consultations')
    .set({ withdrawn_at: now, withdrawn_reason: reason, withdrawn_by: actor.userId })
    .where('id', '=', consultation.id)
    .where('withdrawn_at', 'is', null)
    .execute();
  await recordAudit(trx, actor, {
    action: 'consultation.withdrawn',
    resourceType: 'consultation',
    resourceId: consultation.id,
    subjectUserId: null,
    details: {},
  });
  return { ok: true };
}

/**
 * The sent responses to a consultation whose respondents asked to be told of it (the outcome,
 * and changes made after they answered): where to write, in which language, and their reference.
 */
export function respondentsAskingToBeTold(trx: Db, consultationId: string) {
  return trx
    .selectFrom('consultation_responses')
    .select(['id', 'notify_email', 'language', 'reference'])
    .where('consultation_id', '=', consultationId)
    .where('submitted_at', 'is not', null)
    .where('notify_email', 'is not', null);
}
