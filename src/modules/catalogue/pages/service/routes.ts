import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../../../platform/db/database.js';
import { notFound } from '../../../../platform/errors/errors.js';
import type { AppContext } from '../../../../platform/http/types.js';
import { resolveProvider, type ProviderTier as ResolvedTier } from '../../../address/index.js';
import { findOrganisationById, lookupGssCode } from '../../../organisations/index.js';
import { ruleSetInForce } from '../../../rules/index.js';
import {
  findPublishedService,
  findVersionOfService,
  type PublicService,
} from '../../queries/services.js';
import {
  AUDIENCES,
  CHANNEL_KINDS,
  CUSTOMER_GROUPS,
  INTERACTION_TYPES,
  LIFE_EVENTS,
  labelOf,
  PROVIDER_TIERS,
} from '../../vocabularies.js';
import { postcodeProblemView, type PostcodeProblemView } from '../postcode-problems.js';
import { serviceJsonLd, type AreaServed } from './json-ld.js';

const SERVICE = 'modules/catalogue/pages/service/service.njk';
const ELSEWHERE = 'modules/catalogue/pages/service/elsewhere.njk';

/** The longest postcode text read from the query; a postcode has at most 8 characters. */
const MAX_POSTCODE_INPUT = 20;

/**
 * The tier of body to look up for a service whose page asks for a postcode, or null when it
 * asks none: central services are the same everywhere, and a service without a service key is
 * not known to be provided by other bodies ('any' local body is the council at district level).
 *
 * @example postcodeTier(payCouncilTaxStroud) // → 'district'
 */
export function postcodeTier(service: PublicService): ResolvedTier | null {
  if (!service.serviceKey) return null;
  switch (service.providerTier) {
    case 'central':
      return null;
    case 'any':
      return 'any-local';
    default:
      return service.providerTier;
  }
}

/** The area a body serves, from its GSS code, for the JSON-LD; undefined when not known. */
async function areaServed(db: Db, service: PublicService): Promise<AreaServed | undefined> {
  const organisation = await findOrganisationById(db, service.organisation.id);
  const gssCode = organisation?.gss_code;
  const name = gssCode ? lookupGssCode(gssCode)?.name : undefined;
  return gssCode && name ? { name, gssCode } : undefined;
}

function queryText(request: FastifyRequest, name: string): string | undefined {
  const value = (request.query as Record<string, unknown>)[name];
  return typeof value === 'string' ? value.slice(0, MAX_POSTCODE_INPUT) : undefined;
}

/** What the service page shows beyond the service itself. */
interface PageExtras {
  /** The postcode confirmed to be in this body's area for this service. */
  confirmedPostcode?: string;
  postcodeValue?: string;
  /** Why the postcode typed gives no body: the error summary and the field's error. */
  problem?: PostcodeProblemView;
}

/** Renders the service page: the service, the postcode question when it asks one, JSON-LD. */
async function renderService(
  request: FastifyRequest,
  reply: FastifyReply,
  context: AppContext,
  service: PublicService,
  extras: PageExtras = {},
) {
  const locale = request.locale;
  const paragraphs = service.body
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  return reply.view(SERVICE, {
    service,
    paragraphs,
    backLink: '/',
    // On a Welsh page, the parts still in English are marked lang="en".
    english: Object.fromEntries(service.inEnglish.map((part) => [part, true])),
    asksPostcode: postcodeTier(service) !== null,
    // "Check if you can get this" (the rules module's page) when eligibility rules are in force.
    eligibilityCheck: (await ruleSetInForce(context.db, service.id, 'eligibility')) !== undefined,
    postcodeValue: extras.postcodeValue ?? '',
    confirmedPostcode: extras.confirmedPostcode,
    jsonLd: serviceJsonLd(
      service,
      context.config.baseUrl,
      locale,
      await areaServed(context.db, service),
    ),
    channels: service.channels.map((c) => ({
      ...c,
      label: labelOf(CHANNEL_KINDS, c.kind, locale),
    })),
    audience: labelOf(AUDIENCES, service.audience, locale),
    tier: labelOf(PROVIDER_TIERS, service.providerTier, locale),
    lifeEvents: service.lifeEvents.map((v) => labelOf(LIFE_EVENTS, v, locale)),
    groups: service.customerGroups.map((v) => labelOf(CUSTOMER_GROUPS, v, locale)),
    interactions: service.interactions.map((i) => ({
      text: labelOf(INTERACTION_TYPES, i.type, locale),
      eEnabled: i.eEnabled,
    })),
    ...extras.problem,
  });
}

/**
 * The postcode a page was sent with (`?postcode=`), normalised, when it really is in the area of
 * the body providing this service; a postcode for anywhere else is ignored, so a link cannot
 * make a page claim to be the service for an address it is not for.
 */
async function confirmedPostcode(
  db: Db,
  service: PublicService,
  typed: string | undefined,
): Promise<string | undefined> {
  const tier = postcodeTier(service);
  if (!tier || !typed) return undefined;
  const resolution = await resolveProvider(db, typed, tier);
  return resolution.ok && resolution.provider?.organisation?.id === service.organisation.id
    ? resolution.postcode
    : undefined;
}

/**
 * The public page of one published service (`GET /services/:slug`) and its postcode question
 * (`GET /services/:slug/where?postcode=`): a local service several bodies provide sends the
 * person to the version of the body responsible for their address.
 */
export function servicePageRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;

  app.get('/services/:slug', async (request, reply) => {
    const { slug } = request.params as { slug: string };
    const service = await findPublishedService(db, slug, request.locale);
    if (!service) throw notFound({ slug });
    const confirmed = await confirmedPostcode(db, service, queryText(request, 'postcode'));
    return renderService(request, reply, context, service, {
      confirmedPostcode: confirmed,
      postcodeValue: confirmed,
    });
  });

  app.get('/services/:slug/where', async (request, reply) => {
    const { slug } = request.params as { slug: string };
    const service = await findPublishedService(db, slug, request.locale);
    if (!service) throw notFound({ slug });
    const tier = postcodeTier(service);
    if (!tier || !service.serviceKey) return reply.redirect(`/services/${slug}`, 303);
    const typed = queryText(request, 'postcode') ?? '';
    const resolution = await resolveProvider(db, typed, tier);
    if (!resolution.ok) {
      reply.code(400);
      return renderService(request, reply, context, service, {
        postcodeValue: typed,
        problem: postcodeProblemView(resolution, typed, request),
      });
    }
    const provider = resolution.provider;
    if (!provider) return reply.redirect(`/services/${slug}`, 303);
    const organisationId = provider.organisation?.id;
    if (organisationId === service.organisation.id)
      return renderService(request, reply, context, service, {
        confirmedPostcode: resolution.postcode,
        postcodeValue: resolution.postcode,
      });
    const version = organisationId
      ? await findVersionOfService(db, service.serviceKey, organisationId, request.locale)
      : undefined;
    if (version) {
      const query = new URLSearchParams({ postcode: resolution.postcode });
      return reply.redirect(`/services/${version.slug}?${query.toString()}`, 303);
    }
    return reply.view(ELSEWHERE, {
      service,
      postcode: resolution.postcode,
      body: (request.locale === 'cy' ? provider.nameCy : null) ?? provider.name,
      backLink: `/services/${service.slug}`,
      english: Object.fromEntries(service.inEnglish.map((part) => [part, true])),
    });
  });
}
