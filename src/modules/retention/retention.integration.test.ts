import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../test/helpers/database.js';
import type { DatabaseHandle } from '../../platform/db/connect.js';
import type { RetentionRecordType } from '../../platform/http/types.js';
import { enqueue, OutboxWorker } from '../../platform/outbox/outbox.js';
import { MODULES } from '../../main/modules.js';
import { aStaffMember } from '../identity/index.js';
import { retentionRunCommand } from './cli.js';
import { placeLegalHold, liftLegalHold, type HoldInput } from './commands/holds.js';
import { setRetentionPolicy } from './commands/policies.js';
import { BATCH_AUDIT_ACTION, runRetention } from './commands/run.js';
import { NIGHTLY_TOPIC, nightlyHandler, startRetentionJob } from './jobs.js';
import { monthsBefore } from './queries/policies.js';
import {
  aBooking,
  aCase,
  aMessage,
  aNotification,
  anEvidenceRequest,
  anIdentityCheck,
  aSubjectAccessRequest,
  aPayment,
  aPerson,
  aSubmission,
  organisationId,
} from './test/records.js';

let database: DatabaseHandle;
const db = () => database.db;
const TYPES: RetentionRecordType[] = MODULES.flatMap((module) => module.retention ?? []);
const type = (key: string) => TYPES.find((t) => t.key === key)!;
/** The run's time: every clock below is set relative to it, never to the real time. */
const NOW = new Date('2032-03-15T02:00:00.000Z');
const ACTOR = { userId: null, organisationId: null, role: 'test' };
let stroud: string;
let cheltenham: string;
let runs = 0;
const run = (options: Partial<Parameters<typeof runRetention>[2]> = {}, types = TYPES) =>
  runRetention(db(), types, { now: NOW, runKey: `test:${++runs}`, ...options });
const ago = (months: number, ms = 0) => new Date(monthsBefore(NOW, months).getTime() + ms);

beforeAll(async () => {
  database = await freshDatabase({ seeded: true });
  stroud = await organisationId(db(), 'stroud');
  cheltenham = await organisationId(db(), 'cheltenham');
});
afterAll(async () => {
  await database?.close();
});

async function exists(
  table: 'submissions' | 'inbox_messages' | 'bookings' | 'notify_notifications',
  id: string,
) {
  return !!(await db().selectFrom(table).select('id').where('id', '=', id).executeTakeFirst());
}
async function anonymised(table: 'submissions' | 'cases', id: string) {
  const row = await db()
    .selectFrom(table)
    .select('anonymised_at')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.anonymised_at !== null;
}
const admin = (org: string) => aStaffMember(org, ['admin'], { id: undefined as never });
async function hold(input: Partial<HoldInput>) {
  const outcome = await db()
    .transaction()
    .execute((trx) =>
      placeLegalHold(
        trx,
        { ...admin(stroud), id: (input as { by?: string }).by ?? adminId },
        TYPES,
        {
          organisationId: stroud,
          subject: 'record',
          email: '',
          recordType: '',
          identifier: '',
          reason: 'Court case 123',
          endDay: '',
          endMonth: '',
          endYear: '',
          ...input,
        },
        ACTOR,
        NOW,
      ),
    );
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
  return outcome.holdId;
}
let adminId: string;
beforeEach(async () => {
  adminId ??= await aPerson(db());
});

