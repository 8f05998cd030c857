import type { Db } from '../../../platform/db/database.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import { isPlatformAdmin } from '../../identity/index.js';
import { isUuid } from '../../../platform/validation/uuid.js';
import { listOrganisationsByIds } from '../../organisations/index.js';

/** A service that applies through a form, with what the forms module's editor policy looks at. */
export interface ServiceWithForm {
  id: string;
  slug: string;
  title: string;
  titleCy: string;
  formKey: string;
  status: 'draft' | 'published' | 'withdrawn';
  organisation: { id: string; name: string; nameCy: string | null };
  /** The service owner named on the service; null when any owner of its body may edit it. */
  ownerUserId: string | null;
}

/**
 * Every service (draft, published or withdrawn) that has a form, optionally only those using one
 * form or provided by one body: who may edit a form depends on who may edit the services using
 * it (the forms editor asks `canEditService` of each). Ordered by body, then title.
 *
 * @example await servicesWithForms(db, { formKey: 'bulky-waste' })
 */
export async function servicesWithForms(
  db: Db,
  filter: { formKey?: string; organisationId?: string } = {},
): Promise<ServiceWithForm[]> {
  let query = db
    .selectFrom('services')
    .select([
      'id',
      'slug',
      'title',
      'title_cy',
      'form_key',
      'status',
      'owner_user_id',
      'organisation_id',
    ])
    .where('form_key', 'is not', null);
  if (filter.formKey !== undefined) query = query.where('form_key', '=', filter.formKey);
  if (filter.organisationId !== undefined)
    query = query.where('organisation_id', '=', filter.organisationId);
  const rows = await query.execute();
  const organisations = new Map(
    (
      await listOrganisationsByIds(
        db,
        rows.map((r) => r.organisation_id),
      )
    ).map((o) => [o.id, o]),
  );
  return rows
    .map((row) => {
      const organisation = organisations.get(row.organisation_id);
      return {
        id: row.id,
        slug: row.slug,
        title: row.title,
        titleCy: row.title_cy,
        formKey: row.form_key!,
        status: row.status,
        organisation: {
          id: row.organisation_id,
          name: organisation?.name ?? '',
          nameCy: organisation?.name_cy ?? null,
        },
        ownerUserId: row.owner_user_id,
      };
    })
    .sort(
      (a, b) =>
        a.organisation.name.localeCompare(b.organisation.name, 'en-GB') ||
        a.title.localeCompare(b.title, 'en-GB'),
    );
}

/** Any service (with a form or not) and who may edit it: for the rules module's editor policy. */
export interface OwnedServiceSummary {
  id: string;
  slug: string;
  title: string;
  titleCy: string;
  status: 'draft' | 'published' | 'withdrawn';
  organisationId: string;
  ownerUserId: string | null;
}

/**
 * Services by id or by body, whatever their status, with their owner (`canEditService` asks it).
 *
 * @example await ownedServices(db, { organisationId: stroud.id })
 */
export async function ownedServices(
  db: Db,
  filter: { id?: string; ids?: readonly string[]; organisationId?: string },
): Promise<OwnedServiceSummary[]> {
  if (filter.ids?.length === 0) return [];
  let query = db
    .selectFrom('services')
    .select(['id', 'slug', 'title', 'title_cy', 'status', 'owner_user_id', 'organisation_id'])
    .orderBy('title');
  if (filter.id !== undefined) query = query.where('id', '=', filter.id);
  if (filter.ids !== undefined) query = query.where('id', 'in', [...filter.ids]);
  if (filter.organisationId !== undefined)
    query = query.where('organisation_id', '=', filter.organisationId);
  const rows = await query.execute();
  return rows.map((row) => ({
    id: row.id,
    slug: row.slug,
    title: row.title,
    titleCy: row.title_cy,
    status: row.status,
    organisationId: row.organisation_id,
    ownerUserId: row.owner_user_id,
  }));
}

/** One service with its owner, whatever its status; undefined for an unknown id or one that is not a UUID. */
export async function ownedService(db: Db, id: string): Promise<OwnedServiceSummary | undefined> {
  return isUuid(id) ? (await ownedServices(db, { id }))[0] : undefined;
}

/**
 * The services a member of staff's editors list before asking their own policy of each: every
 * service for a platform admin, their body's for anyone else, none without a body.
 */
export async function ownedServicesForStaff(
  db: Db,
  user: CurrentUser,
): Promise<OwnedServiceSummary[]> {
  if (isPlatformAdmin(user)) return ownedServices(db, {});
  return user.organisationId ? ownedServices(db, { organisationId: user.organisationId }) : [];
}
