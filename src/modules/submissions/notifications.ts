import type { Kysely } from 'kysely';
import type { Database, Db } from '../../platform/db/database.js';
import { formatDate, loadMessages, translator, type Messages } from '../../platform/i18n/i18n.js';
import { enqueue, type OutboxHandler } from '../../platform/outbox/outbox.js';
import type { Config } from '../../platform/config/config.js';
import { MAIL_TOPIC } from '../../platform/mail/mailer.js';
import { findPublishedServiceById } from '../catalogue/index.js';
import { findUserById } from '../identity/index.js';
import { findOrganisationById } from '../organisations/index.js';
import {
  CASEWORK_RECEIVED_TOPIC,
  DECIDED_TOPIC,
  markReceived,
  SUBMITTED_TOPIC,
} from './commands/submissions.js';
import { detailText, type SubmissionRow } from './db/tables.js';
import { DELIVER_TOPIC, findDelivery, webhookDeliveryHandler } from './hub/delivery.js';
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

/** A queued e-mail's payload. */
interface Mail {
  to: string;
  subject: string;
  text: string;
  organisationId: string;
}

/** The idempotency key of the one "received" e-mail a submission ever gets, whichever way it arrived. */
export function receivedMailKey(submissionId: string): string {
  return `${SUBMITTED_TOPIC}:${submissionId}:mail`;
}

/**
 * The applicant e-mails about a submission, written before a transaction opens (they read
 * other modules' data; inside a transaction only `trx` may be used).
 */
export function submissionMails(config: Config) {
  let messages: Promise<Messages> | undefined;
  const loaded = () => (messages ??= loadMessages());

  async function context(db: Db, submission: SubmissionRow) {
    const applicant = submission.applicant_user_id
      ? await findUserById(db, submission.applicant_user_id)
      : undefined;
    const organisation = await findOrganisationById(db, submission.organisation_id);
    const names = async (locale: 'en' | 'cy') => ({
      reference: submission.reference,
      service: (await findPublishedServiceById(db, submission.service_id, locale))?.title ?? '',
      organisation: (locale === 'cy' ? organisation?.name_cy : null) ?? organisation?.name ?? '',
      link: `${config.baseUrl}/applications/${submission.reference}`,
    });
    return { applicant, names };
  }

  return {
    /**
     * "{organisation} has received your application", to the applicant's account or, for someone
     * who applied without one, to the e-mail address they gave; null when there is neither.
     */
    async received(db: Db, submission: SubmissionRow): Promise<Mail | null> {
      const { applicant, names } = await context(db, submission);
      if (!applicant) {
        const to = submission.applicant?.email;
        if (!to) return null;
        return {
          to,
          subject: `${submission.reference}: ${(await names('en')).service}`,
          // No account to follow it in: the reference is what they quote.
          text: await bilingual(await loaded(), 'submissions.mail.receivedNoAccount', names),
          organisationId: submission.organisation_id,
        };
      }
      // Sent by an agent: the receipt still goes to the applicant (the client), and says who sent it.
      const sent = (await eventsFor(db, submission.id)).find((e) => e.status === 'submitted');
      const agent = sent ? detailText(sent.details, 'agent_name') : '';
      const text = agent
        ? await bilingual(await loaded(), 'submissions.mail.receivedOnBehalf', async (locale) => ({
            ...(await names(locale)),
            agent,
            business: detailText(sent!.details, 'agent_business_name'),
          }))
        : await bilingual(await loaded(), 'submissions.mail.received', names);
      return {
        to: applicant.email,
        subject: `${submission.reference}: ${(await names('en')).service}`,
        text,
        organisationId: submission.organisation_id,
      };
    },

    /**
     * The decision (casework's, or a body's rejection or decision), to the applicant's account
     * or, for someone who applied without one, to the e-mail address they gave (without the
     * link to "your applications", which they cannot open); null when there is neither.
     */
    async decided(db: Db, submission: SubmissionRow): Promise<Mail | null> {
      const { applicant, names } = await context(db, submission);
      const to = applicant?.email ?? submission.applicant?.email;
      if (!to) return null;
      const event = (await eventsFor(db, submission.id)).findLast(
        (e) => e.status === submission.status,
      );
      const text = (key: string) => (event ? detailText(event.details, key) : '');
      const reasons = event?.details.reasons;
      const reason = text('reason') || (Array.isArray(reasons) ? reasons.join('; ') : '');
      const outcome = text('decision_outcome');
      const messages = await loaded();
      const withoutAccount = `submissions.mail.${submission.status}NoAccount`;
      const body = await bilingual(
        messages,
        !applicant && messages.en[withoutAccount]
          ? withoutAccount
          : `submissions.mail.${submission.status}`,
        async (locale) => ({
          ...(await names(locale)),
          date: text('collectionDate') ? formatDate(text('collectionDate'), locale) : '',
          reason,
          outcome: outcome
            ? translator(await loaded(), locale)(`submissions.mail.outcome.${outcome}`)
            : '',
          summary: text('decision_summary'),
        }),
      );
      return {
        to,
        subject: `${submission.reference}: ${(await names('en')).service}`,
        text: body,
        organisationId: submission.organisation_id,
      };
    },
  };
}