describe('what is due', () => {
  it('an application decided exactly the period ago is anonymised; one a millisecond later is not yet', async () => {
    const person = await aPerson(db());
    const due = await aSubmission(db(), stroud, person, ago(72));
    const notYet = await aSubmission(db(), stroud, person, ago(72, 1));
    await run();
    expect(await anonymised('submissions', due.id)).toBe(true);
    expect(await anonymised('submissions', notYet.id)).toBe(false);
    // A millisecond later its time has come too.
    await runRetention(db(), TYPES, { now: new Date(NOW.getTime() + 1), runKey: 'later' });
    expect(await anonymised('submissions', notYet.id)).toBe(true);
  });

  it('a body’s own period overrides the default, for that body only', async () => {
    const person = await aPerson(db());
    const stroudMessage = await aMessage(db(), stroud, person, ago(7));
    const cheltenhamMessage = await aMessage(db(), cheltenham, person, ago(7));
    await run();
    expect(await exists('inbox_messages', stroudMessage)).toBe(true);
    const set = await db()
      .transaction()
      .execute((trx) =>
        setRetentionPolicy(
          trx,
          { ...admin(stroud), id: adminId },
          TYPES,
          {
            organisationId: stroud,
            recordType: 'inbox-message',
            periodMonths: '6',
            action: 'delete',
          },
          ACTOR,
          NOW,
        ),
      );
    expect(set.ok).toBe(true);
    const report = await run();
    expect(await exists('inbox_messages', stroudMessage)).toBe(false);
    expect(await exists('inbox_messages', cheltenhamMessage)).toBe(true);
    expect(report.lines).toContainEqual(
      expect.objectContaining({
        organisationSlug: 'stroud',
        recordType: 'inbox-message',
        count: 1,
      }),
    );
    await db().deleteFrom('retention_policies').execute();
  });
});

describe('legal holds', () => {
  it('a hold on a person protects every record about them until it is lifted', async () => {
    const email = `held-${Date.now()}@example.com`;
    const person = await aPerson(db(), email);
    const submission = await aSubmission(db(), stroud, person, ago(100));
    const kase = await aCase(db(), stroud, person, ago(100), cheltenham);
    const message = await aMessage(db(), stroud, person, ago(100));
    const payment = await aPayment(db(), stroud, email.toUpperCase(), ago(100));
    const booking = await aBooking(db(), stroud, person, email, ago(100));
    const holdId = await hold({ subject: 'person', email });
    await run();
    expect(await anonymised('submissions', submission.id)).toBe(false);
    expect(await anonymised('cases', kase.id)).toBe(false);
    expect(await exists('inbox_messages', message)).toBe(true);
    expect(await exists('bookings', booking.id)).toBe(true);
    const paid = await db()
      .selectFrom('payments')
      .select('email')
      .where('id', '=', payment.id)
      .executeTakeFirstOrThrow();
    expect(paid.email).toBe(email.toUpperCase());

    const lifted = await db()
      .transaction()
      .execute((trx) =>
        liftLegalHold(
          trx,
          { ...admin(stroud), id: adminId },
          { organisationId: stroud, holdId },
          ACTOR,
          NOW,
        ),
      );
    expect(lifted).toBe(true);
    await run();
    expect(await anonymised('submissions', submission.id)).toBe(true);
    expect(await anonymised('cases', kase.id)).toBe(true);
    expect(await exists('inbox_messages', message)).toBe(false);
    expect(await exists('bookings', booking.id)).toBe(false);
    const after = await db()
      .selectFrom('payments')
      .select('email')
      .where('id', '=', payment.id)
      .executeTakeFirstOrThrow();
    expect(after.email).toBeNull();
    const audit = await db()
      .selectFrom('audit_log')
      .select(['action', 'subject_user_id'])
      .where('resource_id', '=', holdId)
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      { action: 'retention.hold.placed', subject_user_id: person },
      { action: 'retention.hold.lifted', subject_user_id: person },
    ]);
  });

  it('a hold on one record protects it and not its neighbours; one that has ended protects nothing', async () => {
    const person = await aPerson(db());
    const held = await aBooking(db(), stroud, person, 'a@example.com', ago(30));
    const other = await aBooking(db(), stroud, person, 'a@example.com', ago(30));
    const holdId = await hold({
      subject: 'record',
      recordType: 'booking',
      identifier: held.reference.toLowerCase(),
    });
    await run();
    expect(await exists('bookings', held.id)).toBe(true);
    expect(await exists('bookings', other.id)).toBe(false);
    // The hold reaches its end date: the record is due again.
    await db().updateTable('legal_holds').set({ ends_at: NOW }).where('id', '=', holdId).execute();
    await run();
    expect(await exists('bookings', held.id)).toBe(false);
  });

  it('a hold on an application also holds its case and the messages about it', async () => {
    const person = await aPerson(db());
    const application = await aSubmission(db(), stroud, person, ago(100));
    const kase = await aCase(db(), stroud, person, ago(100), cheltenham, application.reference);
    const about = await aMessage(db(), stroud, person, ago(100), application.reference);
    const unrelated = await aMessage(db(), stroud, person, ago(100));
    const holdId = await hold({
      subject: 'record',
      recordType: 'submission',
      identifier: ` ${application.reference.toLowerCase()} `,
    });
    await run();
    expect(await anonymised('submissions', application.id)).toBe(false);
    expect(await anonymised('cases', kase.id)).toBe(false);
    expect(await exists('inbox_messages', about)).toBe(true);
    expect(await exists('inbox_messages', unrelated)).toBe(false);
    await db()
      .transaction()
      .execute((trx) =>
        liftLegalHold(
          trx,
          { ...admin(stroud), id: adminId },
          { organisationId: stroud, holdId },
          ACTOR,
          NOW,
        ),
      );
    await run();
    expect(await anonymised('submissions', application.id)).toBe(true);
    expect(await anonymised('cases', kase.id)).toBe(true);
    expect(await exists('inbox_messages', about)).toBe(false);
  });

  it('a hold needs a record of this body, a reason and a future end date', async () => {
    const person = await aPerson(db());
    const theirs = await aBooking(db(), cheltenham, person, 'b@example.com', ago(1));
    const outcome = await db()
      .transaction()
      .execute((trx) =>
        placeLegalHold(
          trx,
          { ...admin(stroud), id: adminId },
          TYPES,
          {
            organisationId: stroud,
            subject: 'record',
            email: '',
            recordType: 'booking',
            identifier: theirs.reference,
            reason: ' ',
            endDay: '1',
            endMonth: '1',
            endYear: '2030',
          },
          ACTOR,
          NOW,
        ),
      );
    expect(outcome).toEqual({
      ok: false,
      errors: [
        { field: 'identifier', message: 'retention.errors.identifierUnknown' },
        { field: 'reason', message: 'retention.errors.reasonRequired' },
        { field: 'endDay', message: 'retention.errors.endInPast' },
      ],
    });
    expect(
      await db()
        .selectFrom('legal_holds')
        .select('id')
        .where('record_id', '=', theirs.id)
        .execute(),
    ).toEqual([]);
  });
});

