import { createHash } from 'node:crypto';
import type { Db } from '../../../platform/db/database.js';
import { findUserIdByEmail } from '../../identity/index.js';
import { findOrganisationBySlug } from '../../organisations/index.js';
import { closesAt } from './rules.js';

/** Where the demo signers live: Stroud's districts mostly, a few from further away. */
const DEMO_DISTRICTS: [string, string, number][] = [
  ['GL5', '1AA', 61],
  ['GL6', '6AB', 27],
  ['GL10', '3AD', 18],
  ['GL11', '4AE', 9],
  ['GL2', '2AB', 4],
  ['BS1', '4DJ', 3],
];

/**
 * Demo petitions: one to Stroud District Council, live for a month with 122 confirmed
 * signatures (past its response threshold of 100, so it waits for a response), and one to
 * Cheltenham waiting to be checked. Run once, with the demo accounts in place.
 */
export async function seedDemoPetitions(trx: Db): Promise<void> {
  const stroud = await findOrganisationBySlug(trx, 'stroud');
  const cheltenham = await findOrganisationBySlug(trx, 'cheltenham');
  const citizenId = await findUserIdByEmail(trx, 'citizen@example.com');
  if (!stroud || !cheltenham) return;
  const published = new Date(Date.now() - 30 * 86_400_000);
  const count = DEMO_DISTRICTS.reduce((sum, [, , n]) => sum + n, 0);
  const petition = await trx
    .insertInto('petitions')
    .values({
      organisation_id: stroud.id,
      created_by: citizenId ?? null,
      creator_name: 'Sam Citizen',
      title: 'Reopen the Stratford Park lido for summer swimming',
      action:
        'We ask Stroud District Council to reopen the outdoor lido at Stratford Park every summer from June to September.',
      background:
        'The lido has been closed since repairs began. Families, schools and swimming clubs used it every summer, and the nearest outdoor pool is 20 miles away.',
      language: 'en',
      state: 'open',
      published_at: published,
      closes_at: closesAt(published, 6),
      moderated_at: published,
      response_threshold: 100,
      debate_threshold: 1000,
      signature_count: count,
      response_threshold_reached_at: new Date(published.getTime() + 12 * 86_400_000),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  let n = 0;
  const rows = DEMO_DISTRICTS.flatMap(([district, inward, many]) =>
    Array.from({ length: many }, () => {
      n += 1;
      return {
        petition_id: petition.id,
        name: `Demo Signer ${n}`,
        email: `demo-signer-${n}@example.com`,
        postcode: `${district} ${inward}`,
        district,
        ip_address: `192.0.2.${n % 250}`,
        language: 'en' as const,
        token_hash: createHash('sha256').update(`demo-petition-signature-${n}`).digest('base64url'),
        confirmed_at: new Date(published.getTime() + n * 3_600_000),
      };
    }),
  );
  await trx.insertInto('petition_signatures').values(rows).execute();
  await trx
    .insertInto('petitions')
    .values({
      organisation_id: cheltenham.id,
      created_by: citizenId ?? null,
      creator_name: 'Sam Citizen',
      title: 'Put a pedestrian crossing outside Pittville School',
      action:
        'We ask Cheltenham Borough Council to put a zebra crossing on Albert Road outside Pittville School.',
      background:
        'Children cross a busy road twice a day with no crossing; there have been near misses.',
      language: 'en',
    })
    .execute();
}
