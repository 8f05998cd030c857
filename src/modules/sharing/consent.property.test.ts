import fc from 'fast-check';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aConfirmedCitizen } from '../../../test/helpers/citizens.js';
import { freshDatabase } from '../../../test/helpers/database.js';
import { loadConfig } from '../../platform/config/config.js';
import type { DatabaseHandle } from '../../platform/db/connect.js';
import { OutboxWorker } from '../../platform/outbox/outbox.js';
import { findOrganisationBySlug } from '../organisations/index.js';
import { endAgreement } from './commands/agreements.js';
import {
  DELIVER_TOPIC,
  giveConsent,
  submitChange,
  SYSTEM,
  withdrawConsent,
} from './commands/changes.js';
import { pullInbox, sharingDeliveryHandler } from './delivery.js';

const config = loadConfig({ DATA_DIR: ':memory:', LOG_LEVEL: 'silent', WORKER: 'off' });
let database: DatabaseHandle;
const db = () => database.db;
let organisations: string[] = [];

beforeAll(async () => {
  database = await freshDatabase({ seeded: true });
  organisations = [
    (await findOrganisationBySlug(db(), 'cheltenham'))!.id,
    (await findOrganisationBySlug(db(), 'bristol'))!.id,
  ];
});
afterAll(async () => {
  await database?.close();
});

type Op =
  | { op: 'give'; body: 0 | 1 }
  | { op: 'withdraw'; body: 0 | 1 }
  | { op: 'withdrawBehind'; body: 0 | 1 }
  | { op: 'end'; body: 0 | 1 }
  | { op: 'renew'; body: 0 | 1 }
  | { op: 'queue'; ticks: [boolean, boolean] }
  | { op: 'handle' }
  | { op: 'pull'; body: 0 | 1 };

const body = fc.constantFrom<0 | 1>(0, 1);
const operation: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('give' as const), body }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('withdraw' as const), body }), weight: 1 },
  // Withdrawn in the database alone, leaving queued messages waiting: only the check at the
  // moment of sending can stop them (the command also stops them at once; this tests the check).
  { arbitrary: fc.record({ op: fc.constant('withdrawBehind' as const), body }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('end' as const), body }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('renew' as const), body }), weight: 1 },
  {
    arbitrary: fc.record({
      op: fc.constant('queue' as const),
      ticks: fc.tuple(fc.boolean(), fc.boolean()),
    }),
    weight: 3,
  },
  { arbitrary: fc.record({ op: fc.constant('handle' as const) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('pull' as const), body }), weight: 3 },
);