describe('anonymising', () => {
  it('keeps exactly the columns statistics and accounts need and removes the personal ones', async () => {
    const person = await aPerson(db());
    const submission = await aSubmission(db(), stroud, person, ago(80));
    const kase = await aCase(db(), stroud, person, ago(80), cheltenham);
    const payment = await aPayment(db(), stroud, 'payer@example.com', ago(90));
    const before = await db()
      .selectFrom('submissions')
      .selectAll()
      .where('id', '=', submission.id)
      .executeTakeFirstOrThrow();
    const paymentBefore = await db()
      .selectFrom('payments')
      .selectAll()
      .where('id', '=', payment.id)
      .executeTakeFirstOrThrow();
    await run();

    const after = await db()
      .selectFrom('submissions')
      .selectAll()
      .where('id', '=', submission.id)
      .executeTakeFirstOrThrow();
    expect(after).toEqual({
      ...before,
      answers: { values: {}, summary: { en: [], cy: [] } },
      applicant_user_id: null,
      submitted_by_user_id: null,
      applicant: null,
      on_behalf_of: null,
      applicant_business_id: null,
      applicant_business: null,
      anonymised_at: NOW,
    });
    const events = await db()
      .selectFrom('submission_events')
      .select(['status', 'details', 'actor_user_id', 'actor_organisation_id'])
      .where('submission_id', '=', submission.id)
      .execute();
    expect(events).toEqual([
      { status: 'approved', details: {}, actor_user_id: null, actor_organisation_id: stroud },
    ]);
    expect(
      await db()
        .selectFrom('attachments')
        .select('id')
        .where('id', '=', submission.attachmentId)
        .execute(),
    ).toEqual([]);
    const files = await db()
      .selectFrom('outbox')
      .select('payload')
      .where('topic', '=', 'attachments.delete-files')
      .execute();
    expect(files.some((f) => (f.payload.keys as string[]).includes(submission.storageKey))).toBe(
      true,
    );

    const caseRow = await db()
      .selectFrom('cases')
      .selectAll()
      .where('id', '=', kase.id)
      .executeTakeFirstOrThrow();
    expect(caseRow).toMatchObject({
      applicant_user_id: null,
      applicant_name: null,
      location: null,
      anonymised_at: NOW,
      reference: kase.reference,
      state: 'closed',
      organisation_id: stroud,
    });
    const caseEvents = await db()
      .selectFrom('case_events')
      .select(['kind', 'comment', 'documents', 'details'])
      .where('case_id', '=', kase.id)
      .execute();
    expect(caseEvents).toEqual([{ kind: 'message', comment: null, documents: [], details: {} }]);
    expect(
      await db().selectFrom('case_notes').select('id').where('case_id', '=', kase.id).execute(),
    ).toEqual([]);
    const question = await db()
      .selectFrom('information_requests')
      .select(['question', 'answer', 'attachment_ids'])
      .where('case_id', '=', kase.id)
      .executeTakeFirstOrThrow();
    expect(question).toEqual({ question: '-', answer: null, attachment_ids: [] });
    const referral = await db()
      .selectFrom('case_referrals')
      .select(['reason', 'response', 'consent', 'status'])
      .where('case_id', '=', kase.id)
      .executeTakeFirstOrThrow();
    expect(referral).toEqual({
      reason: '-',
      response: null,
      consent: { how: 'phone', recordedBy: 'x', recordedAt: ago(80).toISOString() },
      status: 'declined',
    });

    const paymentAfter = await db()
      .selectFrom('payments')
      .selectAll()
      .where('id', '=', payment.id)
      .executeTakeFirstOrThrow();
    expect(paymentAfter).toEqual({
      ...paymentBefore,
      email: null,
      cardholder_name: null,
      card_last_four: null,
      card_expiry: null,
      metadata: null,
    });
  });
});

