/**
 * The public disclosure log: FOI responses bodies chose to publish, as they redacted them. It
 * holds only what was checked for the requester's name and e-mail address at publication: never
 * the request as sent, nor who sent it.
 */
import type { Db } from '../../../platform/db/database.js';
import { listOrganisationsByIds } from '../../organisations/index.js';

/** One published response, as the public and the open data see it. */
export interface Disclosure {
  reference: string;
  body: string;
  bodyCy: string | null;
  bodySlug: string;
  title: string;
  text: string;
  outcome: string;
  exemptions: string[];
  receivedOn: Date;
  respondedOn: Date;
  publishedAt: Date;
}

function published(db: Db) {
  return db
    .selectFrom('correspondence')
    .select([
      'reference',
      'organisation_id',
      'disclosure_title',
      'disclosure_text',
      'outcome',
      'exemptions',
      'received_at',
      'responded_at',
      'published_at',
    ])
    .where('kind', '=', 'foi')
    .where('published_at', 'is not', null);
}

type PublishedRow = Awaited<ReturnType<ReturnType<typeof published>['execute']>>[number];

async function withBodies(db: Db, rows: PublishedRow[]): Promise<Disclosure[]> {
  const bodies = new Map(
    (await listOrganisationsByIds(db, [...new Set(rows.map((r) => r.organisation_id))])).map(
      (o) => [o.id, o],
    ),
  );
  return rows.map((r) => {
    const body = bodies.get(r.organisation_id);
    return {
      reference: r.reference,
      body: body?.name ?? '',
      bodyCy: body?.name_cy ?? null,
      bodySlug: body?.slug ?? '',
      title: r.disclosure_title ?? '',
      text: r.disclosure_text ?? '',
      outcome: r.outcome ?? '',
      exemptions: r.exemptions,
      receivedOn: r.received_at,
      respondedOn: r.responded_at ?? r.published_at!,
      publishedAt: r.published_at!,
    };
  });
}

/** Published responses, newest first, of one body (by id) or all; at most 1,000. */
export async function disclosureLog(db: Db, organisationId?: string): Promise<Disclosure[]> {
  let query = published(db);
  if (organisationId) query = query.where('organisation_id', '=', organisationId);
  return withBodies(db, await query.orderBy('published_at', 'desc').limit(1000).execute());
}

/** One published response by its reference. */
export async function findDisclosure(db: Db, reference: string): Promise<Disclosure | undefined> {
  const row = await published(db).where('reference', '=', reference).executeTakeFirst();
  return row ? (await withBodies(db, [row]))[0] : undefined;
}
