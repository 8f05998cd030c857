import type { Actor } from '../../../platform/audit/audit.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import { notFound, type FieldError, type Outcome } from '../../../platform/errors/errors.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import type { ServiceContent, ServiceRow } from '../db/tables.js';
import { findOrganisationById } from '../../organisations/index.js';
import { canCreateServiceFor, canEditService, canManageCatalogue } from '../policies/services.js';
import { forgetVocabulary } from '../queries/vocabulary.js';
import { columnsOf, contentOf, contentProblems } from './content.js';
import { providerNames } from './publish-service.js';

/** The service for editing, or a 404 when it does not exist or the user may not edit it. */
export async function serviceForEditing(
  db: Db,
  user: CurrentUser,
  serviceId: string,
): Promise<ServiceRow> {
  const service = /^[0-9a-f-]{36}$/i.test(serviceId)
    ? await db.selectFrom('services').selectAll().where('id', '=', serviceId).executeTakeFirst()
    : undefined;
  if (!service || !canEditService(user, service))
    throw notFound({ reason: 'not an editor of this service', serviceId, userId: user.id });
  return service;
}

/** The content being edited: the draft if there is one, otherwise what is published. */
export async function workingContent(
  db: Db,
  service: ServiceRow,
): Promise<{ content: ServiceContent; isDraft: boolean; draftUpdatedAt: Date | null }> {
  const draft = await db
    .selectFrom('service_drafts')
    .selectAll()
    .where('service_id', '=', service.id)
    .executeTakeFirst();
  return draft
    ? {
        // Drafts saved before migration 0020 lack the newer fields.
        content: {
          ...draft.content,
          businessStages: draft.content.businessStages ?? [],
          serviceKey: draft.content.serviceKey ?? null,
        },
        isDraft: true,
        draftUpdatedAt: draft.updated_at,
      }
    : { content: contentOf(service), isDraft: false, draftUpdatedAt: null };
}

/**
 * Saves an edit as the service's draft. A published service stays as it was for the public
 * until the draft is published. Audited as `catalogue.service.draft-saved`.
 */
export async function saveDraft(
  trx: Db,
  user: CurrentUser,
  serviceId: string,
  content: ServiceContent,
  actor: Actor,
): Promise<Outcome<{ service: ServiceRow }>> {
  const service = await serviceForEditing(trx, user, serviceId);
  const errors = contentProblems(content);
  if (errors.length > 0) return { ok: false, errors };
  await trx
    .insertInto('service_drafts')
    .values({ service_id: service.id, content: JSON.stringify(content), updated_by: user.id })
    .onConflict((oc) =>
      oc.column('service_id').doUpdateSet({
        content: JSON.stringify(content),
        updated_by: user.id,
        updated_at: new Date(),
      }),
    )
    .execute();
  await recordAudit(trx, actor, {
    action: 'catalogue.service.draft-saved',
    resourceType: 'service',
    resourceId: service.id,
    subjectUserId: null,
    details: { slug: service.slug, title: content.title },
  });
  return { ok: true, service };
}

/**
 * Publishes a service's draft: the public sees it at once, and the history records a new
 * version with who published it and when. Audited as `catalogue.service.published`.
 */
