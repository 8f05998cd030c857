/**
 * The generated catalogue of bench/front-door.ts: an organisation for every local authority the
 * generated postcodes lie in (and the counties of its two-tier districts) plus some central
 * bodies, created with the organisations module's `createOrganisation`; and N services published
 * with the catalogue's `publishService`, so they are stored, indexed and searchable exactly as a
 * service published by seeding or a service owner. Titles, summaries and bodies are built from
 * word lists: a verb and a subject of the tier the body serves ("Apply for a parking permit"),
 * sometimes a qualifier, with the subject's topics, life events and customer groups; every body's
 * version of the same service shares a service key ('apply-for-a-parking-permit').
 */
import type { Kysely } from 'kysely';
import {
  publishService,
  type Category,
  type Channel,
  type CustomerGroup,
  type Interaction,
  type InteractionType,
  type LifeEvent,
  type NewService,
  type ProviderTier,
} from '../../src/modules/catalogue/index.js';
import {
  createOrganisation,
  type NewOrganisation,
  type OrganisationType,
} from '../../src/modules/organisations/index.js';
import type { Database } from '../../src/platform/db/database.js';
import { seededRandom } from '../../src/platform/demo/random.js';
import type { Authority } from './onspd.js';

/** The business life-cycle stages (the catalogue's index does not export their type). */
type BusinessStage = NonNullable<NewService['businessStages']>[number];

/** A body on the platform, as the generator needs it. */
export interface Body {
  id: string;
  slug: string;
  name: string;
  nameCy: string;
  /** Where the body's services come from: district, county, both (unitary) or central. */
  serves: 'district' | 'county' | 'both' | 'central';
  /** What its services say they are: the tier a person's postcode is resolved to. */
  tier: ProviderTier;
  gss: string | null;
  /** The ONS area name ('Stroud'), for searches that name a place. */
  place: string;
}

const TYPE_BY_PREFIX: Record<string, OrganisationType> = {
  E06: 'unitary',
  E07: 'district',
  E08: 'metropolitan-district',
  E09: 'london-borough',
  W06: 'welsh-principal-area',
  S12: 'scottish-council',
  N09: 'northern-ireland-district',
};

const CENTRAL: [name: string, nameCy: string, type: OrganisationType][] = [
  ['Department for Work and Pensions', 'Yr Adran Gwaith a Phensiynau', 'central-department'],
  ['HM Revenue and Customs', 'Cyllid a Thollau EF', 'central-department'],
  ['Driver and Vehicle Licensing Agency', 'Asiantaeth Trwyddedu Gyrwyr a Cherbydau', 'executive-agency'],
  ['Driver and Vehicle Standards Agency', 'Asiantaeth Safonau Gyrwyr a Cherbydau', 'executive-agency'],
  ['HM Passport Office', 'Swyddfa Basbort EF', 'executive-agency'],
  ['Companies House', 'Tŷ’r Cwmnïau', 'executive-agency'],
  ['Home Office', 'Y Swyddfa Gartref', 'central-department'],
  ['Disclosure and Barring Service', 'Y Gwasanaeth Datgelu a Gwahardd', 'other'],
  ['Office of the Public Guardian', 'Swyddfa’r Gwarcheidwad Cyhoeddus', 'executive-agency'],
  ['Student Loans Company', 'Y Cwmni Benthyciadau i Fyfyrwyr', 'other'],
  ['Environment Agency', 'Asiantaeth yr Amgylchedd', 'other'],
  ['Department for Education', 'Yr Adran Addysg', 'central-department'],
]; // prettier-ignore

function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** "Kingston upon Hull, City of" → "Kingston upon Hull City Council". */
function councilName(place: string, county: boolean): { name: string; nameCy: string } {
  const [base, suffix] = place.split(', ');
  if (county) return { name: `${place} County Council`, nameCy: `Cyngor Sir ${place}` };
  if (suffix === 'City of') return { name: `${base} City Council`, nameCy: `Cyngor Dinas ${base}` };
  return { name: `${base} Council`, nameCy: `Cyngor ${base}` };
}

/**
 * Creates the organisations: the counties first (a district names its county as parent), then
 * every authority, then the central bodies. Returns them as the service generator needs them.
 */
