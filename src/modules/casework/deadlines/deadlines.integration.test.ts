import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueue } from '../../../platform/outbox/outbox.js';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { mailsTo } from '../../../../test/helpers/outbox.js';
import { createStaffUser } from '../../identity/index.js';
import { findOrganisationBySlug } from '../../organisations/index.js';
import { pauseClock } from '../commands/clock.js';
import { openCase } from '../commands/open.js';
import type { CaseRow } from '../db/tables.js';
import { londonDate } from '../../../platform/time/london.js';
import { sendDigest } from './digest.js';
import { escalateOverdue } from './escalate.js';
import { DIGEST_TOPIC, startDeadlineJobs, SWEEP_TOPIC } from './jobs.js';
import { digestTime, nextDigestDate, nextSweepSlot, sweepSlot } from './schedule.js';
import { bothLanguages } from './words.js';

const STROUD_LEADER = 'team-leader@stroud.example.gov.uk';
const CHELTENHAM_LEADER = 'leader@cheltenham.example.gov.uk';
const DAY = 86_400_000;

let app: TestApp;
const db = () => app.platform.database.db;
const config = { baseUrl: 'https://joinedup.example' };
const cases = {} as Record<'overdue' | 'paused' | 'running' | 'closed' | 'other', CaseRow>;
/** Enough overdue cases at a body without team leaders that two sweeps overlap. */
const MANY = 30;
let county: string;