describe('the run', () => {
  // Each test starts with nothing due, whatever the tests before it left.
  beforeEach(async () => {
    await run();
  });

  it('is idempotent: running it again, under the same name or a new one, changes and counts nothing more', async () => {
    const person = await aPerson(db());
    for (let i = 0; i < 3; i++) await aMessage(db(), cheltenham, person, ago(25));
    const first = await runRetention(db(), TYPES, { now: NOW, runKey: 'idem' });
    const counted = await db()
      .selectFrom('retention_run_counts')
      .selectAll()
      .where('run_id', '=', first.runId!)
      .execute();
    expect(counted).toEqual([
      {
        run_id: first.runId,
        organisation_id: cheltenham,
        record_type: 'inbox-message',
        action: 'delete',
        count: 3,
      },
    ]);
    const audits = async () =>
      (
        await db()
          .selectFrom('audit_log')
          .select('id')
          .where('action', '=', BATCH_AUDIT_ACTION)
          .execute()
      ).length;
    const auditsBefore = await audits();
    const again = await runRetention(db(), TYPES, { now: NOW, runKey: 'idem' });
    expect(again.runId).toBe(first.runId);
    expect(again.lines).toEqual([]);
    expect((await run()).lines).toEqual([]);
    expect(
      await db()
        .selectFrom('retention_run_counts')
        .selectAll()
        .where('run_id', '=', first.runId!)
        .execute(),
    ).toEqual(counted);
    expect(await audits()).toBe(auditsBefore);
  });

  it('after a crash mid-way, running it again finishes the rest and counts each record once', async () => {
    const person = await aPerson(db());
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await aSubmission(db(), cheltenham, person, ago(73, -i))).id);
    let batches = 0;
    const crashing: RetentionRecordType = {
      ...type('submission'),
      async dispose(trx, action, list, now) {
        if (++batches === 2) {
          // Changes made in the failing batch must be rolled back with it.
          await type('submission').dispose(trx, action, list, now);
          throw new Error('the node died');
        }
        return type('submission').dispose(trx, action, list, now);
      },
    };
    await expect(
      runRetention(db(), [crashing], { now: NOW, runKey: 'crash', batchSize: 2 }),
    ).rejects.toThrow('the node died');
    const done = async () => {
      const rows = await db()
        .selectFrom('submissions')
        .select('anonymised_at')
        .where('id', 'in', ids)
        .execute();
      return rows.filter((row) => row.anonymised_at).length;
    };
    expect(await done()).toBe(2);
    const resumed = await runRetention(db(), TYPES, {
      now: new Date(NOW.getTime() + 60_000),
      runKey: 'crash',
      batchSize: 2,
    });
    expect(resumed.asOf).toEqual(NOW);
    expect(await done()).toBe(5);
    const counts = await db()
      .selectFrom('retention_run_counts')
      .select(['record_type', 'count'])
      .where('run_id', '=', resumed.runId!)
      .execute();
    expect(counts).toEqual([{ record_type: 'submission', count: 5 }]);
    const audit = await db()
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', BATCH_AUDIT_ACTION)
      .where('resource_id', '=', resumed.runId!)
      .execute();
    expect(audit.map((a) => a.details.count)).toEqual([2, 2, 1]);
    expect(audit.flatMap((a) => a.details.recordIds as string[]).sort()).toEqual([...ids].sort());
  });

  it('two workers running at once never handle the same record twice', async () => {
    const person = await aPerson(db());
    const ids: string[] = [];
    for (let i = 0; i < 24; i++) ids.push(await aMessage(db(), cheltenham, person, ago(30, i)));
    const options = { now: NOW, runKey: 'together', batchSize: 4 };
    const [a, b] = await Promise.all([
      runRetention(db(), TYPES, options),
      runRetention(db(), TYPES, options),
    ]);
    const sum = (lines: typeof a.lines) => lines.reduce((total, line) => total + line.count, 0);
    expect(sum(a.lines) + sum(b.lines)).toBe(24);
    const counts = await db()
      .selectFrom('retention_run_counts')
      .select('count')
      .where('run_id', '=', a.runId!)
      .execute();
    expect(counts).toEqual([{ count: 24 }]);
    const audit = await db()
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', BATCH_AUDIT_ACTION)
      .where('resource_id', '=', a.runId!)
      .execute();
    const handled = audit.flatMap((entry) => entry.details.recordIds as string[]);
    expect(handled.sort()).toEqual([...ids].sort());
    expect(
      await db().selectFrom('inbox_messages').select('id').where('id', 'in', ids).execute(),
    ).toEqual([]);
  });

  it('a dry run reports what is due and changes nothing', async () => {
    const person = await aPerson(db());
    const message = await aMessage(db(), cheltenham, person, ago(25));
    const submission = await aSubmission(db(), cheltenham, person, ago(75));
    const state = async () => ({
      runs: await db().selectFrom('retention_runs').select('id').execute(),
      audit: (await db().selectFrom('audit_log').select('id').execute()).length,
      outbox: (await db().selectFrom('outbox').select('id').execute()).length,
    });
    const before = await state();
    const cli = await retentionRunCommand(db(), TYPES, ['--dry-run'], NOW);
    expect(cli.code).toBe(0);
    expect(cli.out).toContain('cheltenham\tinbox-message\tdelete\t1\twould');
    expect(cli.out).toContain('cheltenham\tsubmission\tanonymise\t1\twould');
    expect(cli.out.at(-1)).toMatch(/^Dry run as of 2032-03-15T02:00:00.000Z: 2 records would be/);
    expect(await state()).toEqual(before);
    expect(await exists('inbox_messages', message)).toBe(true);
    expect(await anonymised('submissions', submission.id)).toBe(false);
    // Without --dry-run the same command does it.
    const real = await retentionRunCommand(db(), TYPES, [], NOW);
    expect(real.out).toContain('cheltenham\tinbox-message\tdelete\t1\tdone');
    expect(await exists('inbox_messages', message)).toBe(false);
    expect((await retentionRunCommand(db(), TYPES, ['--bogus'], NOW)).code).toBe(64);
  });
});

