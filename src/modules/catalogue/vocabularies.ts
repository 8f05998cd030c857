/**
 * The catalogue's controlled vocabularies, each value with its English and Welsh label. The
 * database stores the values; pages show the labels in the reader's language.
 *
 * @example labelOf(LIFE_EVENTS, 'having-a-baby', 'cy') // 'Cael babi'
 */
import type { Locale } from '../../platform/i18n/i18n.js';

/** A value and how it reads in English and Welsh. */
export interface Term<V extends string = string> {
  value: V;
  en: string;
  cy: string;
}

function terms<const V extends string>(list: readonly Term<V>[]): readonly Term<V>[] {
  return list;
}

/** Who a service is for. */
export const AUDIENCES = terms([
  { value: 'citizens', en: 'Citizens', cy: 'Dinasyddion' },
  { value: 'businesses', en: 'Businesses', cy: 'Busnesau' },
  { value: 'both', en: 'Citizens and businesses', cy: 'Dinasyddion a busnesau' },
]);
export type Audience = (typeof AUDIENCES)[number]['value'];

/** The BVPI 157 interaction types (REFERENCE.md), in the order the indicator lists them. */
export const INTERACTION_TYPES = terms([
  { value: 'providing-information', en: 'Providing information', cy: 'Darparu gwybodaeth' },
  { value: 'collecting-revenue', en: 'Collecting revenue', cy: 'Casglu refeniw' },
  {
    value: 'benefits-and-grants',
    en: 'Providing benefits and grants',
    cy: 'Darparu budd-daliadau a grantiau',
  },
  { value: 'consultation', en: 'Consultation', cy: 'Ymgynghori' },
  {
    value: 'regulation',
    en: 'Regulation (such as issuing licences)',
    cy: 'Rheoleiddio (megis rhoi trwyddedau)',
  },
  { value: 'applications', en: 'Applications for services', cy: 'Ceisiadau am wasanaethau' },
  {
    value: 'booking',
    en: 'Booking venues, resources and courses',
    cy: 'Archebu lleoliadau, adnoddau a chyrsiau',
  },
  { value: 'paying', en: 'Paying for goods and services', cy: 'Talu am nwyddau a gwasanaethau' },
  {
    value: 'networks',
    en: 'Providing access to community, professional or business networks',
    cy: 'Darparu mynediad i rwydweithiau cymunedol, proffesiynol neu fusnes',
  },
  { value: 'procurement', en: 'Procurement', cy: 'Caffael' },
]);
export type InteractionType = (typeof INTERACTION_TYPES)[number]['value'];

/** One interaction type a service involves, and whether it can be done electronically (BVPI 157). */
export interface Interaction {
  type: InteractionType;
  eEnabled: boolean;
}

/** The tier of body that provides a service; `any` when every kind of body may. */
export const PROVIDER_TIERS = terms([
  { value: 'central', en: 'Central government', cy: 'Llywodraeth ganolog' },
  { value: 'county', en: 'County council', cy: 'Cyngor sir' },
  { value: 'district', en: 'District council', cy: 'Cyngor dosbarth' },
  { value: 'unitary', en: 'Unitary council', cy: 'Cyngor unedol' },
  { value: 'any', en: 'Any public body', cy: 'Unrhyw gorff cyhoeddus' },
]);
export type ProviderTier = (typeof PROVIDER_TIERS)[number]['value'];

/** Moments in a life when a person needs several services at once. */
export const LIFE_EVENTS = terms([
  { value: 'having-a-baby', en: 'Having a baby', cy: 'Cael babi' },
  { value: 'moving-home', en: 'Moving home', cy: 'Symud tŷ' },
  { value: 'starting-school', en: 'Starting school', cy: 'Dechrau’r ysgol' },
  { value: 'learning-to-drive', en: 'Learning to drive', cy: 'Dysgu gyrru' },
  { value: 'getting-a-job', en: 'Getting a job', cy: 'Cael swydd' },
  { value: 'losing-a-job', en: 'Losing your job', cy: 'Colli’ch swydd' },
  { value: 'starting-a-business', en: 'Starting a business', cy: 'Dechrau busnes' },
  { value: 'getting-married', en: 'Getting married', cy: 'Priodi' },
  { value: 'becoming-a-carer', en: 'Becoming a carer', cy: 'Dod yn ofalwr' },
  { value: 'retiring', en: 'Retiring', cy: 'Ymddeol' },
  { value: 'bereavement', en: 'Bereavement', cy: 'Profedigaeth' },
]);
export type LifeEvent = (typeof LIFE_EVENTS)[number]['value'];