export async function publishDraft(
  trx: Db,
  user: CurrentUser,
  serviceId: string,
  actor: Actor,
): Promise<Outcome<{ service: ServiceRow; version: number }>> {
  const service = await serviceForEditing(trx, user, serviceId);
  const draft = await trx
    .selectFrom('service_drafts')
    .selectAll()
    .where('service_id', '=', service.id)
    .executeTakeFirst();
  if (!draft)
    return { ok: false, errors: [{ field: 'publish', message: 'catalogue.staff.error.noDraft' }] };
  const errors = contentProblems(draft.content);
  if (errors.length > 0) return { ok: false, errors };
  const last = await trx
    .selectFrom('service_versions')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('service_id', '=', service.id)
    .executeTakeFirst();
  const version = Number(last?.version ?? 0) + 1;
  const now = new Date();
  const published = await trx
    .updateTable('services')
    .set({
      ...columnsOf(draft.content),
      status: 'published',
      published_at: now,
      updated_at: now,
      provider_names: await providerNames(trx, service.organisation_id),
    })
    .where('id', '=', service.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('service_versions')
    .values({
      service_id: service.id,
      version,
      content: JSON.stringify(draft.content),
      published_by: user.id,
      published_at: now,
    })
    .execute();
  await trx.deleteFrom('service_drafts').where('service_id', '=', service.id).execute();
  await recordAudit(trx, actor, {
    action: 'catalogue.service.published',
    resourceType: 'service',
    resourceId: service.id,
    subjectUserId: null,
    details: { slug: service.slug, version, title: draft.content.title },
  });
  forgetVocabulary(trx);
  return { ok: true, service: published, version };
}

/** What a person adding a service fills in; the rest of the content is completed on the edit page. */
export interface NewDraftService {
  /** The body the service belongs to: one the user may add services to. */
  organisationId: string;
  /** The service's web address, `/services/<slug>`: lower-case words joined by hyphens, unique. */
  slug: string;
  content: ServiceContent;
}

/**
 * Problems a new service's content may have and still be saved: how people use it is chosen
 * on the edit page, and publishing checks it then.
 */
const COMPLETED_LATER = new Set(['channels']);

/**
 * Adds a new service to a body as a draft: nobody outside sees it until it is published.
 * Someone who may not add services at all gets a 404; a body they may not add to (a forged
 * form value) or one that does not exist is a field error. Audited as `catalogue.service.created`.
 *
 * @example
 * const outcome = await db.transaction().execute((trx) =>
 *   createDraftService(trx, user, { organisationId, slug: 'hire-a-hall', content }, actor));
 */
export async function createDraftService(
  trx: Db,
  user: CurrentUser,
  input: NewDraftService,
  actor: Actor,
): Promise<Outcome<{ service: ServiceRow }>> {
  if (!canManageCatalogue(user))
    throw notFound({ reason: 'may not add services', userId: user.id });
  const errors: FieldError[] = [];
  const organisation = /^[0-9a-f-]{36}$/i.test(input.organisationId)
    ? await findOrganisationById(trx, input.organisationId)
    : undefined;
  if (!organisation)
    errors.push({ field: 'organisationId', message: 'catalogue.staff.error.organisation' });
  else if (!canCreateServiceFor(user, organisation.id))
    errors.push({ field: 'organisationId', message: 'catalogue.staff.error.organisationNotYours' });
  if (!input.slug) errors.push({ field: 'slug', message: 'catalogue.staff.error.slugMissing' });
  else if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(input.slug) || input.slug.length > 80)
    errors.push({ field: 'slug', message: 'catalogue.staff.error.slug' });
  else if (
    await trx.selectFrom('services').select('id').where('slug', '=', input.slug).executeTakeFirst()
  )
    errors.push({ field: 'slug', message: 'catalogue.staff.error.slugTaken' });
  errors.push(...contentProblems(input.content).filter((e) => !COMPLETED_LATER.has(e.field)));
  if (!organisation || errors.length > 0) return { ok: false, errors };
  const service = await trx
    .insertInto('services')
    .values({
      organisation_id: organisation.id,
      slug: input.slug,
      ...columnsOf(input.content),
      status: 'draft',
      provider_names: await providerNames(trx, organisation.id),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('service_drafts')
    .values({
      service_id: service.id,
      content: JSON.stringify(input.content),
      updated_by: user.id,
    })
    .execute();
  await recordAudit(trx, actor, {
    action: 'catalogue.service.created',
    resourceType: 'service',
    resourceId: service.id,
    subjectUserId: null,
    details: { slug: service.slug, organisationId: organisation.id, title: input.content.title },
  });
  return { ok: true, service };
}
