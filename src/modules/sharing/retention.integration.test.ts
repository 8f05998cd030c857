import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../test/helpers/database.js';
import type { DatabaseHandle } from '../../platform/db/connect.js';
import { findCitizenByEmail } from '../identity/index.js';
import { runRetention } from '../retention/index.js';
import { submitChange } from './commands/changes.js';
import { sharingDeliveryRetention } from './retention.js';

let database: DatabaseHandle;
const db = () => database.db;
/** The run's time: two years after it is 2030, well after anything this test makes. */
const NOW = new Date('2032-03-15T02:00:00.000Z');
let runs = 0;
const run = () =>
  runRetention(db(), [sharingDeliveryRetention], { now: NOW, runKey: `sharing:${++runs}` });

beforeAll(async () => {
  database = await freshDatabase({ seeded: true });
});
afterAll(async () => {
  await database?.close();
});

async function aMove(): Promise<string> {
  const citizen = (await findCitizenByEmail(db(), 'citizen@example.com'))!;
  const outcome = await db()
    .transaction()
    .execute((trx) =>
      submitChange(
        trx,
        {
          userId: citizen.id,
          type: 'change-of-address',
          details: {
            uprn: '900000000002',
            address: 'Flat 1, Ebley Mill, Westward Road, Ebley, Stroud, GL5 4UB',
            postcode: 'GL5 4UB',
            movedOn: '2026-11-02',
          },
          consentedAgreementIds: [],
        },
        { userId: citizen.id, organisationId: null, role: 'citizen' },
        'http://localhost:3000',
      ),
    );
  if (!outcome.ok) throw new Error(outcome.problems.join('; '));
  return outcome.change.id;
}

const deliveries = (changeId: string) =>
  db()
    .selectFrom('sharing_deliveries as d')
    .innerJoin('organisations as o', 'o.id', 'd.organisation_id')
    .select(['o.slug', 'd.status', 'd.body_reference', 'd.anonymised_at'])
    .where('d.change_id', '=', changeId)
    .orderBy('o.slug')
    .execute();
const change = (id: string) =>
  db()
    .selectFrom('sharing_changes')
    .select(['reference', 'event_type', 'status', 'details', 'anonymised_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

describe('retention of tell-us-once records', () => {
  it('anonymises each body’s finished delivery, and the change only once every delivery is', async () => {
    const id = await aMove();
    // Stroud (public task) was sent it and has not answered; the two consent bodies were not
    // sent it (no consent ticked): finished from the start.
    await db()
      .updateTable('sharing_deliveries')
      .set({ status: 'sent', body_reference: 'CT-40318275' })
      .where('change_id', '=', id)
      .where('status', '=', 'waiting')
      .execute();
    await run();
    const first = await deliveries(id);
    expect(first.map((d) => [d.slug, d.status, d.anonymised_at !== null])).toEqual([
      ['dwp', 'not-sent', true],
      ['gloucestershire', 'not-sent', true],
      ['stroud', 'sent', false],
    ]);
    expect(first.find((d) => d.slug === 'stroud')!.body_reference).toBe('CT-40318275');
    expect((await change(id)).details).toMatchObject({ postcode: 'GL5 4UB' });

    // Stroud answers; two years and more later its copy goes, and with it what was told.
    await db()
      .updateTable('sharing_deliveries')
      .set({ status: 'acknowledged', answered_at: new Date('2029-01-10T10:00:00Z') })
      .where('change_id', '=', id)
      .where('status', '=', 'sent')
      .execute();
    await run();
    const second = await deliveries(id);
    expect(second.every((d) => d.anonymised_at !== null && d.body_reference === null)).toBe(true);
    const after = await change(id);
    expect(after.details).toEqual({});
    expect(after.anonymised_at).not.toBeNull();
    expect(after).toMatchObject({
      event_type: 'change-of-address',
      reference: expect.stringMatching(/^TUO-/),
    });
  });

  it('leaves alone an answer not yet two years old, and one whose change is on legal hold', async () => {
    const recent = await aMove();
    await db()
      .updateTable('sharing_deliveries')
      .set({ status: 'acknowledged', answered_at: new Date('2031-01-10T10:00:00Z') })
      .where('change_id', '=', recent)
      .where('status', '=', 'waiting')
      .execute();
    await run();
    const stroud = (await deliveries(recent)).find((d) => d.slug === 'stroud')!;
    expect(stroud.anonymised_at).toBeNull();

    const held = await aMove();
    await db()
      .updateTable('sharing_deliveries')
      .set({ status: 'acknowledged', answered_at: new Date('2029-01-10T10:00:00Z') })
      .where('change_id', '=', held)
      .where('status', '=', 'waiting')
      .execute();
    const { reference } = await change(held);
    const stroudId = (
      await db()
        .selectFrom('organisations')
        .select('id')
        .where('slug', '=', 'stroud')
        .executeTakeFirstOrThrow()
    ).id;
    expect(
      await sharingDeliveryRetention.resolve(db(), stroudId, reference.toLowerCase()),
    ).toMatchObject({ reference });
    const due = (heldReferences: string[]) =>
      sharingDeliveryRetention.findDue(db(), {
        organisationId: stroudId,
        action: 'anonymise',
        cutoff: new Date('2030-03-15T02:00:00.000Z'),
        limit: 100,
        heldPersonIds: [],
        heldPersonEmails: [],
        heldPersonPhones: [],
        heldRecordIds: [],
        heldReferences,
      });
    expect(await due([])).toHaveLength(1);
    expect(await due([reference])).toEqual([]);
  });
});
