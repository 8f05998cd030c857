/**
 * Escalation: a running case (open, clock not paused) whose time limit has passed is escalated
 * once — `escalated_at` set, an `escalated` event in its history, an audit entry, and an e-mail
 * to each team leader of its body — all in one transaction, so the e-mails exist if and only if
 * the escalation does.
 */
import type { Kysely } from 'kysely';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Config } from '../../../platform/config/config.js';
import type { Database, Db } from '../../../platform/db/database.js';
import type { Locale, Translate } from '../../../platform/i18n/i18n.js';
import { MAIL_TOPIC } from '../../../platform/mail/mailer.js';
import { enqueue } from '../../../platform/outbox/outbox.js';
import { staffEmailsWithRole } from '../../identity/index.js';
import { recordCaseEvent } from '../commands/events.js';
import { caseWordsLookup, inBoth, type DeadlineCase } from './words.js';

/** Cases escalated per transaction: short transactions, however much is overdue at once. */
export const ESCALATION_BATCH = 100;

/** The staff role escalations and digests go to. */
export const TEAM_LEADER = 'team-leader';

const SYSTEM = { userId: null, organisationId: null, role: 'system' } as const;

/**
 * Escalates every running case due before `now`, a batch per transaction, and returns how many.
 * Safe to run on several nodes at once: each batch locks its cases with SKIP LOCKED and
 * re-checks `escalated_at is null` under the lock, so a case is escalated by exactly one run.
 */
export async function escalateOverdue(
  db: Kysely<Database>,
  config: Pick<Config, 'baseUrl'>,
  t: Record<Locale, Translate>,
  now: Date,
): Promise<number> {
  let total = 0;
  for (;;) {
    const escalated = await db.transaction().execute((trx) => escalateBatch(trx, config, t, now));
    total += escalated;
    if (escalated < ESCALATION_BATCH) return total;
  }
}

async function escalateBatch(
  trx: Db,
  config: Pick<Config, 'baseUrl'>,
  t: Record<Locale, Translate>,
  now: Date,
): Promise<number> {
  // The same conditions as the `cases_due` partial index, so the sweep reads only that index.
  const due: DeadlineCase[] = await trx
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
    .where('escalated_at', 'is', null)
    .where('due_at', '<', now)
    .orderBy('due_at')
    .limit(ESCALATION_BATCH)
    .forUpdate()
    .skipLocked()
    .execute();
  if (due.length === 0) return 0;
  await trx
    .updateTable('cases')
    .set({ escalated_at: now })
    .where(
      'id',
      'in',
      due.map((row) => row.id),
    )
    .execute();
  const words = caseWordsLookup(trx, t);
  const leaders = new Map<string, Promise<string[]>>();
  for (const row of due) {
    if (!leaders.has(row.organisation_id))
      leaders.set(row.organisation_id, staffEmailsWithRole(trx, row.organisation_id, TEAM_LEADER));
    const to = await leaders.get(row.organisation_id)!;
    await recordEscalation(trx, row, to);
    await mailLeaders(trx, config, t, words, row, to);
  }
  return due.length;
}

async function recordEscalation(trx: Db, row: DeadlineCase, leaders: string[]): Promise<void> {
  const details = { dueAt: row.due_at?.toISOString() ?? null, notified: leaders.length };
  await recordCaseEvent(trx, row.id, {
    kind: 'escalated',
    fromState: row.state,
    toState: row.state,
    details,
  });
  await recordAudit(trx, SYSTEM, {
    action: 'case.escalated',
    resourceType: 'case',
    resourceId: row.id,
    subjectUserId: row.applicant_user_id,
    details: { reference: row.reference, ...details },
  });
}

async function mailLeaders(
  trx: Db,
  config: Pick<Config, 'baseUrl'>,
  t: Record<Locale, Translate>,
  words: ReturnType<typeof caseWordsLookup>,
  row: DeadlineCase,
  leaders: string[],
): Promise<void> {
  if (leaders.length === 0) return;
  const url = `${config.baseUrl}/casework/${encodeURIComponent(row.reference)}`;
  const values = {
    en: {
      ...(await words.of(row, 'en')),
      organisation: await words.organisation(row.organisation_id, 'en'),
      url,
    },
    cy: {
      ...(await words.of(row, 'cy')),
      organisation: await words.organisation(row.organisation_id, 'cy'),
      url,
    },
  };
  const subject = inBoth((l) => t[l]('casework.deadlines.escalated.subject', values[l]), 'subject');
  const text = inBoth((l) => t[l]('casework.deadlines.escalated.text', values[l]), 'text');
  for (const to of leaders)
    await enqueue(trx, {
      topic: MAIL_TOPIC,
      payload: { to, subject, text },
      // One e-mail per leader per deadline: a later deadline of the same case is news again.
      idempotencyKey: `casework.escalated:${row.id}:${row.due_at?.toISOString()}:${to.toLowerCase()}`,
    });
}
