/**
 * The daily digest: at 7am on each working day, every team leader of a body with overdue work
 * gets one e-mail listing the body's overdue cases — reference, service, stage, working days
 * overdue and who has it — oldest deadline first. Paused cases are waiting for the applicant and
 * closed ones are done, so neither is listed.
 */
import type { Kysely } from 'kysely';
import type { Config } from '../../../platform/config/config.js';
import type { Database } from '../../../platform/db/database.js';
import { formatDate, type Locale, type Translate } from '../../../platform/i18n/i18n.js';
import { MAIL_TOPIC } from '../../../platform/mail/mailer.js';
import { enqueue } from '../../../platform/outbox/outbox.js';
import { staffEmailsWithRole } from '../../identity/index.js';
import { workingDaysBetween } from '../calendar/index.js';
import { TEAM_LEADER } from './escalate.js';
import { caseWordsLookup, inBoth, type DeadlineCase } from './words.js';

/** Cases listed in one e-mail; the rest are counted, and the queue shows them all. */
export const DIGEST_MAX_LISTED = 100;

/** The overdue cases of every body at `now`, grouped by body, oldest deadline first. */
async function overdueByBody(
  db: Kysely<Database>,
  now: Date,
): Promise<Map<string, DeadlineCase[]>> {
  const rows = await db
    .selectFrom('cases')
    .select([
      'id',
      'reference',
      'organisation_id',
      'service_id',
      'workflow_id',
      'state',
      'due_at',
      'assigned_to',
      'applicant_user_id',
    ])
    .where('closed_at', 'is', null)
    .where('paused_at', 'is', null)
    .where('due_at', '<', now)
    .orderBy('organisation_id')
    .orderBy('due_at')
    .orderBy('reference')
    .execute();
  const byBody = new Map<string, DeadlineCase[]>();
  for (const row of rows) {
    const list = byBody.get(row.organisation_id) ?? [];
    list.push(row);
    byBody.set(row.organisation_id, list);
  }
  return byBody;
}

/**
 * Queues the digest of `date` (a London date) for every team leader of every body with overdue
 * work at `now`; returns how many e-mails it queued. Each e-mail's idempotency key names the day
 * and the leader, so running it again the same day queues nothing new.
 */
export async function sendDigest(
  db: Kysely<Database>,
  config: Pick<Config, 'baseUrl'>,
  t: Record<Locale, Translate>,
  date: string,
  now: Date,
): Promise<number> {
  let queued = 0;
  for (const [organisationId, cases] of await overdueByBody(db, now)) {
    const leaders = await staffEmailsWithRole(db, organisationId, TEAM_LEADER);
    if (leaders.length === 0) continue;
    const mail = await composeDigest(db, config, t, { organisationId, cases, date, now });
    await db.transaction().execute(async (trx) => {
      for (const to of leaders)
        await enqueue(trx, {
          topic: MAIL_TOPIC,
          payload: { to, ...mail },
          idempotencyKey: `casework.deadlines.digest:${date}:${to.toLowerCase()}`,
        });
    });
    queued += leaders.length;
  }
  return queued;
}

async function composeDigest(
  db: Kysely<Database>,
  config: Pick<Config, 'baseUrl'>,
  t: Record<Locale, Translate>,
  digest: { organisationId: string; cases: DeadlineCase[]; date: string; now: Date },
): Promise<{ subject: string; text: string }> {
  const words = caseWordsLookup(db, t);
  const listed = digest.cases.slice(0, DIGEST_MAX_LISTED);
  const count = digest.cases.length;
  const written = {} as Record<Locale, { subject: string; text: string }>;
  for (const locale of ['en', 'cy'] as const) {
    const tl = t[locale];
    const organisation = await words.organisation(digest.organisationId, locale);
    const lines: string[] = [];
    for (const row of listed) {
      const days = row.due_at ? workingDaysBetween(row.due_at, digest.now) : 0;
      const key = days === 1 ? 'one' : 'many';
      lines.push(
        tl(`casework.deadlines.digest.line.${key}`, { ...(await words.of(row, locale)), days }),
      );
    }
    const more =
      count > listed.length
        ? tl('casework.deadlines.digest.more', { count: count - listed.length })
        : '';
    written[locale] = {
      subject: tl(`casework.deadlines.digest.subject.${count === 1 ? 'one' : 'many'}`, {
        count,
        organisation,
        date: formatDate(digest.date, locale),
      }),
      text: tl('casework.deadlines.digest.text', {
        organisation,
        lines: lines.join('\n'),
        more,
        url: `${config.baseUrl}/casework`,
      }),
    };
  }
  return {
    subject: inBoth((l) => written[l].subject, 'subject'),
    text: inBoth((l) => written[l].text, 'text'),
  };
}
