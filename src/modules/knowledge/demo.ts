import type { Db } from '../../platform/db/database.js';
import { addMonths, londonDate } from '../../platform/time/london.js';
import { findPublishedService } from '../catalogue/index.js';
import { findUserIdByEmail } from '../identity/index.js';
import { findOrganisationBySlug } from '../organisations/index.js';
import { parseOpeningHours, type OpeningPeriod } from './hours.js';

function hours(text: string): OpeningPeriod[] {
  const reading = parseOpeningHours(text);
  if (!reading.ok) throw new Error(`Demo opening hours refused: ${text}`);
  return reading.periods;
}

/** The demo directory: each body's contact points, and the routing rules that send calls to them. */
const CONTACT_POINTS = [
  {
    key: 'stroud-revenues',
    body: 'stroud',
    name: 'Revenues (Council Tax and business rates)',
    nameCy: 'Refeniw (Treth Gyngor ac ardrethi busnes)',
    phone: '+441453766321',
    email: 'revenues@stroud.example.gov.uk',
    address: 'Ebley Mill, Ebley Wharf, Stroud GL5 4UB',
    hours: 'Mon-Fri 09:00-17:00',
  },
  {
    key: 'stroud-waste',
    body: 'stroud',
    name: 'Waste and recycling',
    nameCy: 'Gwastraff ac ailgylchu',
    phone: '+441453754000',
    email: null,
    address: '',
    hours: 'Mon-Thu 08:30-17:00\nFri 08:30-16:30',
  },
  {
    key: 'cheltenham-revenues',
    body: 'cheltenham',
    name: 'Council Tax',
    nameCy: 'Treth Gyngor',
    phone: '+441242262626',
    email: 'counciltax@cheltenham.example.gov.uk',
    address: 'Municipal Offices, Promenade, Cheltenham GL50 9SA',
    hours: 'Mon-Fri 09:00-17:00',
  },
  {
    key: 'gloucestershire-admissions',
    body: 'gloucestershire',
    name: 'School admissions and transport',
    nameCy: 'Derbyn i ysgolion a chludiant',
    phone: '+441452425000',
    email: 'admissions@gloucestershire.example.gov.uk',
    address: 'Shire Hall, Westgate Street, Gloucester GL1 2TG',
    hours: 'Mon-Fri 09:00-17:00',
  },
  {
    key: 'bristol-council-tax',
    body: 'bristol',
    name: 'Council Tax',
    nameCy: 'Treth Gyngor',
    phone: '+441179222900',
    email: null,
    address: 'City Hall, College Green, Bristol BS1 5TR',
    hours: 'Mon-Fri 09:30-16:30',
  },
  {
    key: 'dwp-pensions',
    body: 'dwp',
    name: 'The Pension Service',
    nameCy: 'Y Gwasanaeth Pensiwn',
    phone: '+448007317898',
    email: null,
    address: '',
    hours: 'Mon-Fri 08:00-18:00',
  },
] as const;

const RULES: {
  point: (typeof CONTACT_POINTS)[number]['key'];
  serviceKey: string | null;
  topic: string;
  area: string;
  hours?: string;
  notes?: string;
}[] = [
  {
    point: 'stroud-revenues',
    serviceKey: 'pay-council-tax',
    topic: 'Council Tax',
    area: 'E07000082',
  },
  {
    point: 'stroud-revenues',
    serviceKey: 'council-tax-single-person-discount',
    topic: '',
    area: 'E07000082',
    hours: 'Mon-Fri 10:00-16:00',
    notes: 'Discount queries are answered by the revenues team’s benefits desk, 10 to 4.',
  },
  {
    point: 'stroud-waste',
    serviceKey: 'request-a-bulky-waste-collection',
    topic: 'Bins',
    area: 'E07000082',
  },
  {
    point: 'cheltenham-revenues',
    serviceKey: 'pay-council-tax',
    topic: 'Council Tax',
    area: 'E07000078',
  },
  {
    point: 'gloucestershire-admissions',
    serviceKey: 'apply-for-a-school-place',
    topic: 'School places',
    area: 'E10000013',
  },
  {
    point: 'gloucestershire-admissions',
    serviceKey: 'school-transport',
    topic: 'School transport',
    area: 'E10000013',
  },
  {
    point: 'bristol-council-tax',
    serviceKey: 'pay-council-tax',
    topic: 'Council Tax',
    area: 'E06000023',
  },
  { point: 'dwp-pensions', serviceKey: null, topic: 'State Pension', area: 'E92000001' },
  { point: 'dwp-pensions', serviceKey: null, topic: 'State Pension', area: 'W92000004' },
];