/** Groups of people a service is especially for. */
export const CUSTOMER_GROUPS = terms([
  { value: 'older-people', en: 'Older people', cy: 'Pobl hŷn' },
  { value: 'parents', en: 'Parents', cy: 'Rhieni' },
  { value: 'carers', en: 'Carers', cy: 'Gofalwyr' },
  { value: 'disabled-people', en: 'Disabled people', cy: 'Pobl anabl' },
  { value: 'young-people', en: 'Young people', cy: 'Pobl ifanc' },
  { value: 'jobseekers', en: 'Jobseekers', cy: 'Ceiswyr gwaith' },
  { value: 'tenants', en: 'Tenants', cy: 'Tenantiaid' },
  { value: 'landlords', en: 'Landlords', cy: 'Landlordiaid' },
  { value: 'drivers', en: 'Drivers', cy: 'Gyrwyr' },
  { value: 'farmers', en: 'Farmers', cy: 'Ffermwyr' },
  { value: 'small-businesses', en: 'Small businesses', cy: 'Busnesau bach' },
]);
export type CustomerGroup = (typeof CUSTOMER_GROUPS)[number]['value'];

/** Topics, for browsing. */
export const CATEGORIES = terms([
  { value: 'benefits', en: 'Benefits', cy: 'Budd-daliadau' },
  { value: 'council-tax', en: 'Council Tax', cy: 'Treth Gyngor' },
  { value: 'waste', en: 'Bins, waste and recycling', cy: 'Biniau, gwastraff ac ailgylchu' },
  { value: 'housing', en: 'Housing', cy: 'Tai' },
  {
    value: 'planning',
    en: 'Planning and building control',
    cy: 'Cynllunio a rheoli adeiladu',
  },
  { value: 'transport', en: 'Parking, roads and transport', cy: 'Parcio, ffyrdd a thrafnidiaeth' },
  { value: 'education', en: 'Schools and education', cy: 'Ysgolion ac addysg' },
  {
    value: 'libraries-leisure',
    en: 'Libraries, leisure and culture',
    cy: 'Llyfrgelloedd, hamdden a diwylliant',
  },
  { value: 'licensing', en: 'Licences and permits', cy: 'Trwyddedau a hawlenni' },
  { value: 'business', en: 'Business', cy: 'Busnes' },
  {
    value: 'births-deaths-marriages',
    en: 'Births, deaths and marriages',
    cy: 'Genedigaethau, marwolaethau a phriodasau',
  },
  { value: 'social-care', en: 'Health and social care', cy: 'Iechyd a gofal cymdeithasol' },
  { value: 'tax', en: 'Tax', cy: 'Treth' },
  { value: 'work-pensions', en: 'Work and pensions', cy: 'Gwaith a phensiynau' },
  { value: 'community', en: 'Environment and community', cy: 'Yr amgylchedd a’r gymuned' },
  { value: 'your-council', en: 'Your council', cy: 'Eich cyngor' },
]);
export type Category = (typeof CATEGORIES)[number]['value'];

/** The business life cycle, by which the business section is browsed. */
export const BUSINESS_STAGES = terms([
  { value: 'start', en: 'Starting up', cy: 'Dechrau busnes' },
  { value: 'employ', en: 'Employing people', cy: 'Cyflogi pobl' },
  { value: 'grow', en: 'Growing and funding', cy: 'Tyfu a chyllid' },
  { value: 'trade', en: 'Trading, licences and premises', cy: 'Masnachu, trwyddedau a safleoedd' },
  { value: 'close', en: 'Closing or selling', cy: 'Cau neu werthu' },
]);
export type BusinessStage = (typeof BUSINESS_STAGES)[number]['value'];

/** The ways of applying. */
export const CHANNEL_KINDS = terms([
  { value: 'online-here', en: 'Online on this site', cy: 'Ar-lein ar y wefan hon' },
  { value: 'online-elsewhere', en: 'Online on another site', cy: 'Ar-lein ar wefan arall' },
  { value: 'phone', en: 'By phone', cy: 'Dros y ffôn' },
  { value: 'in-person', en: 'In person', cy: 'Wyneb yn wyneb' },
  { value: 'post', en: 'By post', cy: 'Drwy’r post' },
]);
export type ChannelKind = (typeof CHANNEL_KINDS)[number]['value'];

/** How to use a service on one channel, with its contact details and opening hours. */
export type Channel =
  | { kind: 'online-here' }
  | { kind: 'online-elsewhere'; url: string }
  | { kind: 'phone'; number: string; hours: string; hoursCy: string }
  | { kind: 'in-person'; address: string; addressCy: string; hours: string; hoursCy: string }
  | { kind: 'post'; address: string; addressCy: string };

/** The label of a value in the reader's language; the value itself if it is not in the list. */
export function labelOf(list: readonly Term[], value: string, locale: Locale): string {
  const term = list.find((t) => t.value === value);
  return term ? term[locale] : value;
}

/** True when the value belongs to the vocabulary. */
export function isTerm<V extends string>(list: readonly Term<V>[], value: unknown): value is V {
  return typeof value === 'string' && list.some((t) => t.value === value);
}
