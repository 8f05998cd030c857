import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import { formatDate, loadMessages, translator, type Messages } from '../../platform/i18n/i18n.js';
import { enqueue, type OutboxHandler } from '../../platform/outbox/outbox.js';
import type { Config } from '../../platform/config/config.js';
import { MAIL_TOPIC } from '../../platform/mail/mailer.js';
import { findPublishedServiceById } from '../catalogue/index.js';
import { findUserById } from '../identity/index.js';
import { findOrganisationById } from '../organisations/index.js';
import { DECIDED_TOPIC, markReceived, SUBMITTED_TOPIC } from './commands/submissions.js';
import { eventsFor, findSubmissionById } from './queries/submissions.js';

/** The e-mail text in English then Welsh: one message every reader can use. */
async function bilingual(
  messages: Messages,
  key: string,
  values: (locale: 'en' | 'cy') => Promise<Record<string, string>>,
) {
  const parts = await Promise.all(
    (['en', 'cy'] as const).map(async (locale) =>
      translator(messages, locale)(key, await values(locale)),
    ),
  );
  return parts.join('\n\n———\n\n');
}

/**
 * Delivery of submissions: "submitted" becomes "received" by the providing body, and the
 * applicant is e-mailed; a decision is e-mailed too. Each step is idempotent.
 */
export function submissionHandlers(config: Config): Record<string, OutboxHandler> {
  let messages: Promise<Messages> | undefined;
  const loaded = () => (messages ??= loadMessages());

  async function context(db: Kysely<Database>, submissionId: string) {
    const submission = await findSubmissionById(db, submissionId);
    if (!submission) throw new Error(`Submission ${submissionId} not found`);
    const applicant = await findUserById(db, submission.applicant_user_id);
    const organisation = await findOrganisationById(db, submission.organisation_id);
    const names = async (locale: 'en' | 'cy') => ({
      reference: submission.reference,
      service: (await findPublishedServiceById(db, submission.service_id, locale))?.title ?? '',
      organisation: (locale === 'cy' ? organisation?.name_cy : null) ?? organisation?.name ?? '',
      link: `${config.baseUrl}/applications/${submission.reference}`,
    });
    return { submission, applicant, names };
  }

  return {
    async [SUBMITTED_TOPIC](payload, { db, idempotencyKey }) {
      const submissionId = String(payload.submissionId);
      const { submission, applicant, names } = await context(db, submissionId);
      // Sent by an agent: the receipt still goes to the applicant (the client), and says who sent it.
      const sent = (await eventsFor(db, submission.id)).find((e) => e.status === 'submitted');
      const agent = sent?.details.agent_name;
      const text = agent
        ? await bilingual(await loaded(), 'submissions.mail.receivedOnBehalf', async (locale) => ({
            ...(await names(locale)),
            agent,
            business: sent.details.agent_business_name ?? '',
          }))
        : await bilingual(await loaded(), 'submissions.mail.received', names);
      const subject = `${submission.reference}: ${(await names('en')).service}`;
      // Everything read first: inside the transaction only trx may be used (PGlite has one connection).
      await db.transaction().execute(async (trx) => {
        await markReceived(trx, submission.id);
        if (applicant) {
          await enqueue(trx, {
            topic: MAIL_TOPIC,
            // The providing body's Notify service records it (see notify's platform messages).
            payload: {
              to: applicant.email,
              subject,
              text,
              organisationId: submission.organisation_id,
            },
            idempotencyKey: `${idempotencyKey}:mail`,
          });
        }
      });
    },
    async [DECIDED_TOPIC](payload, { db, idempotencyKey }) {
      const submissionId = String(payload.submissionId);
      const { submission, applicant, names } = await context(db, submissionId);
      if (!applicant) return;
      const decision = (await eventsFor(db, submission.id)).findLast(
        (e) => e.status === submission.status,
      );
      const text = await bilingual(
        await loaded(),
        `submissions.mail.${submission.status}`,
        async (locale) => ({
          ...(await names(locale)),
          date: decision?.details.collectionDate
            ? formatDate(decision.details.collectionDate, locale)
            : '',
          reason: decision?.details.reason ?? '',
        }),
      );
      await enqueue(db, {
        topic: MAIL_TOPIC,
        payload: {
          to: applicant.email,
          subject: `${submission.reference}: ${(await names('en')).service}`,
          text,
          organisationId: submission.organisation_id,
        },
        idempotencyKey: `${idempotencyKey}:mail`,
      });
    },
  };
}