export async function createBodies(
  db: Kysely<Database>,
  authorities: Authority[],
  counties: Map<string, string>,
): Promise<Body[]> {
  const bodies: Body[] = [];
  const create = async (input: NewOrganisation, body: Omit<Body, 'id' | 'slug' | 'name'>) => {
    const outcome = await createOrganisation(db, input);
    if (!outcome.ok)
      throw new Error(`Creating ${input.name}: ${outcome.errors.map((e) => e.message).join('; ')}`);
    const { organisation } = outcome;
    bodies.push({ ...body, id: organisation.id, slug: organisation.slug, name: organisation.name });
  };
  const countySlugs = new Map<string, string>();
  for (const [gss, place] of counties) {
    const { name, nameCy } = councilName(place, true);
    countySlugs.set(gss, slugify(name));
    await create(
      { slug: slugify(name), name, nameCy, type: 'county', gssCode: gss },
      { nameCy, serves: 'county', tier: 'county', gss, place },
    );
  }
  for (const authority of authorities) {
    const { name, nameCy } = councilName(authority.name, false);
    const type = TYPE_BY_PREFIX[authority.gss.slice(0, 3)]!;
    const twoTier = authority.countyGss !== null;
    await create(
      {
        slug: slugify(name),
        name,
        nameCy,
        type,
        gssCode: authority.gss,
        parentSlug: twoTier ? countySlugs.get(authority.countyGss!) : undefined,
      },
      {
        nameCy,
        serves: twoTier ? 'district' : 'both',
        tier: twoTier ? 'district' : 'unitary',
        gss: authority.gss,
        place: authority.name.split(', ')[0]!,
      },
    );
  }
  for (const [name, nameCy, type] of CENTRAL)
    await create(
      { slug: slugify(name), name, nameCy, type },
      { nameCy, serves: 'central', tier: 'central', gss: null, place: 'United Kingdom' },
    );
  return bodies;
}

type Verb =
  | 'pay' | 'apply' | 'report' | 'book' | 'register' | 'renew' | 'find' | 'check' | 'request'
  | 'appeal' | 'cancel' | 'tell' | 'comment' | 'track' | 'complain'; // prettier-ignore

const VERBS: Record<Verb, [en: string, cy: string, interaction: InteractionType]> = {
  pay: ['Pay', 'Talu', 'paying'],
  apply: ['Apply for', 'Gwneud cais am', 'applications'],
  report: ['Report', 'Rhoi gwybod am', 'providing-information'],
  book: ['Book', 'Archebu', 'booking'],
  register: ['Register', 'Cofrestru', 'regulation'],
  renew: ['Renew', 'Adnewyddu', 'applications'],
  find: ['Find out about', 'Dysgu am', 'providing-information'],
  check: ['Check', 'Gwirio', 'providing-information'],
  request: ['Request', 'Gofyn am', 'applications'],
  appeal: ['Appeal against', 'Apelio yn erbyn', 'applications'],
  cancel: ['Cancel', 'Canslo', 'applications'],
  tell: ['Tell us about a change to', 'Rhoi gwybod am newid i', 'providing-information'],
  comment: ['Comment on', 'Rhoi sylwadau ar', 'consultation'],
  track: ['Track', 'Dilyn', 'providing-information'],
  complain: ['Complain about', 'Cwyno am', 'providing-information'],
};

interface Subject {
  en: string;
  cy: string;
  tier: 'district' | 'county' | 'central';
  verbs: Verb[];
  categories: Category[];
  lifeEvents?: LifeEvent[];
  groups?: CustomerGroup[];
  business?: BusinessStage[];
  keywords?: string;
  /** A fee in pence, for services that are paid for. */
  fee?: number;
}

