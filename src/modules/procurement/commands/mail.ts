import type { Db } from '../../../platform/db/database.js';
import { MAIL_TOPIC } from '../../../platform/mail/mailer.js';
import { enqueue } from '../../../platform/outbox/outbox.js';
import { findUserById } from '../../identity/index.js';

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
