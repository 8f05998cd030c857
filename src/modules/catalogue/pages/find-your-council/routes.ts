import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { notFound } from '../../../../platform/errors/errors.js';
import type { Database } from '../../../../platform/db/database.js';
import type { Locale, Translate } from '../../../../platform/i18n/i18n.js';
import {
  isProviderTier,
  resolveProvider,
  type Provider,
  type ProviderTier,
} from '../../../address/index.js';
import { findOrganisationById } from '../../../organisations/index.js';
import {
  findPublishedService,
  findVersionOfService,
  type PublicService,
} from '../../queries/services.js';
import { postcodeProblemView } from '../postcode-problems.js';

const VIEW = 'modules/catalogue/pages/find-your-council/find-your-council.njk';

/** A tier as the catalogue writes it ('any') or as resolveProvider takes it ('any-local'). */
function tierFrom(value: unknown): ProviderTier | undefined {
  if (value === 'any') return 'any-local';
  return isProviderTier(value) ? value : undefined;
}

/**
 * The tier of body that provides a service, as the catalogue declares it; for one it does not,
 * the tier of the body that published it.
 */
async function tierOfService(db: Kysely<Database>, service: PublicService): Promise<ProviderTier> {
  const tier = tierFrom(service.providerTier);
  if (tier) return tier;
  const organisation = await findOrganisationById(db, service.organisation.id);
  switch (organisation?.type) {
    case 'county':
      return 'county';
    case 'district':
      return 'district';
    case 'central-department':
    case 'executive-agency':
      return 'central';
    default:
      return 'any-local';
  }
}

/**
 * The responsible body's own version of a service: the same service if it published it,
 * otherwise its published service with the same service key (every body's version of a service
 * shares one, e.g. 'pay-council-tax').
 */
async function versionFor(
  db: Kysely<Database>,
  service: PublicService,
  provider: Provider,
  locale: Locale,
): Promise<PublicService | undefined> {
  const organisationId = provider.organisation?.id;
  if (!organisationId) return undefined;
  if (service.organisation.id === organisationId) return service;
  if (!service.serviceKey) return undefined;
  return findVersionOfService(db, service.serviceKey, organisationId, locale);
}

function bodyView(provider: Provider, locale: Locale) {
  return {
    name: (locale === 'cy' ? provider.nameCy : null) ?? provider.name,
    level: provider.level,
    onPlatform: provider.organisation !== null,
  };
}

const LEVEL_LABEL = { county: 'county', district: 'district', unitary: 'council' } as const;

/** GOV.UK summary list rows: which council, and what councils at that level do. */
function summaryRows(bodies: ReturnType<typeof bodyView>[], t: Translate) {
  return bodies.map((body) => {
    const examples =
      body.level === 'unitary' ? '' : t(`catalogue.findYourCouncil.result.${body.level}Examples`);
    return {
      key: { text: t(`catalogue.findYourCouncil.result.${LEVEL_LABEL[body.level]}`) },
      value: {
        html:
          `<p class="govuk-body govuk-!-margin-bottom-1"><strong>${escapeHtml(body.name)}</strong></p>` +
          (examples
            ? `<p class="govuk-body-s govuk-!-margin-bottom-0">${escapeHtml(examples)}</p>`
            : ''),
      },
    };
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * GET /find-your-council?postcode=&service=<slug>[&tier=]: the GOV.UK "find your local council"
 * pattern. With no postcode, the question; with one, the body responsible for that address — for a
 * service, the body of that service's tier, with a link to its version of the service.
 */
export function findYourCouncilRoutes(app: FastifyInstance, db: Kysely<Database>): void {
  app.get('/find-your-council', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const text = (name: string) =>
      typeof query[name] === 'string' ? (query[name] as string).slice(0, 100) : undefined;
    const serviceSlug = text('service');
    const service = serviceSlug
      ? await findPublishedService(db, serviceSlug, request.locale)
      : undefined;
    if (serviceSlug && !service) throw notFound({ service: serviceSlug });
    const tier = service ? await tierOfService(db, service) : (tierFrom(text('tier')) ?? null);
    const typed = text('postcode');
    const common = {
      service,
      tier,
      postcodeValue: typed ?? '',
      backLink: service ? `/services/${service.slug}` : undefined,
    };
    if (typed === undefined) return reply.view(VIEW, common);

    if (tier === 'central')
      return reply.view(VIEW, { ...common, result: { central: true, postcode: typed.trim() } });
    // Without a service, show the councils at both tiers: the county (if any) and the district.
    const resolution = await resolveProvider(db, typed, tier ?? 'district');
    if (!resolution.ok)
      return reply
        .code(400)
        .view(VIEW, { ...common, ...postcodeProblemView(resolution, typed, request) });
    const locale = request.locale;
    const bodies: ReturnType<typeof bodyView>[] = [];
    if (!tier && resolution.twoTier) {
      const county = await resolveProvider(db, resolution.postcode, 'county');
      if (county.ok && county.provider) bodies.push(bodyView(county.provider, locale));
    }
    if (resolution.provider) bodies.push(bodyView(resolution.provider, locale));
    const version =
      service && resolution.provider
        ? await versionFor(db, service, resolution.provider, locale)
        : undefined;
    return reply.view(VIEW, {
      ...common,
      result: {
        postcode: resolution.postcode,
        twoTier: resolution.twoTier,
        boundary: resolution.boundarySector,
        bodies,
        rows: summaryRows(bodies, request.t),
        version,
      },
    });
  });
}