describe('the nightly job', () => {
  it('is queued once for 2am however many nodes start, runs, and queues the next night', async () => {
    const start = new Date('2032-03-15T12:00:00.000Z');
    await startRetentionJob(db(), start);
    await startRetentionJob(db(), start);
    const queued = await db()
      .selectFrom('outbox')
      .selectAll()
      .where('topic', '=', NIGHTLY_TOPIC)
      .execute();
    expect(queued.map((m) => [m.idempotency_key, m.available_at.toISOString()])).toEqual([
      [`${NIGHTLY_TOPIC}:2032-03-16`, '2032-03-16T02:00:00.000Z'],
    ]);
    const person = await aPerson(db());
    const message = await aMessage(db(), cheltenham, person, new Date('2030-01-01T00:00:00Z'));
    const context = { retentionRecordTypes: () => TYPES } as never;
    const at = new Date('2032-03-16T02:00:05.000Z');
    const logged: unknown[] = [];
    const logger = { info: (value: unknown) => logged.push(value) } as never;
    await nightlyHandler(context, () => at)(
      { date: '2032-03-16' },
      { db: db(), idempotencyKey: 'k', attempt: 1, logger },
    );
    expect(await exists('inbox_messages', message)).toBe(false);
    const runRow = await db()
      .selectFrom('retention_runs')
      .selectAll()
      .where('run_key', '=', 'nightly:2032-03-16')
      .executeTakeFirstOrThrow();
    expect(runRow.finished_at).toEqual(at);
    const next = await db()
      .selectFrom('outbox')
      .select('idempotency_key')
      .where('topic', '=', NIGHTLY_TOPIC)
      .orderBy('id')
      .execute();
    expect(next.map((m) => m.idempotency_key)).toEqual([
      `${NIGHTLY_TOPIC}:2032-03-16`,
      `${NIGHTLY_TOPIC}:2032-03-17`,
    ]);
  });
});