async function newAgreement(organisationId: string): Promise<string> {
  const row = await db()
    .insertInto('sharing_agreements')
    .values({
      organisation_id: organisationId,
      event_types: JSON.stringify(['change-of-address']),
      fields: JSON.stringify(['change-of-address.postcode']),
      legal_basis: 'consent',
      purpose: 'p',
      purpose_cy: 'p',
      starts_at: new Date('2026-01-01T00:00:00Z'),
      ends_at: null,
      created_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const worker = () =>
  new OutboxWorker(
    db(),
    new Map([
      [DELIVER_TOPIC, sharingDeliveryHandler(config)],
      ['mail.send', async () => undefined],
    ]),
    pino({ level: 'silent' }),
    { pollMs: 50, maxAttempts: 3, concurrency: 1 },
  );

describe('consent at the moment of sending (property)', () => {
  it('no sequence of consents, withdrawals and agreement changes lets a change reach a body without a live consent and a live agreement', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 16 }), async (ops) => {
        // A fresh person and fresh agreements for each run; earlier runs' agreements end.
        await db()
          .updateTable('sharing_agreements')
          .set({ ended_at: new Date() })
          .where('ended_at', 'is', null)
          .execute();
        const { id: userId } = await aConfirmedCitizen(db());
        for (const organisationId of organisations)
          await db()
            .insertInto('sharing_relationships')
            .values({
              organisation_id: organisationId,
              user_id: userId,
              body_reference: `P-${userId}`,
              matched_by: 'demo',
              matched_reference: 'property',
              declared_by_key_id: null,
            })
            .execute();
        const agreements = [
          await newAgreement(organisations[0]!),
          await newAgreement(organisations[1]!),
        ];
        // The model: which agreements are in force and which consents are live, by id.
        const liveAgreements = new Set(agreements);
        const liveConsents = new Set<string>();
        const actor = { userId, organisationId: null, role: 'citizen' };
        const consentOf = async (agreementId: string) =>
          (
            await db()
              .selectFrom('sharing_consents')
              .select('id')
              .where('user_id', '=', userId)
              .where('agreement_id', '=', agreementId)
              .where('withdrawn_at', 'is', null)
              .executeTakeFirst()
          )?.id;
        for (const step of ops) {
          if (step.op === 'give' && liveAgreements.has(agreements[step.body]!)) {
            liveConsents.add(
              await db()
                .transaction()
                .execute((trx) => giveConsent(trx, userId, agreements[step.body]!, actor)),
            );
          } else if (step.op === 'withdraw') {
            const id = await consentOf(agreements[step.body]!);
            if (id) {
              await db()
                .transaction()
                .execute((trx) => withdrawConsent(trx, userId, id, actor, config.baseUrl));
              liveConsents.delete(id);
            }
          } else if (step.op === 'withdrawBehind') {
            const id = await consentOf(agreements[step.body]!);
            if (id) {
              await db()
                .updateTable('sharing_consents')
                .set({ withdrawn_at: new Date() })
                .where('id', '=', id)
                .execute();
              liveConsents.delete(id);
            }
          } else if (step.op === 'end') {
            await db()
              .transaction()
              .execute((trx) => endAgreement(trx, agreements[step.body]!, SYSTEM));
            liveAgreements.delete(agreements[step.body]!);
          } else if (step.op === 'renew' && !liveAgreements.has(agreements[step.body]!)) {
            agreements[step.body] = await newAgreement(organisations[step.body]!);
            liveAgreements.add(agreements[step.body]!);
          } else if (step.op === 'queue') {
            const ticked = agreements.filter((_, i) => step.ticks[i]);
            const made = await db()
              .transaction()
              .execute((trx) =>
                submitChange(
                  trx,
                  {
                    userId,
                    type: 'change-of-address',
                    details: {
                      uprn: '900000000001',
                      address: 'Ebley Mill',
                      postcode: 'GL5 4UB',
                      movedOn: '2026-11-01',
                    },
                    consentedAgreementIds: ticked,
                  },
                  actor,
                  config.baseUrl,
                ),
              );
            expect(made.ok).toBe(true);
            for (const id of ticked)
              if (liveAgreements.has(id)) {
                const consent = await consentOf(id);
                if (consent) liveConsents.add(consent);
              }
          } else if (step.op === 'handle') {
            await worker().drain();
          } else if (step.op === 'pull') {
            // Changes sent by an earlier pull and not yet answered are offered again: those
            // were checked when they were sent. Only what this pull sends is checked here.
            const sentBefore = new Set(
              (
                await db()
                  .selectFrom('sharing_deliveries')
                  .select('id')
                  .where('organisation_id', '=', organisations[step.body]!)
                  .where('status', '=', 'sent')
                  .execute()
              ).map((d) => d.id),
            );
            await worker().drain(); // the body pulls what the worker has made ready
            const page = await pullInbox(
              db(),
              organisations[step.body]!,
              0,
              100,
              SYSTEM,
              config.baseUrl,
            );
            for (const item of page.items.filter((i) => !sentBefore.has(i.id))) {
              const delivery = await db()
                .selectFrom('sharing_deliveries')
                .select(['consent_id', 'agreement_id'])
                .where('id', '=', item.id)
                .executeTakeFirstOrThrow();
              expect(liveConsents.has(delivery.consent_id!)).toBe(true);
              expect(liveAgreements.has(delivery.agreement_id!)).toBe(true);
            }
          }
        }
        // And in the database: nothing was ever sent after its consent was withdrawn or its
        // agreement ended, nor without a consent.
        const violations = await db()
          .selectFrom('sharing_deliveries as d')
          .innerJoin('sharing_agreements as a', 'a.id', 'd.agreement_id')
          .leftJoin('sharing_consents as c', 'c.id', 'd.consent_id')
          .select('d.id')
          .where('d.sent_at', 'is not', null)
          .where((eb) =>
            eb.or([
              eb('c.id', 'is', null),
              eb('c.withdrawn_at', '<=', eb.ref('d.sent_at')),
              eb('a.ended_at', '<=', eb.ref('d.sent_at')),
            ]),
          )
          .execute();
        expect(violations).toEqual([]);
        const sent = await db()
          .selectFrom('sharing_deliveries as d')
          .innerJoin('sharing_changes as c', 'c.id', 'd.change_id')
          .select(sql<number>`count(*)`.as('n'))
          .where('c.user_id', '=', userId)
          .where('d.sent_at', 'is not', null)
          .executeTakeFirstOrThrow();
        const refusedOrSent = await db()
          .selectFrom('audit_log')
          .select(sql<number>`count(*)`.as('n'))
          .where('subject_user_id', '=', userId)
          .where('action', '=', 'sharing.sent')
          .executeTakeFirstOrThrow();
        // Every send is in the audit log.
        expect(Number(refusedOrSent.n)).toBe(Number(sent.n));
      }),
      { numRuns: 50 },
    );
  }, 120_000);
});