// prettier-ignore
const SUBJECTS: Subject[] = [
  // District councils (and unitaries): billing, waste collection, planning, housing, licensing.
  { en: 'council tax', cy: 'treth gyngor', tier: 'district', verbs: ['pay', 'check', 'find', 'appeal'], categories: ['council-tax'], lifeEvents: ['moving-home'], keywords: 'bill band ctax' },
  { en: 'a council tax discount', cy: 'gostyngiad treth gyngor', tier: 'district', verbs: ['apply', 'renew', 'cancel'], categories: ['council-tax', 'benefits'], lifeEvents: ['moving-home', 'bereavement'], groups: ['older-people', 'disabled-people'], keywords: 'single person reduction' },
  { en: 'a missed bin collection', cy: 'casgliad bin a fethwyd', tier: 'district', verbs: ['report'], categories: ['waste'], keywords: 'bins rubbish refuse wheelie' },
  { en: 'a new wheelie bin', cy: 'bin olwynion newydd', tier: 'district', verbs: ['request', 'pay'], categories: ['waste'], lifeEvents: ['moving-home'], keywords: 'bin replacement recycling box', fee: 3500 },
  { en: 'garden waste collection', cy: 'casgliad gwastraff gardd', tier: 'district', verbs: ['apply', 'renew', 'cancel', 'pay'], categories: ['waste'], keywords: 'green bin subscription', fee: 5200 },
  { en: 'a bulky waste collection', cy: 'casgliad gwastraff swmpus', tier: 'district', verbs: ['book', 'cancel', 'pay'], categories: ['waste'], keywords: 'furniture sofa mattress fridge', fee: 2800 },
  { en: 'fly-tipping', cy: 'tipio anghyfreithlon', tier: 'district', verbs: ['report'], categories: ['waste', 'community'], keywords: 'dumped rubbish litter' },
  { en: 'noise nuisance', cy: 'niwsans sŵn', tier: 'district', verbs: ['report', 'complain'], categories: ['community'], keywords: 'neighbours music barking' },
  { en: 'planning permission', cy: 'caniatâd cynllunio', tier: 'district', verbs: ['apply', 'check', 'find'], categories: ['planning'], keywords: 'extension development householder', fee: 25800 },
  { en: 'a planning application', cy: 'cais cynllunio', tier: 'district', verbs: ['comment', 'track', 'appeal'], categories: ['planning'], keywords: 'objection decision' },
  { en: 'a building control inspection', cy: 'archwiliad rheoli adeiladu', tier: 'district', verbs: ['book', 'cancel'], categories: ['planning'], keywords: 'building regulations completion certificate' },
  { en: 'housing benefit', cy: 'budd-dal tai', tier: 'district', verbs: ['apply', 'tell', 'check'], categories: ['benefits', 'housing'], lifeEvents: ['losing-a-job'], groups: ['tenants'], keywords: 'rent help' },
  { en: 'social housing', cy: 'tai cymdeithasol', tier: 'district', verbs: ['apply', 'find'], categories: ['housing'], groups: ['tenants'], keywords: 'council house housing register' },
  { en: 'help if you are homeless', cy: 'help os ydych yn ddigartref', tier: 'district', verbs: ['request', 'find'], categories: ['housing'], keywords: 'homelessness eviction emergency' },
  { en: 'a disabled facilities grant', cy: 'grant cyfleusterau i bobl anabl', tier: 'district', verbs: ['apply'], categories: ['housing', 'social-care'], groups: ['disabled-people'], keywords: 'adaptation stairlift' },
  { en: 'a resident parking permit', cy: 'trwydded barcio preswylydd', tier: 'district', verbs: ['apply', 'renew', 'cancel', 'pay'], categories: ['transport'], groups: ['drivers'], lifeEvents: ['moving-home'], keywords: 'parking permit visitor', fee: 6000 },
  { en: 'a parking fine', cy: 'dirwy parcio', tier: 'district', verbs: ['pay', 'appeal'], categories: ['transport'], groups: ['drivers'], keywords: 'penalty charge notice pcn ticket', fee: 7000 },
  { en: 'a postal vote', cy: 'pleidlais bost', tier: 'district', verbs: ['apply', 'cancel'], categories: ['your-council'], keywords: 'voting election electoral register' },
  { en: 'the electoral register', cy: 'y gofrestr etholiadol', tier: 'district', verbs: ['check', 'find'], categories: ['your-council'], lifeEvents: ['moving-home'], keywords: 'register to vote voting' },
  { en: 'a premises licence', cy: 'trwydded safle', tier: 'district', verbs: ['apply', 'renew', 'tell'], categories: ['licensing', 'business'], business: ['trade'], keywords: 'alcohol pub entertainment', fee: 19000 },
  { en: 'a taxi driver licence', cy: 'trwydded gyrrwr tacsi', tier: 'district', verbs: ['apply', 'renew'], categories: ['licensing'], groups: ['drivers'], lifeEvents: ['getting-a-job'], keywords: 'hackney carriage private hire', fee: 25000 },
  { en: 'a street trading licence', cy: 'trwydded masnachu ar y stryd', tier: 'district', verbs: ['apply', 'renew'], categories: ['licensing', 'business'], business: ['trade'], groups: ['small-businesses'], keywords: 'market stall food van', fee: 15000 },
  { en: 'business rates', cy: 'ardrethi busnes', tier: 'district', verbs: ['pay', 'check', 'appeal'], categories: ['business', 'tax'], business: ['trade', 'grow'], groups: ['small-businesses'], keywords: 'non-domestic rates rateable value' },
  { en: 'small business rate relief', cy: 'rhyddhad ardrethi busnesau bach', tier: 'district', verbs: ['apply', 'check'], categories: ['business', 'tax'], business: ['grow'], groups: ['small-businesses'], keywords: 'sbr discount' },
  { en: 'a food business', cy: 'busnes bwyd', tier: 'district', verbs: ['register'], categories: ['business', 'licensing'], business: ['start'], lifeEvents: ['starting-a-business'], keywords: 'food hygiene registration cafe restaurant' },
  { en: 'a food hygiene problem', cy: 'problem hylendid bwyd', tier: 'district', verbs: ['report'], categories: ['community', 'business'], keywords: 'restaurant takeaway dirty' },
  { en: 'an abandoned vehicle', cy: 'cerbyd wedi’i adael', tier: 'district', verbs: ['report'], categories: ['transport', 'community'], keywords: 'car untaxed dumped' },
  { en: 'dog fouling', cy: 'baw cŵn', tier: 'district', verbs: ['report'], categories: ['community'], keywords: 'dog mess' },
  { en: 'a leisure centre class', cy: 'dosbarth canolfan hamdden', tier: 'district', verbs: ['book', 'cancel'], categories: ['libraries-leisure'], keywords: 'swimming gym fitness', fee: 650 },
  { en: 'an allotment', cy: 'rhandir', tier: 'district', verbs: ['apply', 'renew', 'cancel'], categories: ['community'], keywords: 'garden plot growing', fee: 4500 },
  { en: 'a pest control visit', cy: 'ymweliad rheoli plâu', tier: 'district', verbs: ['book', 'pay'], categories: ['community'], keywords: 'rats mice wasps', fee: 7500 },
  // County councils (and unitaries): roads, schools, libraries, social care, registration.
  { en: 'a pothole', cy: 'twll yn y ffordd', tier: 'county', verbs: ['report'], categories: ['transport'], groups: ['drivers'], keywords: 'road highway pavement' },
  { en: 'a faulty street light', cy: 'golau stryd diffygiol', tier: 'county', verbs: ['report'], categories: ['transport', 'community'], keywords: 'lamp lighting' },
  { en: 'a school place', cy: 'lle mewn ysgol', tier: 'county', verbs: ['apply', 'appeal', 'check'], categories: ['education'], lifeEvents: ['starting-school', 'moving-home'], groups: ['parents'], keywords: 'primary secondary admissions' },
  { en: 'free school meals', cy: 'prydau ysgol am ddim', tier: 'county', verbs: ['apply', 'check'], categories: ['education', 'benefits'], lifeEvents: ['starting-school', 'losing-a-job'], groups: ['parents'], keywords: 'lunch' },
  { en: 'school transport', cy: 'cludiant ysgol', tier: 'county', verbs: ['apply', 'pay', 'appeal'], categories: ['education', 'transport'], lifeEvents: ['starting-school'], groups: ['parents'], keywords: 'bus travel pass' },
  { en: 'a blue badge', cy: 'bathodyn glas', tier: 'county', verbs: ['apply', 'renew', 'report'], categories: ['transport', 'social-care'], groups: ['disabled-people', 'drivers'], keywords: 'disabled parking', fee: 1000 },
  { en: 'a concessionary bus pass', cy: 'tocyn bws consesiwn', tier: 'county', verbs: ['apply', 'renew'], categories: ['transport'], lifeEvents: ['retiring'], groups: ['older-people', 'disabled-people'], keywords: 'free bus travel' },
  { en: 'library books', cy: 'llyfrau llyfrgell', tier: 'county', verbs: ['renew', 'request'], categories: ['libraries-leisure'], keywords: 'library loans ebooks' },
  { en: 'a library card', cy: 'cerdyn llyfrgell', tier: 'county', verbs: ['apply'], categories: ['libraries-leisure'], lifeEvents: ['moving-home'], keywords: 'join the library membership' },
  { en: 'a birth', cy: 'genedigaeth', tier: 'county', verbs: ['register'], categories: ['births-deaths-marriages'], lifeEvents: ['having-a-baby'], groups: ['parents'], keywords: 'baby birth certificate registrar' },
  { en: 'a death', cy: 'marwolaeth', tier: 'county', verbs: ['register'], categories: ['births-deaths-marriages'], lifeEvents: ['bereavement'], keywords: 'death certificate registrar funeral' },
  { en: 'a wedding ceremony', cy: 'seremoni briodas', tier: 'county', verbs: ['book', 'cancel'], categories: ['births-deaths-marriages'], lifeEvents: ['getting-married'], keywords: 'marriage civil partnership registrar', fee: 46000 },
  { en: 'a copy certificate', cy: 'copi o dystysgrif', tier: 'county', verbs: ['request', 'pay'], categories: ['births-deaths-marriages'], keywords: 'birth death marriage certificate copy', fee: 1250 },
  { en: 'adult social care', cy: 'gofal cymdeithasol i oedolion', tier: 'county', verbs: ['apply', 'find', 'pay'], categories: ['social-care'], lifeEvents: ['becoming-a-carer', 'retiring'], groups: ['older-people', 'disabled-people'], keywords: 'care home home care needs assessment' },
  { en: 'a carer’s assessment', cy: 'asesiad gofalwr', tier: 'county', verbs: ['request'], categories: ['social-care'], lifeEvents: ['becoming-a-carer'], groups: ['carers'], keywords: 'caring support' },
  { en: 'childcare funding', cy: 'cyllid gofal plant', tier: 'county', verbs: ['apply', 'check', 'renew'], categories: ['education', 'benefits'], lifeEvents: ['having-a-baby'], groups: ['parents'], keywords: 'nursery free hours' },
  { en: 'a dropped kerb', cy: 'cwrb isel', tier: 'county', verbs: ['apply'], categories: ['transport'], groups: ['drivers'], keywords: 'driveway vehicle crossing', fee: 15000 },
  { en: 'a skip permit', cy: 'trwydded sgip', tier: 'county', verbs: ['apply'], categories: ['transport', 'licensing'], keywords: 'skip on the road', fee: 4000 },
  { en: 'a recycling centre visit', cy: 'ymweliad â chanolfan ailgylchu', tier: 'county', verbs: ['book', 'cancel'], categories: ['waste'], keywords: 'tip dump household waste' },
  { en: 'a road closure', cy: 'cau ffordd', tier: 'county', verbs: ['apply', 'find'], categories: ['transport'], keywords: 'street party roadworks', fee: 30000 },
  { en: 'flooding', cy: 'llifogydd', tier: 'county', verbs: ['report', 'find'], categories: ['community'], keywords: 'flood drain gully' },
  { en: 'a blocked footpath', cy: 'llwybr troed wedi’i rwystro', tier: 'county', verbs: ['report'], categories: ['transport', 'community'], keywords: 'public right of way bridleway' },
  // Central government.
  { en: 'Universal Credit', cy: 'Credyd Cynhwysol', tier: 'central', verbs: ['apply', 'tell', 'check'], categories: ['benefits'], lifeEvents: ['losing-a-job'], groups: ['jobseekers'], keywords: 'uc benefit' },
  { en: 'the State Pension', cy: 'Pensiwn y Wladwriaeth', tier: 'central', verbs: ['apply', 'check', 'find'], categories: ['work-pensions'], lifeEvents: ['retiring'], groups: ['older-people'], keywords: 'pension age forecast' },
  { en: 'Jobseeker’s Allowance', cy: 'Lwfans Ceisio Gwaith', tier: 'central', verbs: ['apply', 'check'], categories: ['benefits', 'work-pensions'], lifeEvents: ['losing-a-job'], groups: ['jobseekers'], keywords: 'jsa dole' },
  { en: 'Personal Independence Payment', cy: 'Taliad Annibyniaeth Personol', tier: 'central', verbs: ['apply', 'tell', 'check'], categories: ['benefits'], groups: ['disabled-people'], keywords: 'pip disability' },
  { en: 'Carer’s Allowance', cy: 'Lwfans Gofalwr', tier: 'central', verbs: ['apply', 'tell'], categories: ['benefits'], lifeEvents: ['becoming-a-carer'], groups: ['carers'], keywords: 'caring' },
  { en: 'Child Benefit', cy: 'Budd-dal Plant', tier: 'central', verbs: ['apply', 'tell', 'check'], categories: ['benefits'], lifeEvents: ['having-a-baby'], groups: ['parents'], keywords: 'children' },
  { en: 'vehicle tax', cy: 'treth cerbyd', tier: 'central', verbs: ['pay', 'check', 'cancel'], categories: ['transport', 'tax'], groups: ['drivers'], keywords: 'car tax road tax' },
  { en: 'a driving licence', cy: 'trwydded yrru', tier: 'central', verbs: ['apply', 'renew', 'tell'], categories: ['transport'], lifeEvents: ['learning-to-drive'], groups: ['drivers', 'young-people'], keywords: 'provisional photocard', fee: 3400 },
  { en: 'a driving test', cy: 'prawf gyrru', tier: 'central', verbs: ['book', 'cancel', 'check'], categories: ['transport'], lifeEvents: ['learning-to-drive'], groups: ['young-people'], keywords: 'practical theory test', fee: 6200 },
  { en: 'a passport', cy: 'pasbort', tier: 'central', verbs: ['apply', 'renew', 'track'], categories: ['your-council'], keywords: 'travel', fee: 8850 },
  { en: 'Self Assessment', cy: 'Hunanasesiad', tier: 'central', verbs: ['register', 'pay', 'check'], categories: ['tax'], business: ['start'], keywords: 'tax return self-employed' },
  { en: 'a limited company', cy: 'cwmni cyfyngedig', tier: 'central', verbs: ['register', 'find'], categories: ['business'], business: ['start', 'close'], lifeEvents: ['starting-a-business'], keywords: 'incorporation directors', fee: 5000 },
  { en: 'VAT', cy: 'TAW', tier: 'central', verbs: ['register', 'pay', 'check'], categories: ['business', 'tax'], business: ['grow', 'trade'], keywords: 'value added tax return' },
  { en: 'PAYE for employers', cy: 'TWE i gyflogwyr', tier: 'central', verbs: ['register', 'pay'], categories: ['business', 'tax'], business: ['employ'], keywords: 'payroll employees' },
  { en: 'a student loan', cy: 'benthyciad myfyriwr', tier: 'central', verbs: ['apply', 'check', 'tell'], categories: ['education'], groups: ['young-people'], keywords: 'tuition fee maintenance university' },
  { en: 'a criminal record check', cy: 'gwiriad cofnod troseddol', tier: 'central', verbs: ['apply', 'track'], categories: ['work-pensions'], lifeEvents: ['getting-a-job'], keywords: 'dbs disclosure', fee: 1800 },
  { en: 'a lasting power of attorney', cy: 'atwrneiaeth arhosol', tier: 'central', verbs: ['register', 'find'], categories: ['social-care'], groups: ['older-people', 'carers'], keywords: 'lpa decisions', fee: 8200 },
  { en: 'a rod fishing licence', cy: 'trwydded bysgota â gwialen', tier: 'central', verbs: ['apply', 'renew'], categories: ['libraries-leisure', 'licensing'], keywords: 'angling', fee: 3510 },
  { en: 'a National Insurance number', cy: 'rhif Yswiriant Gwladol', tier: 'central', verbs: ['apply', 'find'], categories: ['work-pensions', 'tax'], lifeEvents: ['getting-a-job'], groups: ['young-people'], keywords: 'ni number' },
  { en: 'Tax-Free Childcare', cy: 'Gofal Plant Di-dreth', tier: 'central', verbs: ['apply', 'renew', 'pay'], categories: ['benefits'], lifeEvents: ['having-a-baby'], groups: ['parents'], keywords: 'childcare account' },
];

