import type { Db } from '../../src/platform/db/database.js';

/** An e-mail as the outbox queues it for sending (topic `mail.send`). */
export interface QueuedMail {
  to: string;
  subject: string;
  text: string;
}

/**
 * The e-mails queued for `to`, oldest first: what the person would find in their inbox once the
 * worker (off in tests) had sent them.
 *
 * @example expect((await mailsTo(db(), 'citizen@example.com')).at(-1)!.subject).toContain('reset');
 */
export async function mailsTo(db: Db, to: string): Promise<QueuedMail[]> {
  const rows = await db
    .selectFrom('outbox')
    .select('payload')
    .where('topic', '=', 'mail.send')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.payload as unknown as QueuedMail).filter((m) => m.to === to);
}

/** The six-digit code (confirmation, reset, sign-in) in a message's text; throws if it has none. */
export function codeIn(text: string | undefined): string {
  const code = /\b(\d{6})\b/.exec(text ?? '')?.[1];
  if (!code) throw new Error(`No six-digit code in ${JSON.stringify(text)}`);
  return code;
}

/** The code in the newest e-mail queued for `to`. */
export async function lastCodeFor(db: Db, to: string): Promise<string> {
  return codeIn((await mailsTo(db, to)).at(-1)?.text);
}
