import { randomUUID } from 'node:crypto';
import type { Db } from '../../platform/db/database.js';
import {
  formatDateTime,
  loadMessages,
  translator,
  type Messages,
} from '../../platform/i18n/i18n.js';
import { MAIL_TOPIC } from '../../platform/mail/mailer.js';
import { enqueue } from '../../platform/outbox/outbox.js';

/** Credential changes other parts of the Gateway announce with {@link sendSecurityMail}. */
export const SECURITY_MAIL_KINDS = [
  'password-changed',
  'email-changed',
  'second-factor-changed',
  'phone-changed',
] as const;
export type SecurityMailKind = (typeof SECURITY_MAIL_KINDS)[number];

/** Longest browser description put in an e-mail or shown on the Security page. */
export const USER_AGENT_LENGTH = 120;

let messages: Promise<Messages> | undefined;
const loaded = () => (messages ??= loadMessages());

/** A browser's user agent cut to a readable length; "unknown browser" is left to the reader's language. */
export function shortUserAgent(userAgent: string | undefined | null): string | null {
  const clean = (userAgent ?? '').replace(/[\r\n\t]+/g, ' ').trim();
  if (!clean) return null;
  return clean.length > USER_AGENT_LENGTH ? `${clean.slice(0, USER_AGENT_LENGTH - 1)}…` : clean;
}

/** Subject and body in English then Welsh, so every reader can use the one message. */
async function queueBilingual(
  db: Db,
  to: string,
  key: string,
  values: (locale: 'en' | 'cy') => Record<string, string>,
  idempotencyKey: string,
): Promise<void> {
  const all = await loaded();
  const [en, cy] = (['en', 'cy'] as const).map((locale) => translator(all, locale));
  const subject = `${en!(`${key}.subject`)} / ${cy!(`${key}.subject`)}`;
  const text = [en!(`${key}.body`, values('en')), cy!(`${key}.body`, values('cy'))].join(
    '\n\n———\n\n',
  );
  await enqueue(db, { topic: MAIL_TOPIC, payload: { to, subject, text }, idempotencyKey });
}

/**
 * Tells the account holder that one of their credentials changed, so a change they did not
 * make is noticed. Queued through the outbox in the caller's transaction. For an e-mail change,
 * pass the OLD address as `user.email` (the new one cannot warn the real owner).
 *
 * @example await sendSecurityMail(trx, { id: user.id, email: user.email }, 'password-changed');
 */
export async function sendSecurityMail(
  db: Db,
  user: { id: string; email: string },
  kind: SecurityMailKind,
): Promise<void> {
  const at = new Date();
  await queueBilingual(
    db,
    user.email,
    `identity.security.mail.${kind}`,
    (locale) => ({ time: formatDateTime(at, locale) }),
    `security:${kind}:${user.id}:${randomUUID()}`,
  );
}

/** "New sign-in to your account", with the time in UK time and the browser it came from. */
export async function sendNewSignInMail(
  db: Db,
  user: { id: string; email: string },
  details: { at: Date; userAgent: string | null },
): Promise<void> {
  const all = await loaded();
  await queueBilingual(
    db,
    user.email,
    'identity.security.mail.new-sign-in',
    (locale) => ({
      time: formatDateTime(details.at, locale),
      browser:
        details.userAgent ?? translator(all, locale)('identity.security.sessions.unknownBrowser'),
    }),
    `security:new-sign-in:${user.id}:${randomUUID()}`,
  );
}

/** The e-mail sent when an account is locked, with the one-time link that unlocks it. */
export async function sendUnlockMail(
  db: Db,
  user: { id: string; email: string },
  details: { link: string; lockedUntil: Date },
): Promise<void> {
  await queueBilingual(
    db,
    user.email,
    'identity.security.mail.locked',
    (locale) => ({ link: details.link, until: formatDateTime(details.lockedUntil, locale) }),
    `security:locked:${user.id}:${randomUUID()}`,
  );
}
