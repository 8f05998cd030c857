/**
 * Reads for browsing the front door: how many published services each topic, life event and
 * business stage has, and how many each body publishes. The lists themselves come from
 * `findServices` with a filter, so browsing and search show services the same way.
 */
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';

/** Published services per term of the three browsing vocabularies; a term with none is absent. */
export interface TermCounts {
  categories: Map<string, number>;
  lifeEvents: Map<string, number>;
  businessStages: Map<string, number>;
}

/**
 * Counts published services per topic, life event and business stage in one query over the
 * services' jsonb arrays (not one query per term), for the home page and the business section.
 *
 * @example (await countServicesByTerm(db)).categories.get('waste') // 9
 */
export async function countServicesByTerm(db: Db): Promise<TermCounts> {
  const { rows } = await sql<{ vocabulary: string; term: string; services: number }>`
    select terms.vocabulary, terms.term, count(distinct services.id)::int as services
      from services
      cross join lateral (
        select 'categories' as vocabulary, term
          from jsonb_array_elements_text(services.categories) as term
        union all
        select 'lifeEvents', term from jsonb_array_elements_text(services.life_events) as term
        union all
        select 'businessStages', term
          from jsonb_array_elements_text(services.business_stages) as term
      ) as terms
     where services.status = 'published'
     group by terms.vocabulary, terms.term`.execute(db);
  const counts: TermCounts = {
    categories: new Map(),
    lifeEvents: new Map(),
    businessStages: new Map(),
  };
  for (const row of rows) {
    counts[row.vocabulary as keyof TermCounts]?.set(row.term, Number(row.services));
  }
  return counts;
}

/** Published services per organisation id, for the A–Z of bodies; a body with none is absent. */
export async function countServicesByOrganisation(db: Db): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('services')
    .select((eb) => ['organisation_id', eb.fn.countAll<number>().as('services')])
    .where('status', '=', 'published')
    .groupBy('organisation_id')
    .execute();
  return new Map(rows.map((r) => [r.organisation_id, Number(r.services)]));
}