/**
 * Delivery of submissions. "submitted" goes to the providing body's back office: with no
 * delivery set up, Joinedup's casework has it at once ("received") and the applicant is
 * e-mailed; a body with a webhook gets a `submission.deliver` message (signed POSTs, retried
 * for 72 hours); a body that pulls finds it in its inbox. A decision is e-mailed too. Each
 * step is idempotent.
 */
export function submissionHandlers(
  config: Config,
  options: { webhookTimeoutMs?: number } = {},
): Record<string, OutboxHandler> {
  const mails = submissionMails(config);

  async function load(db: Kysely<Database>, payload: Record<string, unknown>) {
    const submission = await findSubmissionById(db, String(payload.submissionId));
    if (!submission) throw new Error(`Submission ${String(payload.submissionId)} not found`);
    return submission;
  }

  return {
    async [SUBMITTED_TOPIC](payload, { db }) {
      const submission = await load(db, payload);
      if (submission.status !== 'submitted') return; // delivered already
      const delivery = await findDelivery(db, submission.organisation_id);
      if (delivery?.mode === 'pull') return; // it waits in the body's inbox until acknowledged
      if (delivery?.mode === 'push') {
        const routing = typeof payload.routing === 'string' ? `:${payload.routing}` : '';
        await enqueue(db, {
          topic: DELIVER_TOPIC,
          payload: { submissionId: submission.id },
          idempotencyKey: `${DELIVER_TOPIC}:${submission.id}${routing}`,
        });
        return;
      }
      // Everything read first: inside the transaction only trx may be used (PGlite has one connection).
      const mail = await mails.received(db, submission);
      await db.transaction().execute(async (trx) => {
        const received = await markReceived(trx, submission.id, 'casework');
        // Casework opens its case from this message (casework depends on submissions, not the reverse).
        if (received)
          await enqueue(trx, {
            topic: CASEWORK_RECEIVED_TOPIC,
            payload: { submissionId: submission.id },
            idempotencyKey: `${CASEWORK_RECEIVED_TOPIC}:${submission.id}`,
          });
        // The providing body's Notify service records it (see notify's platform messages).
        if (mail)
          await enqueue(trx, {
            topic: MAIL_TOPIC,
            payload: { ...mail },
            idempotencyKey: receivedMailKey(submission.id),
          });
      });
    },
    [DELIVER_TOPIC]: webhookDeliveryHandler(config, mails, options),
    async [DECIDED_TOPIC](payload, { db, idempotencyKey }) {
      const submission = await load(db, payload);
      const mail = await mails.decided(db, submission);
      if (!mail) return;
      await enqueue(db, {
        topic: MAIL_TOPIC,
        payload: { ...mail },
        idempotencyKey: `${idempotencyKey}:mail`,
      });
    },
  };
}
