/**
 * The catalogue's vocabularies as HSDS taxonomies: each vocabulary is a taxonomy, each of its
 * values a taxonomy term, and a service carries an attribute for every term it has. Ids are
 * name-based UUIDs of the vocabulary and value (ids.ts), the same on every install.
 *
 * @example termById(hsdsId('taxonomy_term', 'life-events', 'having-a-baby'))?.code // 'having-a-baby'
 */
import type { Locale } from '../../../../platform/i18n/i18n.js';
import type { PublicService, ServiceListing } from '../../queries/services.js';
import {
  AUDIENCES,
  BUSINESS_STAGES,
  CATEGORIES,
  CUSTOMER_GROUPS,
  INTERACTION_TYPES,
  LIFE_EVENTS,
  type Audience,
  type BusinessStage,
  type Category,
  type CustomerGroup,
  type InteractionType,
  type LifeEvent,
  type Term,
} from '../../vocabularies.js';
import { hsdsId } from './ids.js';

type Text = Record<Locale, string>;

/** One vocabulary published as a taxonomy, and how to read its values off a service. */
export interface Vocabulary {
  /** Part of every id derived from this vocabulary: never rename. */
  key: string;
  name: Text;
  description: Text;
  terms: readonly Term[];
  /** The service's values in this vocabulary, with the attribute value where there is one. */
  valuesOf(service: PublicService): { value: string; attributeValue?: string }[];
  /** The listing filter (SQL) for the services carrying a term: those `valuesOf` gives it. */
  withTerm(value: string): ListingFilter;
  /** The listing filter for the services carrying any term of this vocabulary. */
  withAnyTerm: ListingFilter;
}

/** A filter of the catalogue's service listing. */
export type ListingFilter = Omit<ServiceListing, 'locale'>;

const plain = (values: readonly string[]) => values.map((value) => ({ value }));

/** Every vocabulary we publish, in the order /taxonomies lists them. */
export const VOCABULARIES: readonly Vocabulary[] = [
  {
    key: 'life-events',
    name: { en: 'Life events', cy: 'Digwyddiadau bywyd' },
    description: {
      en: 'Moments in a life when a person needs several services at once.',
      cy: 'Adegau mewn bywyd pan fydd ar rywun angen sawl gwasanaeth ar unwaith.',
    },
    terms: LIFE_EVENTS,
    valuesOf: (s) => plain(s.lifeEvents),
    withTerm: (value) => ({ lifeEvent: value as LifeEvent }),
    withAnyTerm: { having: 'lifeEvents' },
  },
  {
    key: 'customer-groups',
    name: { en: 'Customer groups', cy: 'Grwpiau cwsmeriaid' },
    description: {
      en: 'Groups of people a service is especially for.',
      cy: 'Grwpiau o bobl y mae gwasanaeth yn arbennig ar eu cyfer.',
    },
    terms: CUSTOMER_GROUPS,
    valuesOf: (s) => plain(s.customerGroups),
    withTerm: (value) => ({ customerGroup: value as CustomerGroup }),
    withAnyTerm: { having: 'customerGroups' },
  },
  {
    key: 'categories',
    name: { en: 'Topics', cy: 'Pynciau' },
    description: {
      en: 'What a service is about, for browsing.',
      cy: 'Beth yw pwnc gwasanaeth, ar gyfer pori.',
    },
    terms: CATEGORIES,
    valuesOf: (s) => plain(s.categories),
    withTerm: (value) => ({ category: value as Category }),
    withAnyTerm: { having: 'categories' },
  },
  {
    key: 'interaction-types',
    name: { en: 'Interaction types (BVPI 157)', cy: 'Mathau o ryngweithio (BVPI 157)' },
    description: {
      en:
        'The types of interaction of Best Value Performance Indicator 157. The value of a ' +
        'service’s attribute says whether it offers the interaction electronically: ' +
        '"e-enabled" or "not e-enabled".',
      cy:
        'Mathau o ryngweithio Dangosydd Perfformiad Gwerth Gorau 157. Mae gwerth priodoledd ' +
        'gwasanaeth yn dweud a yw’n cynnig y rhyngweithio’n electronig: "e-enabled" neu ' +
        '"not e-enabled".',
    },
    terms: INTERACTION_TYPES,
    valuesOf: (s) =>
      s.interactions.map((i) => ({
        value: i.type,
        attributeValue: i.eEnabled ? 'e-enabled' : 'not e-enabled',
      })),
    withTerm: (value) => ({ interactionType: value as InteractionType }),
    withAnyTerm: { having: 'interactions' },
  },
  {
    key: 'business-stages',
    name: { en: 'Business life cycle', cy: 'Cylch bywyd busnes' },
    description: {
      en: 'The stages of a business’s life a service helps with.',
      cy: 'Y camau ym mywyd busnes y mae gwasanaeth yn helpu gyda nhw.',
    },
    terms: BUSINESS_STAGES,
    valuesOf: (s) => plain(s.businessStages),
    withTerm: (value) => ({ businessStage: value as BusinessStage }),
    withAnyTerm: { having: 'businessStages' },
  },
  {
    key: 'audiences',
    name: { en: 'Audiences', cy: 'Cynulleidfaoedd' },
    description: {
      en: 'Who a service is for: citizens, businesses, or citizens and businesses.',
      cy: 'Ar gyfer pwy y mae gwasanaeth: dinasyddion, busnesau, neu ddinasyddion a busnesau.',
    },
    terms: AUDIENCES,
    valuesOf: (s) => plain([s.audience]),
    // Exactly this audience: a service for 'both' carries only the term 'both'.
    withTerm: (value) => ({ audience: value as Audience }),
    // Every service has an audience.
    withAnyTerm: {},
  },
];