/** Stroud's articles for its advisers; one is past its review date, to show the review list. */
const ARTICLES = [
  {
    service: 'pay-council-tax-stroud',
    kind: 'script' as const,
    title: 'Council Tax: taking a payment over the phone',
    titleCy: 'Treth Gyngor: cymryd taliad dros y ffôn',
    body: 'Confirm the caller’s name and the first line of the address on the bill.\n\nAsk for the Council Tax account reference: it is on the bill and starts with 5.\n\nTell the caller the amount due and the date of the next instalment before taking the card details.',
    bodyCy:
      'Cadarnhewch enw’r galwr a llinell gyntaf y cyfeiriad ar y bil.\n\nGofynnwch am gyfeirnod y cyfrif Treth Gyngor: mae ar y bil ac yn dechrau gyda 5.\n\nDywedwch wrth y galwr faint sy’n ddyledus a dyddiad y rhandaliad nesaf cyn cymryd manylion y cerdyn.',
    months: 6,
  },
  {
    service: 'council-tax-single-person-discount-stroud',
    kind: 'faq' as const,
    title: 'Single person discount: who counts as an adult living there?',
    titleCy: '',
    body: 'Students, apprentices and people under 18 are not counted.\n\nA lodger is counted. Someone who is away for a long time (in hospital or a care home) may not be: pass the call to the revenues team.',
    bodyCy: '',
    months: 12,
  },
  {
    service: 'request-a-bulky-waste-collection',
    kind: 'policy' as const,
    title: 'Bulky waste: what we collect and the charge',
    titleCy: 'Gwastraff swmpus: beth rydym yn ei gasglu a’r tâl',
    body: 'We collect up to three large items for one charge. We do not collect building rubble, asbestos or tyres.\n\nPeople receiving Council Tax Support pay half.',
    bodyCy:
      'Rydym yn casglu hyd at dri eitem fawr am un tâl. Nid ydym yn casglu rwbel adeiladu, asbestos na theiars.\n\nMae pobl sy’n cael Cymorth y Dreth Gyngor yn talu hanner.',
    months: -1,
  },
];

/**
 * The demo knowledge base and directory, seeded with the demo (src/main/seed.ts): contact points
 * of Stroud, Cheltenham, Gloucestershire, Bristol and DWP with their routing rules ("council tax
 * in Stroud → Stroud revenues, 01453 766321, 9 to 5"), and three of Stroud's articles owned by
 * its demo service owner, one of them past its review date.
 */
export async function seedDemoKnowledge(trx: Db, now = new Date()): Promise<void> {
  const points = new Map<string, string>();
  for (const point of CONTACT_POINTS) {
    const body = await findOrganisationBySlug(trx, point.body);
    if (!body) continue;
    const { id } = await trx
      .insertInto('knowledge_contact_points')
      .values({
        organisation_id: body.id,
        name: point.name,
        name_cy: point.nameCy,
        phone: point.phone,
        email: point.email,
        address: point.address,
        opening_hours: JSON.stringify(hours(point.hours)),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    points.set(point.key, id);
  }
  for (const rule of RULES) {
    const pointId = points.get(rule.point);
    const body = CONTACT_POINTS.find((p) => p.key === rule.point)!.body;
    const organisation = await findOrganisationBySlug(trx, body);
    if (!pointId || !organisation) continue;
    await trx
      .insertInto('knowledge_routing_rules')
      .values({
        organisation_id: organisation.id,
        service_key: rule.serviceKey,
        topic: rule.topic,
        area_gss: rule.area,
        contact_point_id: pointId,
        opening_hours: rule.hours ? JSON.stringify(hours(rule.hours)) : null,
        notes: rule.notes ?? '',
      })
      .execute();
  }
  const stroud = await findOrganisationBySlug(trx, 'stroud');
  if (stroud)
    await trx
      .insertInto('knowledge_experts')
      .values({
        organisation_id: stroud.id,
        name: 'Dana Hughes',
        role: 'Revenues team leader',
        topics: 'Council Tax discounts, exemptions, arrears and summonses',
        how_to_reach: 'Teams, or extension 4417 from 9 to 5',
      })
      .execute();
  const owner = await findUserIdByEmail(trx, 'owner@stroud.example.gov.uk');
  const today = londonDate(now);
  for (const article of ARTICLES) {
    const service = await findPublishedService(trx, article.service, 'en');
    if (!service || !owner) continue;
    await trx
      .insertInto('knowledge_articles')
      .values({
        organisation_id: service.organisation.id,
        service_id: service.id,
        kind: article.kind,
        title: article.title,
        title_cy: article.titleCy,
        body: article.body,
        body_cy: article.bodyCy,
        owner_user_id: owner,
        review_due: addMonths(today, article.months),
        status: 'published',
      })
      .execute();
  }
}