/** Words that narrow a service, making titles and service keys more varied. */
const QUALIFIERS: [en: string, cy: string][] = [
  ['for a tenant', 'ar gyfer tenant'],
  ['for a second home', 'ar gyfer ail gartref'],
  ['for an empty property', 'ar gyfer eiddo gwag'],
  ['for landlords', 'ar gyfer landlordiaid'],
  ['for students', 'ar gyfer myfyrwyr'],
  ['for older people', 'ar gyfer pobl hŷn'],
  ['in an emergency', 'mewn argyfwng'],
  ['for a business', 'ar gyfer busnes'],
  ['for someone else', 'ar ran rhywun arall'],
  ['by post', 'drwy’r post'],
  ['outside office hours', 'y tu allan i oriau swyddfa'],
  ['for a community group', 'ar gyfer grŵp cymunedol'],
];

const INTROS = ['You can', 'Use this service to', 'Find out how to', 'This is where you'];
const INTROS_CY = ['Gallwch', 'Defnyddiwch y gwasanaeth hwn i', 'Dysgwch sut i'];
const HOW = ['online', 'online or by phone', 'online, by phone or in person', 'at any time, online', 'online in about 10 minutes']; // prettier-ignore
const NEEDS = [
  'your postcode', 'your account number', 'a debit or credit card', 'proof of address',
  'your National Insurance number', 'an email address', 'photos of the problem',
  'the date it happened', 'your reference number', 'your bank details', 'proof of identity',
  'the address of the property', 'your vehicle registration number', 'a recent photo',
]; // prettier-ignore
const NEEDS_CY = ['eich cod post', 'rhif eich cyfrif', 'cerdyn debyd neu gredyd', 'prawf o gyfeiriad', 'cyfeiriad e-bost', 'eich manylion banc']; // prettier-ignore
const RESPONSES = ['reply', 'contact you', 'make a decision', 'send you a confirmation', 'arrange a visit', 'tell you what happens next']; // prettier-ignore
const WHO = ['residents', 'people living', 'households', 'businesses and residents'];
const FALLBACKS = ['call us', 'visit a customer service centre', 'write to us', 'ask someone you trust to help you', 'use a computer at a library']; // prettier-ignore

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** A service of a body: the subject, verb and qualifier chosen, written in English and Welsh. */
function serviceText(
  body: Body,
  subject: Subject,
  verb: Verb,
  qualifier: [string, string] | null,
  pick: <T>(list: readonly T[]) => T,
  n: () => number,
): NewService {
  const [verbEn, verbCy, interaction] = VERBS[verb];
  const title = `${verbEn} ${subject.en}${qualifier ? ` ${qualifier[0]}` : ''}`;
  const titleCy = `${verbCy} ${subject.cy}${qualifier ? ` ${qualifier[1]}` : ''}`;
  const what = lowerFirst(title);
  const where = body.serves === 'central' ? 'the UK' : body.place;
  const paid =
    verb === 'pay' || (subject.fee !== undefined && ['apply', 'renew', 'book'].includes(verb));
  const body1 = [
    `${body.name} ${pick(['deals with', 'is responsible for', 'looks after'])} ${subject.en} for ${pick(WHO)} in ${where}.`,
    `You will need ${pick(NEEDS)} and ${pick(NEEDS)}.`,
    `It takes about ${5 + (n() % 4) * 5} minutes.`,
    `We will ${pick(RESPONSES)} within ${2 + (n() % 9)} working days.`,
    `If you cannot use the online service, ${pick(FALLBACKS)}.`,
  ];
  const channels: Channel[] = [{ kind: 'online-here' }];
  if (n() % 3 === 0)
    channels.push({
      kind: 'phone',
      number: `0${1200 + (n() % 800)} ${String(100000 + (n() % 900000))}`,
      hours: 'Monday to Friday, 9am to 5pm',
      hoursCy: 'Dydd Llun i ddydd Gwener, 9am i 5pm',
    });
  const interactions: Interaction[] = [{ type: interaction, eEnabled: true }];
  if (paid && interaction !== 'paying') interactions.push({ type: 'paying', eEnabled: true });
  return {
    organisationId: body.id,
    slug: '',
    title,
    titleCy,
    summary: `${pick(INTROS)} ${what} ${pick(HOW)} with ${body.name}.`,
    summaryCy: `${pick(INTROS_CY)} ${lowerFirst(titleCy)} gyda ${body.nameCy}.`,
    body: body1.slice(0, 3 + (n() % 3)).join(' '),
    bodyCy: `Gallwch ${lowerFirst(titleCy)} ar-lein gyda ${body.nameCy}. Bydd angen ${pick(NEEDS_CY)} arnoch.`,
    keywords: subject.keywords ?? '',
    audience: subject.business ? 'businesses' : 'citizens',
    fees: paid && subject.fee ? `£${(subject.fee / 100).toFixed(2)}.` : '',
    feesCy: paid && subject.fee ? `£${(subject.fee / 100).toFixed(2)}.` : '',
    feePence: paid && subject.fee ? subject.fee : null,
    channels,
    interactions,
    providerTier: body.tier,
    lifeEvents: subject.lifeEvents ?? [],
    customerGroups: subject.groups ?? [],
    categories: subject.categories,
    businessStages: subject.business ?? [],
    serviceKey: title
      .toLowerCase()
      .replace(/['’]/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, ''),
    requiredLevel: verb === 'report' || verb === 'find' ? 0 : 1,
  };
}

/** The subjects a body publishes: its tier's (both tiers for a unitary). */
function subjectsFor(body: Body): Subject[] {
  return SUBJECTS.filter((s) =>
    body.serves === 'both' ? s.tier !== 'central' : s.tier === body.serves,
  );
}

/**
 * The services to publish: `total` of them, 5% from the central bodies and the rest spread
 * evenly over the local ones, each body taking its tier's verb-and-subject pairs in its own
 * shuffled order and, now and then (or once those run out), with a qualifier.
 */
export function* servicesToPublish(bodies: Body[], total: number): Generator<NewService> {
  const draw = seededRandom(7);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(draw() * list.length)]!;
  const n = () => Math.floor(draw() * 1_000_000);
  const central = bodies.filter((b) => b.serves === 'central');
  const local = bodies.filter((b) => b.serves !== 'central');
  const centralTotal = Math.round(total * 0.05);
  const plan = new Map<Body, number>();
  for (const [i, body] of central.entries())
    plan.set(
      body,
      Math.floor(centralTotal / central.length) + (i < centralTotal % central.length ? 1 : 0),
    );
  const localTotal = total - centralTotal;
  for (const [i, body] of local.entries())
    plan.set(body, Math.floor(localTotal / local.length) + (i < localTotal % local.length ? 1 : 0));
  // Each central subject belongs to one central body.
  const centralSubjects = SUBJECTS.filter((s) => s.tier === 'central');
  for (const [b, body] of bodies.entries()) {
    const count = plan.get(body) ?? 0;
    if (count === 0) continue;
    const subjects =
      body.serves === 'central'
        ? centralSubjects.filter((_, i) => i % central.length === central.indexOf(body))
        : subjectsFor(body);
    const pairs = subjects.flatMap((subject) => subject.verbs.map((verb) => ({ subject, verb })));
    // A shuffle of the pairs, different for each body.
    const order = seededRandom(1000 + b);
    for (let i = pairs.length - 1; i > 0; i--) {
      const j = Math.floor(order() * (i + 1));
      [pairs[i], pairs[j]] = [pairs[j]!, pairs[i]!];
    }
    const keys = new Set<string>();
    for (let made = 0, attempt = 0; made < count; attempt++) {
      const pair = pairs[attempt % pairs.length]!;
      const round = Math.floor(attempt / pairs.length);
      const qualifier =
        round > 0 || draw() < 0.2 ? QUALIFIERS[(attempt + round * 5) % QUALIFIERS.length]! : null;
      const service = serviceText(body, pair.subject, pair.verb, qualifier, pick, n);
      let key = service.serviceKey!;
      if (keys.has(key)) {
        // Past every pair with every qualifier (only for very large runs): number them.
        if (round <= QUALIFIERS.length) continue;
        key = `${key}-${round}`;
      }
      keys.add(key);
      made++;
      yield { ...service, slug: `${key}-${body.slug}` };
    }
  }
}

/**
 * Publishes the services through `publishService`, `concurrency` at a time (PostgreSQL's pool
 * serves them in parallel; PGlite one by one). Returns how many and how long it took.
 */
export async function publishAll(
  db: Kysely<Database>,
  services: Iterable<NewService>,
  concurrency: number,
  onProgress: (published: number) => void,
): Promise<number> {
  const iterator = services[Symbol.iterator]();
  let published = 0;
  const workers = Array.from({ length: concurrency }, async () => {
    for (let next = iterator.next(); !next.done; next = iterator.next()) {
      const outcome = await publishService(db, next.value);
      if (!outcome.ok)
        throw new Error(
          `Publishing ${next.value.slug}: ${outcome.errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
        );
      published++;
      if (published % 1000 === 0) onProgress(published);
    }
  });
  await Promise.all(workers);
  return published;
}

/** What people type into the front door: the mix the search scenarios cycle through. */
export function searchQueries(bodies: Body[]): { query: string; kind: string }[] {
  const draw = seededRandom(99);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(draw() * list.length)]!;
  const bare = (subject: Subject) => subject.en.replace(/^(a|an|the) /, '');
  const queries: { query: string; kind: string }[] = [];
  // Most searches name the thing, sometimes with what they want to do with it.
  for (const subject of SUBJECTS) {
    queries.push({ query: bare(subject), kind: 'subject' });
    const verb = pick(subject.verbs);
    queries.push({ query: `${lowerFirst(VERBS[verb][0])} ${subject.en}`, kind: 'task' });
  }
  const places = bodies.filter((b) => b.serves !== 'central');
  for (let i = 0; i < 12; i++) {
    const subject = pick(SUBJECTS.filter((s) => s.tier !== 'central'));
    queries.push({ query: `${bare(subject)} ${pick(places).place}`, kind: 'place' });
  }
  for (const query of [
    'bins',
    'rubbish',
    'tip',
    'road tax',
    'ctax',
    'potholes',
    'taxi',
    'vote',
    'books',
    'dole',
    'nursery',
    'funeral',
  ])
    // prettier-ignore
    queries.push({ query, kind: 'synonym' });
  for (const query of [
    'treth gyngor',
    'trwydded barcio',
    'bathodyn glas',
    'biniau',
    'budd-dal tai',
    'lle mewn ysgol',
  ])
    // prettier-ignore
    queries.push({ query, kind: 'welsh' });
  for (const query of [
    'parkng permit',
    'counsil tax',
    'potholle',
    'blue bagde',
    'libary card',
    'garden wast',
    'housng benefit',
  ])
    // prettier-ignore
    queries.push({ query, kind: 'typo' });
  for (const query of ['xylophone lessons', 'quantum physics tutor', 'volcano insurance'])
    // prettier-ignore
    queries.push({ query, kind: 'nothing' });
  // Shuffled, so consecutive requests do not repeat a kind.
  for (let i = queries.length - 1; i > 0; i--) {
    const j = Math.floor(draw() * (i + 1));
    [queries[i], queries[j]] = [queries[j]!, queries[i]!];
  }
  return queries;
}