describe('the nightly job on several nodes', () => {
  it('two nodes’ outbox workers draining at once run a night once', async () => {
    await run();
    const person = await aPerson(db());
    for (let i = 0; i < 10; i++) await aMessage(db(), cheltenham, person, ago(40, i));
    await enqueue(db(), {
      topic: NIGHTLY_TOPIC,
      payload: { date: '2026-01-01' },
      idempotencyKey: `${NIGHTLY_TOPIC}:2026-01-01`,
      availableAt: new Date('2026-01-01T02:00:00Z'),
    });
    const context = { retentionRecordTypes: () => TYPES } as never;
    let handled = 0;
    const counting = nightlyHandler(context, () => NOW);
    const node = () =>
      new OutboxWorker(
        db(),
        new Map([
          [
            NIGHTLY_TOPIC,
            async (...args: Parameters<typeof counting>) => {
              handled++;
              await counting(...args);
            },
          ],
        ]),
        pino({ level: 'silent' }),
        { pollMs: 50, maxAttempts: 3, batchSize: 5 },
      );
    await Promise.all([node().drain(), node().drain()]);
    expect(handled).toBe(1);
    const message = await db()
      .selectFrom('outbox')
      .select(['status', 'attempts'])
      .where('idempotency_key', '=', `${NIGHTLY_TOPIC}:2026-01-01`)
      .executeTakeFirstOrThrow();
    expect(message).toEqual({ status: 'done', attempts: 1 });
    const night = await db()
      .selectFrom('retention_runs')
      .select('id')
      .where('run_key', '=', 'nightly:2026-01-01')
      .execute();
    expect(night).toHaveLength(1);
    const counts = await db()
      .selectFrom('retention_run_counts')
      .select(['record_type', 'count'])
      .where('run_id', '=', night[0]!.id)
      .execute();
    expect(counts).toEqual([{ record_type: 'inbox-message', count: 10 }]);
  });
});

describe('who may', () => {
  const input = {
    organisationId: '',
    recordType: 'case',
    periodMonths: '100',
    action: 'anonymise',
  };
  it('another body’s admin and the body’s caseworker may not set its policies or holds', async () => {
    for (const user of [admin(cheltenham), aStaffMember(stroud, ['caseworker'])]) {
      await expect(
        db()
          .transaction()
          .execute((trx) =>
            setRetentionPolicy(trx, user, TYPES, { ...input, organisationId: stroud }, ACTOR),
          ),
      ).rejects.toMatchObject({ status: 404 });
      await expect(
        db()
          .transaction()
          .execute((trx) =>
            placeLegalHold(
              trx,
              user,
              TYPES,
              {
                organisationId: stroud,
                subject: 'person',
                email: 'x@example.com',
                recordType: '',
                identifier: '',
                reason: 'r',
                endDay: '',
                endMonth: '',
                endYear: '',
              },
              ACTOR,
            ),
          ),
      ).rejects.toMatchObject({ status: 404 });
    }
    expect(await db().selectFrom('retention_policies').selectAll().execute()).toEqual([]);
  });

  it('the body’s admin is held to the record type’s legal bounds and actions', async () => {
    const outcome = await db()
      .transaction()
      .execute((trx) =>
        setRetentionPolicy(
          trx,
          { ...admin(stroud), id: adminId },
          TYPES,
          { ...input, organisationId: stroud, periodMonths: '6', action: 'delete' },
          ACTOR,
        ),
      );
    expect(outcome).toEqual({
      ok: false,
      errors: [
        { field: 'periodMonths', message: 'retention.errors.periodRange' },
        { field: 'action', message: 'retention.errors.actionRequired' },
      ],
    });
  });
});