/** An HSDS 3.0 taxonomy. */
export type HsdsTaxonomy = { id: string; name: string; description: string; version: string };

/** An HSDS 3.0 taxonomy term. */
export type HsdsTaxonomyTerm = {
  id: string;
  code: string;
  name: string;
  description: string;
  taxonomy_id: string;
  language: Locale;
};

export function taxonomyId(vocabulary: Vocabulary): string {
  return hsdsId('taxonomy', vocabulary.key);
}

export function termId(vocabulary: Vocabulary, value: string): string {
  return hsdsId('taxonomy_term', vocabulary.key, value);
}

export function toTaxonomy(vocabulary: Vocabulary, locale: Locale): HsdsTaxonomy {
  return {
    id: taxonomyId(vocabulary),
    name: vocabulary.name[locale],
    description: vocabulary.description[locale],
    version: '1',
  };
}

export function toTerm(vocabulary: Vocabulary, term: Term, locale: Locale): HsdsTaxonomyTerm {
  return {
    id: termId(vocabulary, term.value),
    code: term.value,
    name: term[locale],
    description: `${vocabulary.name[locale]}: ${term[locale]}`,
    taxonomy_id: taxonomyId(vocabulary),
    language: locale,
  };
}

/** Every term of every vocabulary, with its vocabulary. */
export function allTerms(): { vocabulary: Vocabulary; term: Term }[] {
  return VOCABULARIES.flatMap((vocabulary) =>
    vocabulary.terms.map((term) => ({ vocabulary, term })),
  );
}

const byTermId = new Map(
  allTerms().map((entry) => [termId(entry.vocabulary, entry.term.value), entry]),
);
const byTaxonomyId = new Map(VOCABULARIES.map((v) => [taxonomyId(v), v]));

export function termById(id: string): { vocabulary: Vocabulary; term: Term } | undefined {
  return byTermId.get(id.toLowerCase());
}

export function vocabularyById(id: string): Vocabulary | undefined {
  return byTaxonomyId.get(id.toLowerCase());
}

/** True when the service carries the term (any attribute value). */
export function hasTerm(service: PublicService, vocabulary: Vocabulary, value: string): boolean {
  return vocabulary.valuesOf(service).some((v) => v.value === value);
}
