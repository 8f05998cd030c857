import type { Db } from '../../../platform/db/database.js';
import {
  formatDate,
  loadMessages,
  translator,
  type Locale,
  type Messages,
} from '../../../platform/i18n/i18n.js';
import { MAIL_TOPIC } from '../../../platform/mail/mailer.js';
import { enqueue } from '../../../platform/outbox/outbox.js';
import type { CorrespondenceRow } from '../db/tables.js';

let messages: Promise<Messages> | undefined;
const loaded = () => (messages ??= loadMessages());

/** The e-mails to requesters, each `correspondence.mail.<kind>.subject` and `.body` in the locales. */
export type CorrespondenceMailKind =
  | 'acknowledged'
  | 'clarification'
  | 'extended'
  | 'escalated'
  | 'responded'
  | 'final'
  | 'cost-refused'
  | 'fee-notice'
  | 'fee-paid';

/** The requester's due date in their language ("4 December 2026"). */
export function dueText(item: Pick<CorrespondenceRow, 'due_at'>, locale: Locale): string {
  return item.due_at ? formatDate(item.due_at, locale) : '';
}

/**
 * Queues one e-mail to the person who made a complaint or request, in the language they used,
 * through the outbox (`mail.send`): it goes if and only if the change commits, once per key.
 */
export async function queueRequesterMail(
  trx: Db,
  kind: CorrespondenceMailKind,
  item: CorrespondenceRow,
  values: Record<string, string | number>,
  idempotencyKey: string,
): Promise<void> {
  if (!item.requester_email) return;
  const t = translator(await loaded(), item.language);
  const all = { reference: item.reference, subject: item.subject, ...values };
  await enqueue(trx, {
    topic: MAIL_TOPIC,
    payload: {
      to: item.requester_email,
      subject: t(`correspondence.mail.${item.kind}.${kind}.subject`, all),
      text: t(`correspondence.mail.${item.kind}.${kind}.body`, all),
    },
    idempotencyKey,
  });
}
