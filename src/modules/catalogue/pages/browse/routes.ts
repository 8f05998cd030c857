import type { FastifyInstance } from 'fastify';
import { notFound } from '../../../../platform/errors/errors.js';
import type { AppContext } from '../../../../platform/http/types.js';
import type { Locale } from '../../../../platform/i18n/i18n.js';
import { listOrganisations, type OrganisationRow } from '../../../organisations/index.js';
import { countServicesByOrganisation } from '../../queries/browse.js';
import { findServices, type PublicService } from '../../queries/services.js';
import {
  BUSINESS_STAGES,
  CATEGORIES,
  isTerm,
  labelOf,
  LIFE_EVENTS,
  type Channel,
} from '../../vocabularies.js';
import { groupByLetter } from './a-to-z.js';
import {
  breadcrumbs,
  byTitle,
  isCentral,
  listItem,
  nameOf,
  serviceCount,
  typeLabel,
} from './view.js';

const VIEWS = {
  topic: 'modules/catalogue/pages/browse/topic.njk',
  lifeEvent: 'modules/catalogue/pages/browse/life-event.njk',
  business: 'modules/catalogue/pages/browse/business.njk',
  stage: 'modules/catalogue/pages/browse/stage.njk',
  bodies: 'modules/catalogue/pages/browse/bodies.njk',
  body: 'modules/catalogue/pages/browse/body.njk',
};

/** The value said most often (first said on a tie), or null when none was said. */
function mostCommon(values: string[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | null = null;
  for (const [value, count] of counts) if (best === null || count > counts.get(best)!) best = value;
  return best;
}

/**
 * A body's phone number and address as its services give them most often: organisation rows
 * hold no contact details, so these are the ones a person would meet on its service pages.
 */
function contactOf(services: PublicService[], locale: Locale) {
  const channels: Channel[] = services.flatMap((s) => s.channels);
  const phone = mostCommon(channels.flatMap((c) => (c.kind === 'phone' ? [c.number] : [])));
  const address = mostCommon(
    channels.flatMap((c) =>
      c.kind === 'in-person' || c.kind === 'post'
        ? [locale === 'cy' ? c.addressCy : c.address]
        : [],
    ),
  );
  return { phone, address };
}

/**
 * Browsing the front door (issue 4): topics at /browse/:category, life events at
 * /life-events/:event, the business section by stage of a business's life at /business-services
 * (/business is the agents module's business accounts), and the A–Z of public bodies at /bodies
 * with a page per body at /bodies/:slug.
 */
export function browseRoutes(app: FastifyInstance, { db }: AppContext): void {
  app.get('/browse/:category', async (request, reply) => {
    const { category } = request.params as { category: string };
    if (!isTerm(CATEGORIES, category)) throw notFound({ category });
    const locale = request.locale;
    const { services } = await findServices(db, { locale, category });
    return reply.view(VIEWS.topic, {
      heading: labelOf(CATEGORIES, category, locale),
      count: serviceCount(request.t, services.length),
      services: byTitle(services, locale).map(listItem),
      breadcrumbs: breadcrumbs(request.t),
    });
  });

  app.get('/life-events/:event', async (request, reply) => {
    const { event } = request.params as { event: string };
    if (!isTerm(LIFE_EVENTS, event)) throw notFound({ event });
    const locale = request.locale;
    const [{ services }, organisations] = await Promise.all([
      findServices(db, { locale, lifeEvent: event }),
      listOrganisations(db),
    ]);
    const typeOf = new Map(organisations.map((o) => [o.id, o.type]));
    const sorted = byTitle(services, locale);
    return reply.view(VIEWS.lifeEvent, {
      heading: labelOf(LIFE_EVENTS, event, locale),
      intro: request.t(`catalogue.browse.lifeEvent.intro.${event}`),
      central: sorted.filter((s) => isCentral(typeOf.get(s.organisation.id))).map(listItem),
      local: sorted.filter((s) => !isCentral(typeOf.get(s.organisation.id))).map(listItem),
      breadcrumbs: breadcrumbs(request.t),
    });
  });

  app.get('/business-services', async (request, reply) => {
    const locale = request.locale;
    const stages = [];
    for (const stage of BUSINESS_STAGES) {
      const { services } = await findServices(db, { locale, businessStage: stage.value });
      stages.push({
        href: `/business-services/${stage.value}`,
        heading: stage[locale],
        description: request.t(`catalogue.browse.business.stage.${stage.value}`),
        count: serviceCount(request.t, services.length),
        services: byTitle(services, locale).map(listItem),
      });
    }
    return reply.view(VIEWS.business, { stages, breadcrumbs: breadcrumbs(request.t) });
  });

  app.get('/business-services/:stage', async (request, reply) => {
    const { stage } = request.params as { stage: string };
    if (!isTerm(BUSINESS_STAGES, stage)) throw notFound({ stage });
    const locale = request.locale;
    const { services } = await findServices(db, { locale, businessStage: stage });
    return reply.view(VIEWS.stage, {
      heading: labelOf(BUSINESS_STAGES, stage, locale),
      description: request.t(`catalogue.browse.business.stage.${stage}`),
      count: serviceCount(request.t, services.length),
      services: byTitle(services, locale).map(listItem),
      breadcrumbs: breadcrumbs(request.t, {
        text: request.t('catalogue.browse.business.title'),
        href: '/business-services',
      }),
    });
  });

  app.get('/bodies', async (request, reply) => {
    const locale = request.locale;
    const [organisations, counts] = await Promise.all([
      listOrganisations(db),
      countServicesByOrganisation(db),
    ]);
    const bodies = organisations.map((o) => ({
      name: nameOf(o, locale),
      href: `/bodies/${o.slug}`,
      type: typeLabel(request.t, o.type),
      count: serviceCount(request.t, counts.get(o.id) ?? 0),
    }));
    const { groups, navigation: letters } = groupByLetter(bodies, (b) => b.name, locale);
    return reply.view(VIEWS.bodies, { groups, letters, breadcrumbs: breadcrumbs(request.t) });
  });

  app.get('/bodies/:slug', async (request, reply) => {
    const { slug } = request.params as { slug: string };
    const locale = request.locale;
    const organisations = /^[a-z0-9-]{1,60}$/.test(slug) ? await listOrganisations(db) : [];
    const body = organisations.find((o) => o.slug === slug);
    if (!body) throw notFound({ slug });
    const link = (o: OrganisationRow) => ({ text: nameOf(o, locale), href: `/bodies/${o.slug}` });
    const parent = organisations.find((o) => o.id === body.parent_id);
    const children = organisations.filter((o) => o.parent_id === body.id);
    const { services } = await findServices(db, { locale, body: slug });
    return reply.view(VIEWS.body, {
      name: nameOf(body, locale),
      type: typeLabel(request.t, body.type),
      parent: parent ? link(parent) : null,
      children: children.map(link).sort((a, b) => a.text.localeCompare(b.text, locale)),
      contact: contactOf(services, locale),
      count: serviceCount(request.t, services.length),
      services: byTitle(services, locale).map(listItem),
      breadcrumbs: breadcrumbs(request.t, {
        text: request.t('catalogue.browse.bodies.title'),
        href: '/bodies',
      }),
    });
  });
}
