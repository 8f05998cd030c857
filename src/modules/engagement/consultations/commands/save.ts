/**
 * Save and return for a response in progress. Signed in, the draft is the person's own and
 * found again from any browser (see the public pages' `draftOf`). Not signed in, they ask for
 * an e-mailed link that brings the draft back to any browser for 28 days, once; the address is
 * not kept.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../../../../platform/db/database.js';
import type { Outcome } from '../../../../platform/errors/errors.js';
import type { Locale } from '../../../../platform/i18n/i18n.js';
import { link, queueEngagementMail } from '../../petitions/commands/mail.js';
import { emailProblem, normaliseEmail } from '../../petitions/rules.js';
import type { ConsultationResponseRow, ConsultationRow } from '../../db/consultation-tables.js';
import { hashToken } from './consultations.js';

/** How long an e-mailed link to a draft works. */
export const RETURN_DAYS = 28;

/** Sends the link back to a draft to `email`; a new request replaces the old link. */
export async function sendReturnLink(
  trx: Db,
  consultation: ConsultationRow,
  draft: ConsultationResponseRow,
  email: string,
  language: Locale,
  baseUrl: string,
  now: Date,
): Promise<Outcome<object>> {
  const problem = emailProblem(email);
  if (problem)
    return {
      ok: false,
      errors: [{ field: 'email', message: `consultations.respond.notify.${problem}` }],
    };
  const token = randomBytes(32).toString('base64url');
  const expires = new Date(now.getTime() + RETURN_DAYS * 24 * 3600 * 1000);
  const saved = await trx
    .updateTable('consultation_responses')
    .set({ return_token_hash: hashToken(token), return_expires_at: expires })
    .where('id', '=', draft.id)
    .where('submitted_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  if (!saved)
    return { ok: false, errors: [{ field: 'email', message: 'consultations.save.sent' }] };
  await queueEngagementMail(
    trx,
    'consultations.mail.return',
    normaliseEmail(email),
    language,
    {
      title: consultation.title,
      link: link(baseUrl, `/consultations/${consultation.id}/respond/return?token=${token}`),
      days: RETURN_DAYS,
    },
    `consultations.mail.return:${draft.id}:${hashToken(token).slice(0, 16)}`,
  );
  return { ok: true };
}

/**
 * The draft an e-mailed link points to, if it is still unsent and the link is unused and under
 * 28 days old: it is given a new cookie token (returned) and the link stops working.
 */
export async function returnToDraft(
  trx: Db,
  consultationId: string,
  linkToken: string,
  now: Date,
): Promise<{ token: string } | null> {
  if (!linkToken) return null;
  const token = randomBytes(32).toString('base64url');
  const draft = await trx
    .updateTable('consultation_responses')
    .set({ token_hash: hashToken(token), return_token_hash: null, return_expires_at: null })
    .where('consultation_id', '=', consultationId)
    .where('return_token_hash', '=', hashToken(linkToken))
    .where('return_expires_at', '>', now)
    .where('submitted_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return draft ? { token } : null;
}

/** A signed-in person's own unsent draft of a consultation, the newest, found from any browser. */
export async function ownDraft(
  db: Db,
  consultationId: string,
  userId: string,
): Promise<ConsultationResponseRow | undefined> {
  return db
    .selectFrom('consultation_responses')
    .selectAll()
    .where('consultation_id', '=', consultationId)
    .where('user_id', '=', userId)
    .where('submitted_at', 'is', null)
    .orderBy('started_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Gives a signed-in person's draft a new cookie token, so this browser carries on with it. */
export async function adoptDraft(trx: Db, draft: ConsultationResponseRow): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await trx
    .updateTable('consultation_responses')
    .set({ token_hash: hashToken(token) })
    .where('id', '=', draft.id)
    .where('submitted_at', 'is', null)
    .execute();
  return token;
}