async function serviceOf(organisationId: string): Promise<string> {
  const row = await db()
    .selectFrom('services')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('status', '=', 'published')
    .orderBy('slug')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A case opened `daysAgo` days ago (its five-working-day limit long past when that is 30). */
async function caseOpened(reference: string, organisationId: string, daysAgo: number) {
  const serviceId = await serviceOf(organisationId);
  const opened = new Date(Date.now() - daysAgo * DAY);
  const row = await db()
    .transaction()
    .execute((trx) => openCase(trx, { reference, organisationId, serviceId }, opened));
  return row!;
}

async function escalations(caseId: string) {
  return db()
    .selectFrom('case_events')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('kind', '=', 'escalated')
    .execute();
}

beforeAll(async () => {
  app = await startTestApp();
  const stroud = (await findOrganisationBySlug(db(), 'stroud'))!.id;
  const cheltenham = (await findOrganisationBySlug(db(), 'cheltenham'))!.id;
  const leader = await createStaffUser(db(), {
    email: CHELTENHAM_LEADER,
    password: 'a long enough password for tests',
    displayName: 'Cheltenham Leader',
    organisationId: cheltenham,
    roles: ['caseworker', 'team-leader'],
  });
  if (!leader.ok) throw new Error(JSON.stringify(leader.errors));

  cases.overdue = await caseOpened('DL-OVERDUE', stroud, 30);
  cases.paused = await caseOpened('DL-PAUSED', stroud, 30);
  cases.paused = await db()
    .transaction()
    .execute((trx) => pauseClock(trx, cases.paused, new Date(Date.now() - 29 * DAY)));
  cases.running = await caseOpened('DL-RUNNING', stroud, 0);
  cases.closed = await caseOpened('DL-CLOSED', stroud, 30);
  await db()
    .updateTable('cases')
    .set({ closed_at: new Date() })
    .where('id', '=', cases.closed.id)
    .execute();
  cases.other = await caseOpened('DL-OTHER', cheltenham, 30);
  county = (await findOrganisationBySlug(db(), 'gloucestershire'))!.id;
  const countyService = await serviceOf(county);
  const opened = new Date(Date.now() - 30 * DAY);
  await db()
    .transaction()
    .execute(async (trx) => {
      for (let i = 0; i < MANY; i++)
        await openCase(
          trx,
          { reference: `DL-COUNTY-${i}`, organisationId: county, serviceId: countyService },
          opened,
        );
    });
  // Starting the app and opening the cases can take long on a busy machine.
}, 180_000);

afterAll(async () => {
  await app?.close();
});

describe('escalation', () => {
  it('escalates a case past its time limit once, even when two sweeps run at once', async () => {
    const t = await bothLanguages();
    const now = new Date();
    const [first, second] = await Promise.all([
      escalateOverdue(db(), config, t, now),
      escalateOverdue(db(), config, t, now),
    ]);
    expect(first + second).toBe(2 + MANY);
    expect(await escalations(cases.overdue.id)).toHaveLength(1);
    expect(await escalations(cases.other.id)).toHaveLength(1);
    const perCase = await db()
      .selectFrom('case_events')
      .innerJoin('cases', 'cases.id', 'case_events.case_id')
      .select((eb) => ['cases.reference', eb.fn.countAll<string>().as('count')])
      .where('cases.organisation_id', '=', county)
      .where('case_events.kind', '=', 'escalated')
      .groupBy('cases.reference')
      .execute();
    expect(perCase).toHaveLength(MANY);
    expect(perCase.every((row) => Number(row.count) === 1)).toBe(true);
    expect(await escalateOverdue(db(), config, t, new Date())).toBe(0);

    const row = await db()
      .selectFrom('cases')
      .select('escalated_at')
      .where('id', '=', cases.overdue.id)
      .executeTakeFirstOrThrow();
    expect(row.escalated_at?.getTime()).toBe(now.getTime());
    const audit = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('resource_id', '=', cases.overdue.id)
      .where('action', '=', 'case.escalated')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('e-mails each team leader of the case’s body, in English and Welsh, once', async () => {
    const stroudMails = (await mailsTo(db(), STROUD_LEADER)).filter((m) =>
      m.subject.startsWith('Overdue'),
    );
    expect(stroudMails).toHaveLength(1);
    expect(stroudMails[0]!.subject).toContain('DL-OVERDUE');
    expect(stroudMails[0]!.subject).toContain('Yn hwyr: achos DL-OVERDUE');
    expect(stroudMails[0]!.text).toContain('Stage: Received');
    expect(stroudMails[0]!.text).toContain('Cam: Wedi dod i law');
    expect(stroudMails[0]!.text).toContain('Assigned to: Not assigned');
    expect(stroudMails[0]!.text).toContain('https://joinedup.example/casework/DL-OVERDUE');
    const cheltenhamMails = await mailsTo(db(), CHELTENHAM_LEADER);
    expect(cheltenhamMails.map((m) => m.subject).join()).toContain('DL-OTHER');
    expect(cheltenhamMails.map((m) => m.subject).join()).not.toContain('DL-OVERDUE');
  });

  it('leaves a paused, a running and a closed case alone', async () => {
    for (const row of [cases.paused, cases.running, cases.closed]) {
      expect(await escalations(row.id)).toHaveLength(0);
      const now = await db()
        .selectFrom('cases')
        .select('escalated_at')
        .where('id', '=', row.id)
        .executeTakeFirstOrThrow();
      expect(now.escalated_at).toBeNull();
    }
  });
});

describe('the daily digest', () => {
  it('lists only the body’s overdue cases, escalated or not, to its team leaders', async () => {
    const t = await bothLanguages();
    const now = new Date();
    const queued = await sendDigest(db(), config, t, '2026-06-01', now);
    expect(queued).toBe(2);
    const digest = (await mailsTo(db(), STROUD_LEADER)).find((m) =>
      m.subject.includes('overdue case'),
    );
    expect(digest?.subject).toMatch(
      /^1 overdue case at Stroud District Council on 1 June 2026 \/ 1 achos hwyr/,
    );
    expect(digest?.text).toMatch(
      /DL-OVERDUE – .+ – Received – \d+ working days overdue – Not assigned/,
    );
    expect(digest?.text).toMatch(
      /DL-OVERDUE – .+ – Wedi dod i law – \d+ diwrnod gwaith yn hwyr – Heb ei neilltuo/,
    );
    for (const other of ['DL-PAUSED', 'DL-RUNNING', 'DL-CLOSED', 'DL-OTHER'])
      expect(digest?.text).not.toContain(other);
    const cheltenham = (await mailsTo(db(), CHELTENHAM_LEADER)).find((m) =>
      m.subject.includes('overdue case'),
    );
    expect(cheltenham?.text).toContain('DL-OTHER');
    expect(cheltenham?.text).not.toContain('DL-OVERDUE');
  });

  it('sends each leader one digest a day however often it runs', async () => {
    const t = await bothLanguages();
    const before = (await mailsTo(db(), STROUD_LEADER)).length;
    await sendDigest(db(), config, t, '2026-06-01', new Date());
    expect((await mailsTo(db(), STROUD_LEADER)).length).toBe(before);
    await sendDigest(db(), config, t, '2026-06-02', new Date());
    expect((await mailsTo(db(), STROUD_LEADER)).length).toBe(before + 1);
  });
});

describe('scheduling', () => {
  async function outboxRow(key: string) {
    return db()
      .selectFrom('outbox')
      .selectAll()
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
  }

  it('queues one sweep a slot and the next 7am digest, however many nodes start', async () => {
    const now = new Date();
    await Promise.all([startDeadlineJobs(db(), now), startDeadlineJobs(db(), now)]);
    const sweeps = await db()
      .selectFrom('outbox')
      .select('available_at')
      .where('topic', '=', SWEEP_TOPIC)
      .execute();
    expect(sweeps.map((s) => s.available_at.getTime())).toEqual([sweepSlot(now).getTime()]);
    const date = nextDigestDate(now);
    const digest = await outboxRow(`${DIGEST_TOPIC}:${date}`);
    expect(digest?.available_at.getTime()).toBe(digestTime(date).getTime());
  });

  it('a sweep run by the worker queues the next slot’s sweep', async () => {
    const before = new Date();
    await app.platform.worker.drain();
    const done = await db()
      .selectFrom('outbox')
      .select(['status', 'available_at'])
      .where('topic', '=', SWEEP_TOPIC)
      .orderBy('available_at')
      .execute();
    expect(done[0]!.status).toBe('done');
    const next = done.at(-1)!;
    expect(next.status).toBe('pending');
    expect(next.available_at.getTime()).toBeGreaterThanOrEqual(nextSweepSlot(before).getTime());
  });

  it('sends a digest found on its own day, and drops one found on a later day', async () => {
    const today = londonDate(new Date());
    await enqueue(db(), {
      topic: DIGEST_TOPIC,
      payload: { date: today },
      idempotencyKey: `${DIGEST_TOPIC}:${today}`,
      availableAt: new Date(Date.now() - 1000),
    });
    // Already queued by startDeadlineJobs when today is before 7am on a working day: due now.
    await db()
      .updateTable('outbox')
      .set({ available_at: new Date(Date.now() - 1000) })
      .where('idempotency_key', '=', `${DIGEST_TOPIC}:${today}`)
      .execute();
    await enqueue(db(), {
      topic: DIGEST_TOPIC,
      payload: { date: '2020-01-06' },
      idempotencyKey: `${DIGEST_TOPIC}:2020-01-06`,
    });
    await app.platform.worker.drain();
    const keys = (
      await db()
        .selectFrom('outbox')
        .select('idempotency_key')
        .where('topic', '=', 'mail.send')
        .execute()
    ).map((r) => r.idempotency_key);
    expect(keys).toContain(`${DIGEST_TOPIC}:${today}:${STROUD_LEADER}`);
    expect(keys.some((k) => k.startsWith(`${DIGEST_TOPIC}:2020-01-06:`))).toBe(false);
  });
});
