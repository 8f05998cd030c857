import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../../../platform/errors/errors.js';
import { errorView, formText } from '../../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../../platform/http/types.js';
import type { Locale } from '../../../../platform/i18n/i18n.js';
import { isPlatformAdmin, requireSignIn } from '../../../identity/index.js';
import {
  findOrganisationById,
  listOrganisations,
  type OrganisationType,
} from '../../../organisations/index.js';
import {
  createDraftService,
  publishDraft,
  saveDraft,
  serviceForEditing,
  workingContent,
} from '../../commands/edit-service.js';
import { canEditService, canManageCatalogue } from '../../policies/services.js';
import {
  AUDIENCES,
  BUSINESS_STAGES,
  CATEGORIES,
  CHANNEL_KINDS,
  CUSTOMER_GROUPS,
  INTERACTION_TYPES,
  LIFE_EVENTS,
  PROVIDER_TIERS,
  type ProviderTier,
  type Term,
} from '../../vocabularies.js';
import { formValues, readContent } from './read-form.js';

const LIST = 'modules/catalogue/pages/staff/list.njk';
const EDIT = 'modules/catalogue/pages/staff/edit.njk';
const HISTORY = 'modules/catalogue/pages/staff/history.njk';
const NEW = 'modules/catalogue/pages/staff/new.njk';

/** The fields of the "Add a service" form, in the order they appear. */
const NEW_FIELDS = [
  'organisationId',
  'slug',
  'title',
  'titleCy',
  'summary',
  'summaryCy',
  'audience',
  'providerTier',
  'serviceKey',
] as const;

/** The tier a body's new services are most likely provided at, chosen in advance on the form. */
function usualTier(type: OrganisationType): ProviderTier | '' {
  switch (type) {
    case 'county':
      return 'county';
    case 'district':
      return 'district';
    case 'unitary':
    case 'metropolitan-district':
    case 'london-borough':
    case 'welsh-principal-area':
    case 'scottish-council':
    case 'northern-ireland-district':
      return 'unitary';
    case 'central-department':
    case 'executive-agency':
      return 'central';
    default:
      return '';
  }
}

function requireCatalogueStaff(request: FastifyRequest, reply: FastifyReply): CurrentUser | null {
  const user = requireSignIn(request, reply);
  if (!user) return null;
  if (!canManageCatalogue(user)) throw notFound({ reason: 'not a service owner', userId: user.id });
  return user;
}

function actorOf(request: FastifyRequest, user: CurrentUser) {
  const role = isPlatformAdmin(user)
    ? 'platform-admin'
    : user.roles.includes('admin')
      ? 'admin'
      : 'service-owner';
  return { userId: user.id, organisationId: user.organisationId, role, requestId: request.id };
}

/** GOV.UK checkbox or radio items for a vocabulary, ticking those chosen. */
function items(list: readonly Term[], locale: Locale, chosen: unknown) {
  const values = Array.isArray(chosen) ? chosen : [chosen];
  return list.map((t) => ({ value: t.value, text: t[locale], checked: values.includes(t.value) }));
}

