import type { Db } from '../../../../platform/db/database.js';
import type { Locale, Translate } from '../../../../platform/i18n/i18n.js';
import { countServicesByTerm } from '../../queries/browse.js';
import type { SearchResult } from '../../queries/services.js';
import { CATEGORIES, LIFE_EVENTS } from '../../vocabularies.js';
import { serviceCount } from '../browse/view.js';

/** One link of the home page's browse lists, with how many services it leads to. */
export interface BrowseLink {
  text: string;
  href: string;
  count: string;
}

/**
 * What the home page shows below the search when nobody has searched: every topic (in the
 * reader's alphabetical order) and every life event (in the order a life meets them), each
 * with its number of published services, counted in one query.
 *
 * @example (await browseLists(db, 'en', t)).topics[0] // { text: 'Benefits', href: '/browse/benefits', count: '6 services' }
 */
export async function browseLists(
  db: Db,
  locale: Locale,
  t: Translate,
): Promise<{ topics: BrowseLink[]; lifeEvents: BrowseLink[] }> {
  const counts = await countServicesByTerm(db);
  const collator = new Intl.Collator(locale, { sensitivity: 'base' });
  const topics = CATEGORIES.map((c) => ({
    text: c[locale],
    href: `/browse/${c.value}`,
    count: serviceCount(t, counts.categories.get(c.value) ?? 0),
  })).sort((a, b) => collator.compare(a.text, b.text));
  const lifeEvents = LIFE_EVENTS.map((e) => ({
    text: e[locale],
    href: `/life-events/${e.value}`,
    count: serviceCount(t, counts.lifeEvents.get(e.value) ?? 0),
  }));
  return { topics, lifeEvents };
}

/** The search result of the bare home page, which shows the browse lists instead of services. */
export const NO_SEARCH: SearchResult = {
  services: [],
  problem: null,
  corrections: [],
  partial: false,
};
