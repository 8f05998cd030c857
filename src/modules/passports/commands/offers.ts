/**
 * Offers made by an approval: when an application on a service is approved, its applicant is
 * offered each service the approval passports to — shown at `/account/offers` and told by
 * e-mail. Nothing is applied for: the person says "Apply" (which records it and starts the
 * service's form, prefilled from their account where the form asks for it) or "No thanks".
 */
import type { Config } from '../../../platform/config/config.js';
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import { loadMessages, translator, type Messages } from '../../../platform/i18n/i18n.js';
import { MAIL_TOPIC } from '../../../platform/mail/mailer.js';
import { enqueue } from '../../../platform/outbox/outbox.js';
import { findPublishedServiceById } from '../../catalogue/index.js';
import { findUserById } from '../../identity/index.js';
import { findSubmissionById } from '../../submissions/index.js';
import type { PassportedOfferRow } from '../db/tables.js';
import { mayAnswerOffers } from '../policies/passports.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import { passportsFrom } from '../queries/passports.js';
import { isUuid } from '../../../platform/validation/uuid.js';

/** The platform, as the audit log records an offer made on an approval. */
const PLATFORM: Actor = { userId: null, organisationId: null, role: 'platform' };

let messages: Promise<Messages> | undefined;

/**
 * Offers the applicant of an approved submission every published service its service passports
 * to, once (an offer per submission and service), with one e-mail in English and Welsh. The
 * caller opens the transaction and has checked the decision was an approval. Returns the offers
 * made now (none when they were made before, or the submission has no applicant account).
 *
 * @example await db.transaction().execute((trx) => offerPassportedServices(trx, config, id, key));
 */
export async function offerPassportedServices(
  trx: Db,
  config: Pick<Config, 'baseUrl'>,
  submissionId: string,
  mailKey: string,
): Promise<PassportedOfferRow[]> {
  if (!isUuid(submissionId)) return [];
  const submission = await findSubmissionById(trx, submissionId);
  if (!submission?.applicant_user_id) return [];
  const passports = await passportsFrom(trx, submission.service_id);
  const made: PassportedOfferRow[] = [];
  const titles: { en: string; cy: string }[] = [];
  for (const passport of passports) {
    const [en, cy] = await Promise.all([
      findPublishedServiceById(trx, passport.to_service_id, 'en'),
      findPublishedServiceById(trx, passport.to_service_id, 'cy'),
    ]);
    if (!en || !cy) continue; // withdrawn since it was declared: nothing to offer
    const offer = await trx
      .insertInto('passported_offers')
      .values({
        user_id: submission.applicant_user_id,
        submission_id: submission.id,
        passport_id: passport.id,
        from_service_id: submission.service_id,
        to_service_id: passport.to_service_id,
        reason_en: passport.reason_en,
        reason_cy: passport.reason_cy,
      })
      .onConflict((oc) => oc.columns(['submission_id', 'to_service_id']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!offer) continue;
    made.push(offer);
    titles.push({ en: en.title, cy: cy.title });
    await recordAudit(trx, PLATFORM, {
      action: 'passports.offered',
      resourceType: 'passported_offer',
      resourceId: offer.id,
      subjectUserId: submission.applicant_user_id,
      details: {
        submissionId: submission.id,
        reference: submission.reference,
        fromServiceId: submission.service_id,
        toServiceId: passport.to_service_id,
      },
    });
  }
  if (made.length === 0) return made;
  const applicant = await findUserById(trx, submission.applicant_user_id);
  if (applicant?.email) {
    const loaded = await (messages ??= loadMessages());
    const from = await findPublishedServiceById(trx, submission.service_id, 'en');
    const fromCy = await findPublishedServiceById(trx, submission.service_id, 'cy');
    const link = `${config.baseUrl}/account/offers`;
    const part = (locale: 'en' | 'cy') => {
      const t = translator(loaded, locale);
      return t('passports.mail.body', {
        service: (locale === 'cy' ? fromCy?.title : from?.title) ?? '',
        reference: submission.reference,
        services: titles.map((s) => `- ${s[locale]}`).join('\n'),
        link,
      });
    };
    await enqueue(trx, {
      topic: MAIL_TOPIC,
      payload: {
        to: applicant.email,
        subject: `${translator(loaded, 'en')('passports.mail.subject')} / ${translator(loaded, 'cy')('passports.mail.subject')}`,
        text: `${part('en')}\n\n———\n\n${part('cy')}`,
        organisationId: submission.organisation_id,
      },
      idempotencyKey: `${mailKey}:mail`,
    });
  }
  return made;
}

export type RespondOutcome =
  { ok: true; offer: PassportedOfferRow } | { ok: false; reason: 'not-found' | 'answered' };

/**
 * Records the person's answer to one of their offers: `accepted` when they choose "Apply" (the
 * page then starts the service's form; nothing is sent until they send it), `declined` for
 * "No thanks". An offer already answered keeps its answer. Audited.
 */
export async function respondToOffer(
  db: Db,
  user: CurrentUser,
  offerId: string,
  answer: 'accepted' | 'declined',
  actor: Actor,
): Promise<RespondOutcome> {
  if (!mayAnswerOffers(user) || !isUuid(offerId)) return { ok: false, reason: 'not-found' };
  const offer = await db
    .selectFrom('passported_offers')
    .selectAll()
    .where('id', '=', offerId)
    .where('user_id', '=', user.id)
    .executeTakeFirst();
  if (!offer) return { ok: false, reason: 'not-found' };
  const updated = await db
    .updateTable('passported_offers')
    .set({ status: answer, responded_at: new Date() })
    .where('id', '=', offer.id)
    .where('status', '=', 'offered')
    .returningAll()
    .executeTakeFirst();
  if (!updated) return { ok: false, reason: 'answered' };
  await recordAudit(db, actor, {
    action: `passports.offer.${answer}`,
    resourceType: 'passported_offer',
    resourceId: offer.id,
    subjectUserId: user.id,
    details: { toServiceId: offer.to_service_id, submissionId: offer.submission_id },
  });
  return { ok: true, offer: updated };
}

/** A deleted account's offers go with it (the users row stays, so no cascade does it). */
export async function eraseOffers(trx: Db, userId: string): Promise<void> {
  await trx.deleteFrom('passported_offers').where('user_id', '=', userId).execute();
}
