import type { Db } from '../../../platform/db/database.js';
import { MAIL_TOPIC } from '../../../platform/mail/mailer.js';
import { enqueue } from '../../../platform/outbox/outbox.js';
import { membershipOf } from '../../agents/index.js';
import { findUserById } from '../../identity/index.js';
import { mayActForSupplier } from '../policies/procurement.js';

/**
 * Queues one bilingual e-mail to an account's address, in the caller's transaction; nothing when
 * the account is gone. `key` makes a repeat of the same news a no-op.
 */
export async function mailAccount(
  db: Db,
  userId: string | null,
  key: string,
  message: { subject: string; english: string; welsh: string },
): Promise<boolean> {
  if (!userId) return false;
  const user = await findUserById(db, userId);
  if (!user) return false;
  await enqueue(db, {
    topic: MAIL_TOPIC,
    idempotencyKey: `procurement:${key}:${userId}`,
    payload: {
      to: user.email,
      subject: message.subject,
      text: `${message.english}\n\n———\n\n${message.welsh}`,
    },
  });
  return true;
}

/** Pounds and pence for an e-mail: £1,234.50. */
export function money(pence: number): string {
  return `£${(pence / 100).toLocaleString('en-GB', { minimumFractionDigits: 2 })}`;
}

/**
 * Queues one e-mail about a supplier's business: to each of `people` still a member of the
 * supplier's business (who sent the tender or the invoice), and to whoever registered the
 * supplier; each once. Returns how many were queued.
 */
export async function mailSupplier(
  db: Db,
  supplierId: string,
  people: readonly (string | null)[],
  key: string,
  message: { subject: string; english: string; welsh: string },
): Promise<number> {
  const supplier = await db
    .selectFrom('procurement_suppliers')
    .select(['business_id', 'registered_by'])
    .where('id', '=', supplierId)
    .executeTakeFirst();
  if (!supplier) return 0;
  const recipients = new Set<string>();
  for (const person of people)
    if (person && mayActForSupplier(await membershipOf(db, supplier.business_id, person)))
      recipients.add(person);
  if (supplier.registered_by) recipients.add(supplier.registered_by);
  let sent = 0;
  for (const person of recipients) if (await mailAccount(db, person, key, message)) sent += 1;
  return sent;
}