/** Staff pages where service owners keep their body's services up to date (issue 4). */
export function staffRoutes(app: FastifyInstance, { db }: AppContext): void {
  app.get('/catalogue/staff', async (request, reply) => {
    const user = requireCatalogueStaff(request, reply);
    if (!user) return reply;
    let query = db
      .selectFrom('services')
      .innerJoin('organisations', 'organisations.id', 'services.organisation_id')
      .leftJoin('service_drafts', 'service_drafts.service_id', 'services.id')
      .select([
        'services.id',
        'services.title',
        'services.title_cy',
        'services.status',
        'services.organisation_id',
        'services.owner_user_id',
        'organisations.name as organisation_name',
        'service_drafts.updated_at as draft_updated_at',
      ])
      .orderBy('organisations.name')
      .orderBy('services.title');
    if (!isPlatformAdmin(user))
      query = query.where('services.organisation_id', '=', user.organisationId);
    const rows = (await query.execute()).filter((row) => canEditService(user, row));
    return reply.view(LIST, {
      services: rows.map((row) => ({
        id: row.id,
        title: (request.locale === 'cy' && row.title_cy) || row.title,
        organisation: row.organisation_name,
        state:
          row.status !== 'published' ? 'draft' : row.draft_updated_at ? 'changed' : 'published',
      })),
      showOrganisation: isPlatformAdmin(user),
    });
  });

  /** The "Add a service" form: a platform admin chooses the body, anyone else adds to their own. */
  async function renderNew(
    request: FastifyRequest,
    reply: FastifyReply,
    user: CurrentUser,
    values: Record<string, string>,
    errors: Partial<ReturnType<typeof errorView>> = {},
  ) {
    const locale = request.locale;
    const nameOf = (o: { name: string; name_cy: string | null }) =>
      (locale === 'cy' && o.name_cy) || o.name;
    const admin = isPlatformAdmin(user);
    const own =
      !admin && user.organisationId ? await findOrganisationById(db, user.organisationId) : null;
    const organisations = admin ? await listOrganisations(db) : [];
    const tier = values.providerTier ?? (own ? usualTier(own.type) : '');
    return reply.view(NEW, {
      values,
      organisationName: own ? nameOf(own) : null,
      organisationItems: admin
        ? [
            { value: '', text: request.t('catalogue.staff.new.chooseBody') },
            ...organisations.map((o) => ({
              value: o.id,
              text: nameOf(o),
              selected: o.id === values.organisationId,
            })),
          ]
        : null,
      audienceItems: items(AUDIENCES, locale, values.audience),
      tierItems: [
        { value: '', text: request.t('catalogue.staff.new.chooseTier') },
        ...PROVIDER_TIERS.map((t) => ({
          value: t.value,
          text: t[locale],
          selected: t.value === tier,
        })),
      ],
      fieldErrors: {},
      backLink: '/catalogue/staff',
      ...errors,
    });
  }

  app.get('/catalogue/staff/services/new', async (request, reply) => {
    const user = requireCatalogueStaff(request, reply);
    if (!user) return reply;
    return renderNew(request, reply, user, {});
  });

  app.post('/catalogue/staff/services/new', async (request, reply) => {
    const user = requireCatalogueStaff(request, reply);
    if (!user) return reply;
    const values = Object.fromEntries(
      NEW_FIELDS.map((name) => [name, formText(request.body, name)]),
    );
    // Only a platform admin chooses; the form sends no body for anyone else, so their own is meant.
    const organisationId = isPlatformAdmin(user)
      ? (values.organisationId ?? '')
      : values.organisationId || (user.organisationId ?? '');
    const outcome = await db
      .transaction()
      .execute((trx) =>
        createDraftService(
          trx,
          user,
          { organisationId, slug: values.slug ?? '', content: readContent(request.body) },
          actorOf(request, user),
        ),
      );
    if (!outcome.ok)
      return renderNew(
        request,
        reply.code(400),
        user,
        values,
        errorView(outcome.errors, request.t),
      );
    return reply.redirect(`/catalogue/staff/services/${outcome.service.id}?created=1`, 303);
  });

  async function renderEdit(
    request: FastifyRequest,
    reply: FastifyReply,
    user: CurrentUser,
    extra: Record<string, unknown> = {},
  ) {
    const { id } = request.params as { id: string };
    const service = await serviceForEditing(db, user, id);
    const working = await workingContent(db, service);
    const values =
      (extra.values as Record<string, unknown> | undefined) ?? formValues(working.content);
    const locale = request.locale;
    return reply.view(EDIT, {
      service,
      isDraft: working.isDraft,
      values,
      audienceItems: items(AUDIENCES, locale, values.audience),
      tierItems: PROVIDER_TIERS.map((t) => ({
        value: t.value,
        text: t[locale],
        selected: t.value === values.providerTier,
      })),
      levelItems: [0, 1, 2, 3].map((level) => ({
        value: String(level),
        text: request.t(`catalogue.staff.level${level}`),
        selected: String(level) === values.requiredLevel,
      })),
      channelItems: items(CHANNEL_KINDS, locale, values.channels),
      interactionItems: items(INTERACTION_TYPES, locale, values.interactions),
      eEnabledItems: items(INTERACTION_TYPES, locale, values.eEnabled),
      lifeEventItems: items(LIFE_EVENTS, locale, values.lifeEvents),
      groupItems: items(CUSTOMER_GROUPS, locale, values.customerGroups),
      categoryItems: items(CATEGORIES, locale, values.categories),
      stageItems: items(BUSINESS_STAGES, locale, values.businessStages),
      fieldErrors: {},
      backLink: '/catalogue/staff',
      saved: (request.query as { saved?: string }).saved === '1',
      created: (request.query as { created?: string }).created === '1',
      published: (request.query as { published?: string }).published,
      ...extra,
    });
  }

  app.get('/catalogue/staff/services/:id', async (request, reply) => {
    const user = requireCatalogueStaff(request, reply);
    if (!user) return reply;
    return renderEdit(request, reply, user);
  });

  app.post('/catalogue/staff/services/:id', async (request, reply) => {
    const user = requireCatalogueStaff(request, reply);
    if (!user) return reply;
    const { id } = request.params as { id: string };
    const content = readContent(request.body);
    const outcome = await db
      .transaction()
      .execute((trx) => saveDraft(trx, user, id, content, actorOf(request, user)));
    if (!outcome.ok)
      return renderEdit(request, reply.code(400), user, {
        values: {
          ...formValues(content),
          feePounds: String((request.body as Record<string, unknown>)?.feePounds ?? ''),
        },
        ...errorView(outcome.errors, request.t),
      });
    return reply.redirect(`/catalogue/staff/services/${id}?saved=1`, 303);
  });

  app.post('/catalogue/staff/services/:id/publish', async (request, reply) => {
    const user = requireCatalogueStaff(request, reply);
    if (!user) return reply;
    const { id } = request.params as { id: string };
    const outcome = await db
      .transaction()
      .execute((trx) => publishDraft(trx, user, id, actorOf(request, user)));
    if (!outcome.ok)
      return renderEdit(request, reply.code(400), user, errorView(outcome.errors, request.t));
    return reply.redirect(`/catalogue/staff/services/${id}?published=${outcome.version}`, 303);
  });

  app.get('/catalogue/staff/services/:id/history', async (request, reply) => {
    const user = requireCatalogueStaff(request, reply);
    if (!user) return reply;
    const { id } = request.params as { id: string };
    const service = await serviceForEditing(db, user, id);
    const versions = await db
      .selectFrom('service_versions')
      .leftJoin('users', 'users.id', 'service_versions.published_by')
      .select([
        'service_versions.version',
        'service_versions.published_at',
        'service_versions.content',
        'users.display_name',
      ])
      .where('service_versions.service_id', '=', service.id)
      .orderBy('service_versions.version', 'desc')
      .execute();
    return reply.view(HISTORY, {
      service,
      versions: versions.map((v) => ({
        version: v.version,
        publishedAt: v.published_at,
        by: v.display_name ?? request.t('catalogue.staff.history.platform'),
        title: (request.locale === 'cy' && v.content.titleCy) || v.content.title,
      })),
      backLink: `/catalogue/staff/services/${service.id}`,
    });
  });
}