describe('notifications', () => {
  it('a finished one sent exactly the period ago is deleted; a later one, or one still being sent, is not', async () => {
    const due = await aNotification(db(), stroud, ago(3));
    const notYet = await aNotification(db(), stroud, ago(3, 1));
    const sending = await aNotification(db(), stroud, ago(30), { status: 'sending' });
    const failed = await aNotification(db(), cheltenham, ago(4), { status: 'permanent-failure' });
    const report = await run({}, [type('notification')]);
    expect(await exists('notify_notifications', due)).toBe(false);
    expect(await exists('notify_notifications', failed)).toBe(false);
    expect(await exists('notify_notifications', notYet)).toBe(true);
    expect(await exists('notify_notifications', sending)).toBe(true);
    expect(report.lines).toContainEqual(
      expect.objectContaining({ organisationSlug: 'cheltenham', recordType: 'notification' }),
    );
  });

  it('a hold on a person keeps the e-mails to their address and the texts to their mobile', async () => {
    const email = `held-n-${Date.now()}@example.com`;
    const person = await aPerson(db(), email);
    await db()
      .updateTable('users')
      .set({ phone: '07700900123' })
      .where('id', '=', person)
      .execute();
    const mail = await aNotification(db(), stroud, ago(12), { recipient: email.toUpperCase() });
    const text = await aNotification(db(), stroud, ago(12), { recipient: '07700900123' });
    const someoneElse = await aNotification(db(), stroud, ago(12));
    await hold({ subject: 'person', email });
    await run({}, [type('notification')]);
    expect(await exists('notify_notifications', mail)).toBe(true);
    expect(await exists('notify_notifications', text)).toBe(true);
    expect(await exists('notify_notifications', someoneElse)).toBe(false);
  });

  it('a hold on one notification (by its id) or on the application it is about keeps it', async () => {
    const person = await aPerson(db());
    const submission = await aSubmission(db(), stroud, person, ago(1));
    const aboutIt = await aNotification(db(), stroud, ago(12), {
      reference: submission.reference,
    });
    const held = await aNotification(db(), stroud, ago(12));
    const neighbour = await aNotification(db(), stroud, ago(12));
    await hold({ recordType: 'submission', identifier: submission.reference });
    await hold({ recordType: 'notification', identifier: held.toUpperCase() });
    await run({}, [type('notification')]);
    expect(await exists('notify_notifications', aboutIt)).toBe(true);
    expect(await exists('notify_notifications', held)).toBe(true);
    expect(await exists('notify_notifications', neighbour)).toBe(false);
    // Another body's notification is not this body's to hold.
    const theirs = await aNotification(db(), cheltenham, ago(1));
    await expect(hold({ recordType: 'notification', identifier: theirs })).rejects.toThrow(
      /identifier/,
    );
  });
});

