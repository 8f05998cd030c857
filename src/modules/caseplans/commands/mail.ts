/**
 * E-mails about case plans, through the outbox. They never carry the person's name, address or
 * contact details — only the plan's reference, the bodies and what happened — so a sensitive
 * case (domestic abuse) cannot leak through a mailbox, a forwarded message or a mail log.
 */
import type { Db } from '../../../platform/db/database.js';
import { loadMessages, translator, type Messages } from '../../../platform/i18n/i18n.js';
import { MAIL_TOPIC } from '../../../platform/mail/mailer.js';
import { enqueue } from '../../../platform/outbox/outbox.js';

let messages: Promise<Messages> | undefined;
const loaded = () => (messages ??= loadMessages());

/** The e-mails sent: each `caseplans.mail.<kind>.subject` and `.body` in the locales. */
export type CasePlanMailKind =
  'invited' | 'break-glass' | 'answered' | 'consent-withdrawn' | 'closed';

/**
 * Queues one e-mail to each address, in English, once per idempotency key. Values are the
 * reference, bodies' names, a section and a reason — never personal details of the person.
 */
export async function queueCasePlanMail(
  trx: Db,
  kind: CasePlanMailKind,
  to: readonly string[],
  values: Record<string, string>,
  idempotencyKey: string,
): Promise<void> {
  const t = translator(await loaded(), 'en');
  for (const address of new Set(to)) {
    await enqueue(trx, {
      topic: MAIL_TOPIC,
      payload: {
        to: address,
        subject: t(`caseplans.mail.${kind}.subject`, values),
        text: t(`caseplans.mail.${kind}.body`, values),
      },
      idempotencyKey: `${idempotencyKey}:${address}`,
    });
  }
}
