import type { FieldError } from '../../../platform/errors/errors.js';
import type { ServiceContent, ServiceRow } from '../db/tables.js';
import {
  AUDIENCES,
  BUSINESS_STAGES,
  CATEGORIES,
  CUSTOMER_GROUPS,
  INTERACTION_TYPES,
  isTerm,
  LIFE_EVENTS,
  PROVIDER_TIERS,
  type Channel,
} from '../vocabularies.js';

/** A service's content as the services row holds it. */
export function contentOf(row: ServiceRow): ServiceContent {
  return {
    title: row.title,
    titleCy: row.title_cy,
    summary: row.summary,
    summaryCy: row.summary_cy,
    body: row.body,
    bodyCy: row.body_cy,
    keywords: row.keywords,
    audience: row.audience,
    eligibility: row.eligibility,
    eligibilityCy: row.eligibility_cy,
    fees: row.fees,
    feesCy: row.fees_cy,
    feePence: row.fee_pence,
    channels: row.channels,
    interactions: row.interactions,
    providerTier: row.provider_tier,
    lifeEvents: row.life_events,
    customerGroups: row.customer_groups,
    categories: row.categories,
    businessStages: row.business_stages,
    serviceKey: row.service_key,
    requiredLevel: row.required_level,
  };
}

/** The services columns that hold the content (jsonb as JSON text). */
export function columnsOf(content: ServiceContent) {
  return {
    title: content.title,
    title_cy: content.titleCy,
    summary: content.summary,
    summary_cy: content.summaryCy,
    body: content.body,
    body_cy: content.bodyCy,
    keywords: content.keywords,
    audience: content.audience,
    eligibility: content.eligibility,
    eligibility_cy: content.eligibilityCy,
    fees: content.fees,
    fees_cy: content.feesCy,
    fee_pence: content.feePence,
    channels: JSON.stringify(content.channels),
    interactions: JSON.stringify(content.interactions),
    provider_tier: content.providerTier,
    life_events: JSON.stringify(content.lifeEvents),
    customer_groups: JSON.stringify(content.customerGroups),
    categories: JSON.stringify(content.categories),
    business_stages: JSON.stringify(content.businessStages),
    service_key: content.serviceKey,
    required_level: content.requiredLevel,
  };
}

function channelProblem(channel: Channel): string | null {
  switch (channel.kind) {
    case 'online-here':
      return null;
    case 'online-elsewhere':
      return /^https:\/\/[^\s]+$/.test(channel.url) ? null : 'catalogue.staff.error.url';
    case 'phone':
      return /^[0-9 +()]{6,20}$/.test(channel.number) ? null : 'catalogue.staff.error.phone';
    case 'in-person':
    case 'post':
      return channel.address.trim() ? null : 'catalogue.staff.error.address';
  }
}

/**
 * What is wrong with a service's content, as message keys by field: the English title and
 * summary are needed (the Welsh is optional: a service owner may publish in English first, and
 * the Welsh page shows the English with a notice until it is written), vocabularies are checked,
 * at least one way of applying, and every e-enabled interaction must be one the service has.
 */
export function contentProblems(content: ServiceContent): FieldError[] {
  const errors: FieldError[] = [];
  const required: [keyof ServiceContent, string][] = [
    ['title', 'catalogue.staff.error.title'],
    ['summary', 'catalogue.staff.error.summary'],
  ];
  for (const [field, message] of required)
    if (!String(content[field]).trim()) errors.push({ field, message });
  if (content.title.length > 120 || content.titleCy.length > 120)
    errors.push({ field: 'title', message: 'catalogue.staff.error.titleLength' });
  if (!isTerm(AUDIENCES, content.audience))
    errors.push({ field: 'audience', message: 'catalogue.staff.error.audience' });
  if (!isTerm(PROVIDER_TIERS, content.providerTier))
    errors.push({ field: 'providerTier', message: 'catalogue.staff.error.tier' });
  if (content.feePence !== null && (!Number.isInteger(content.feePence) || content.feePence < 0))
    errors.push({ field: 'feePounds', message: 'catalogue.staff.error.fee' });
  if (![0, 1, 2, 3].includes(content.requiredLevel))
    errors.push({ field: 'requiredLevel', message: 'catalogue.staff.error.level' });
  if (
    !content.lifeEvents.every((v) => isTerm(LIFE_EVENTS, v)) ||
    !content.customerGroups.every((v) => isTerm(CUSTOMER_GROUPS, v)) ||
    !content.categories.every((v) => isTerm(CATEGORIES, v)) ||
    !content.businessStages.every((v) => isTerm(BUSINESS_STAGES, v)) ||
    !content.interactions.every((i) => isTerm(INTERACTION_TYPES, i.type))
  )
    errors.push({ field: 'categories', message: 'catalogue.staff.error.vocabulary' });
  if (content.serviceKey !== null && !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(content.serviceKey))
    errors.push({ field: 'serviceKey', message: 'catalogue.staff.error.serviceKey' });
  if (content.channels.length === 0)
    errors.push({ field: 'channels', message: 'catalogue.staff.error.channels' });
  for (const channel of content.channels) {
    const problem = channelProblem(channel);
    if (problem) errors.push({ field: `channel-${channel.kind}`, message: problem });
  }
  return errors;
}
