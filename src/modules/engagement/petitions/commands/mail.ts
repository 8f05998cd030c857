import { createHash } from 'node:crypto';
import type { Db } from '../../../../platform/db/database.js';
import {
  loadMessages,
  translator,
  type Locale,
  type Messages,
} from '../../../../platform/i18n/i18n.js';
import { MAIL_TOPIC } from '../../../../platform/mail/mailer.js';
import { enqueue } from '../../../../platform/outbox/outbox.js';

let messages: Promise<Messages> | undefined;
const loaded = () => (messages ??= loadMessages());

/** The petition e-mails, each `petitions.mail.<kind>.subject` and `.body` in the locales. */
export type PetitionMailKind =
  'confirm' | 'already-signed' | 'published' | 'rejected' | 'threshold' | 'response';

/**
 * Queues one petition e-mail in the reader's language through the outbox (the `mail.send`
 * topic every module uses); the key makes it once only, however often the caller runs.
 */
export function queuePetitionMail(
  trx: Db,
  kind: PetitionMailKind,
  to: string,
  language: Locale,
  values: Record<string, string | number>,
  idempotencyKey: string,
): Promise<void> {
  return queueEngagementMail(trx, `petitions.mail.${kind}`, to, language, values, idempotencyKey);
}

/**
 * Queues one of the engagement module's e-mails (`<messageKey>.subject` and `.body` in the
 * locales) in the reader's language through the outbox; the key makes it once only.
 */
export async function queueEngagementMail(
  trx: Db,
  messageKey: string,
  to: string,
  language: Locale,
  values: Record<string, string | number>,
  idempotencyKey: string,
): Promise<void> {
  const t = translator(await loaded(), language);
  await enqueue(trx, {
    topic: MAIL_TOPIC,
    payload: {
      to,
      subject: t(`${messageKey}.subject`, values),
      text: t(`${messageKey}.body`, values),
    },
    idempotencyKey,
  });
}

/** What is stored of an e-mailed link's secret token: its SHA-256, so the table cannot sign for anyone. */
export function emailedTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** The full address of a page of this site, for an e-mail. */
export function link(baseUrl: string, path: string): string {
  return new URL(path, baseUrl).toString();
}