describe('evidence requests', () => {
  const request = (id: string) =>
    db().selectFrom('evidence_requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('the requesting body’s check is anonymised once it ended the period ago: who, what was sent and the answer go', async () => {
    const person = await aPerson(db());
    const answered = await anEvidenceRequest(db(), stroud, cheltenham, person, ago(24));
    const unanswered = await anEvidenceRequest(db(), stroud, cheltenham, person, ago(24), 'sent');
    const notYet = await anEvidenceRequest(db(), stroud, cheltenham, person, ago(24, 1));
    // Cheltenham answered it; the record is Stroud's, so Cheltenham's period is not the one.
    const asked = await anEvidenceRequest(db(), cheltenham, stroud, person, ago(23));
    await run({}, [type('evidence-request')]);
    for (const id of [answered, unanswered]) {
      const row = await request(id);
      expect(row.subject).toEqual({});
      expect(row).toMatchObject({
        user_id: null,
        subject_key: '',
        subject_digest: '',
        answer: null,
        signature: null,
        anonymised_at: NOW,
        // What the exchange's statistics need stays.
        requesting_organisation_id: stroud,
        answering_organisation_id: cheltenham,
        consent: 'not-needed',
        journey_key: 'free-school-meals:benefit',
      });
    }
    expect((await request(answered)).status).toBe('answered');
    expect((await request(notYet)).user_id).toBe(person);
    expect((await request(asked)).user_id).toBe(person);
    // Anonymised once: the next run finds nothing more to do with them.
    const again = await run({}, [type('evidence-request')]);
    expect(again.lines.filter((line) => line.recordType === 'evidence-request')).toEqual([]);
  });

  it('a hold on the person, or on the request by its id, keeps it', async () => {
    const email = `held-e-${Date.now()}@example.com`;
    const person = await aPerson(db(), email);
    const other = await aPerson(db());
    const theirs = await anEvidenceRequest(db(), stroud, cheltenham, person, ago(30));
    const held = await anEvidenceRequest(db(), stroud, cheltenham, other, ago(30));
    const neighbour = await anEvidenceRequest(db(), stroud, cheltenham, other, ago(30));
    await hold({ subject: 'person', email });
    await hold({ recordType: 'evidence-request', identifier: held });
    await run({}, [type('evidence-request')]);
    expect((await request(theirs)).anonymised_at).toBeNull();
    expect((await request(held)).anonymised_at).toBeNull();
    expect((await request(neighbour)).anonymised_at).toEqual(NOW);
  });
});

describe('contact centres’ identity checks', () => {
  const exists = async (id: string) =>
    !!(await db()
      .selectFrom('crm_identity_checks')
      .select('id')
      .where('id', '=', id)
      .executeTakeFirst());

  it('are deleted 24 months after the check unless the customer is held', async () => {
    const adviser = await aPerson(db());
    const email = `held-c-${Date.now()}@example.com`;
    const held = await aPerson(db(), email);
    const customer = await aPerson(db());
    const due = await anIdentityCheck(db(), stroud, adviser, customer, ago(24));
    const notYet = await anIdentityCheck(db(), stroud, adviser, customer, ago(24, 1));
    const ofHeld = await anIdentityCheck(db(), stroud, adviser, held, ago(30));
    await hold({ subject: 'person', email });
    await run({}, [type('crm-identity-check')]);
    expect(await exists(due)).toBe(false);
    expect(await exists(notYet)).toBe(true);
    expect(await exists(ofHeld)).toBe(true);
  });
});

describe('subject access requests', () => {
  const exists = async (id: string) =>
    !!(await db()
      .selectFrom('subject_access_requests')
      .select('id')
      .where('id', '=', id)
      .executeTakeFirst());

  it('are deleted 2 years after the answer; one not answered, or held by its reference, stays', async () => {
    const person = await aPerson(db());
    const other = await aPerson(db());
    const answered = await aSubjectAccessRequest(db(), stroud, person, ago(24));
    const notYet = await aSubjectAccessRequest(db(), stroud, other, ago(24, 1));
    const open = await aSubjectAccessRequest(db(), stroud, person, null);
    const held = await aSubjectAccessRequest(db(), stroud, other, ago(40));
    // Held by its reference as typed; another body's request is not this body's to hold.
    await hold({ recordType: 'subject-access-request', identifier: held.reference.toLowerCase() });
    const theirs = await aSubjectAccessRequest(db(), cheltenham, other, ago(40));
    await expect(
      hold({ recordType: 'subject-access-request', identifier: theirs.reference }),
    ).rejects.toThrow(/identifier/);
    const report = await run({}, [type('subject-access-request')]);
    expect(await exists(answered.id)).toBe(false);
    expect(await exists(notYet.id)).toBe(true);
    expect(await exists(open.id)).toBe(true);
    expect(await exists(held.id)).toBe(true);
    expect(await exists(theirs.id)).toBe(false);
    expect(report.lines).toContainEqual(
      expect.objectContaining({ organisationSlug: 'stroud', recordType: 'subject-access-request' }),
    );
  });
});
