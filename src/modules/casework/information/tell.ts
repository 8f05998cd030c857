/**
 * Telling the applicant about a request for information: in their account inbox when they have
 * an account, otherwise by e-mail to the address the application gave. The text comes from
 * templates in `locales/information.{en,cy}.json` written in GOV.UK Notify's `((placeholder))`
 * syntax and filled by the notify module's `fill`; English then Welsh, as every message to the
 * public is. Each message is recorded on the case as a `message` event, as the engine records
 * what it tells, so the case page lists it with the others.
 */
import type { Config } from '../../../platform/config/config.js';
import type { Db } from '../../../platform/db/database.js';
import {
  formatDate,
  loadMessages,
  translator,
  type Locale,
  type Messages,
  type Translate,
} from '../../../platform/i18n/i18n.js';
import { MAIL_TOPIC } from '../../../platform/mail/mailer.js';
import { enqueue } from '../../../platform/outbox/outbox.js';
import { sendCaseMessage } from '../../inbox/index.js';
import { fill } from '../../notify/index.js';
import { nameLookup, type SubmissionRow } from '../../submissions/index.js';
import { auditActor, type CaseActor } from '../commands/actor.js';
import { recordCaseEvent } from '../commands/events.js';
import type { CaseRow } from '../db/tables.js';

/** Between the English and the Welsh of one message. */
export const BETWEEN_LANGUAGES = '\n\n———\n\n';

let messages: Promise<Messages> | undefined;

/** A translator for each language, the messages read once per process. */
export async function translators(): Promise<Record<Locale, Translate>> {
  const all = await (messages ??= loadMessages());
  return { en: translator(all, 'en'), cy: translator(all, 'cy') };
}

/** How the applicant was told: the channel the case page shows. */
export type Channel = 'inbox' | 'email' | 'letter' | 'none';

/** What a message about a request says, and what its templates are filled with. */
interface RequestMessage {
  kind: 'asked' | 'cancelled';
  question: string;
  replyBy: string | null;
  link: string;
}

/** The message in one language, for an account holder (`inbox`) or someone without one (`email`). */
async function textIn(
  db: Db,
  t: Translate,
  locale: Locale,
  caseRow: CaseRow,
  message: RequestMessage,
  channel: 'inbox' | 'email',
  brand: string,
): Promise<{ subject: string; body: string }> {
  const names = nameLookup(db, locale);
  const values = {
    reference: caseRow.reference,
    service: await names.service(caseRow.service_id),
    organisation: await names.organisation(caseRow.organisation_id),
    question: message.question,
    replyBy: message.replyBy ? formatDate(message.replyBy, locale) : '',
    link: message.link,
    brand,
  };
  const template = (key: string) => fill(t(`casework.information.message.${key}`), values);
  if (message.kind === 'cancelled')
    return { subject: template('cancelledSubject'), body: template('cancelled') };
  const paragraphs = [
    template('asked'),
    message.question,
    ...(message.replyBy ? [template('replyBy')] : []),
    template(channel === 'inbox' ? 'answerInAccount' : 'answerByEmail'),
  ];
  return { subject: template('subject'), body: paragraphs.join('\n\n') };
}

async function bilingual(
  db: Db,
  caseRow: CaseRow,
  message: RequestMessage,
  channel: 'inbox' | 'email',
  brand: string,
) {
  const t = await translators();
  const [en, cy] = await Promise.all([
    textIn(db, t.en, 'en', caseRow, message, channel, brand),
    textIn(db, t.cy, 'cy', caseRow, message, channel, brand),
  ]);
  return { subject: `${en.subject} / ${cy.subject}`, text: en.body + BETWEEN_LANGUAGES + cy.body };
}

/**
 * Tells the applicant a request was made or cancelled, in the caller's transaction, and records
 * the message on the case. `tellOf` is the workflow action's event when asking moved the case:
 * this message is what that action tells the applicant, so `casework.tell` (which looks for a
 * `message` event with `tell_of`) does not send a second, shorter one.
 */
export async function tellAboutRequest(
  trx: Db,
  input: {
    caseRow: CaseRow;
    submission: SubmissionRow | undefined;
    requestId: string;
    message: RequestMessage;
    tellOf: number | null;
    action: string | null;
  },
  actor: CaseActor,
  config: Pick<Config, 'baseUrl' | 'BRAND_NAME'>,
): Promise<Channel> {
  const { caseRow, submission, message } = input;
  let channel: Channel = 'none';
  let told: { subject: string; text: string } | null = null;
  if (caseRow.applicant_user_id) {
    const inbox = await bilingual(trx, caseRow, message, 'inbox', config.BRAND_NAME);
    const sent = await sendCaseMessage(
      trx,
      {
        organisationId: caseRow.organisation_id,
        recipientUserId: caseRow.applicant_user_id,
        submission: submission ? { id: submission.id, reference: submission.reference } : null,
        subject: inbox.subject,
        body: inbox.text,
        sentByUserId: actor.user.id,
      },
      auditActor(actor),
      config.baseUrl,
    );
    if (sent) [channel, told] = ['inbox', inbox];
  }
  const email = submission?.applicant?.email;
  if (channel === 'none' && email) {
    const mail = await bilingual(trx, caseRow, message, 'email', config.BRAND_NAME);
    await enqueue(trx, {
      topic: MAIL_TOPIC,
      payload: { to: email, ...mail, organisationId: caseRow.organisation_id },
      idempotencyKey: `casework.information:${input.requestId}:${message.kind}:mail`,
    });
    [channel, told] = ['email', mail];
  }
  await recordCaseEvent(trx, caseRow.id, {
    kind: 'message',
    actorUserId: actor.user.id,
    actorOrganisationId: actor.user.organisationId,
    details: {
      ...(input.tellOf !== null ? { tell_of: input.tellOf, action: input.action } : {}),
      request_id: input.requestId,
      channel,
      subject: told?.subject ?? null,
      text: told?.text ?? null,
    },
  });
  return channel;
}
