import type { Db } from '../../../platform/db/database.js';
import type { OrganisationRow } from '../db/tables.js';

export async function listOrganisations(db: Db): Promise<OrganisationRow[]> {
  return db.selectFrom('organisations').selectAll().orderBy('name').execute();
}

export async function findOrganisationBySlug(
  db: Db,
  slug: string,
): Promise<OrganisationRow | undefined> {
  return db.selectFrom('organisations').selectAll().where('slug', '=', slug).executeTakeFirst();
}

/** The body for an ONS GSS area code ('E07000082' → Stroud District Council), if it is on the platform. */
export async function findOrganisationByGssCode(
  db: Db,
  gssCode: string,
): Promise<OrganisationRow | undefined> {
  return db
    .selectFrom('organisations')
    .selectAll()
    .where('gss_code', '=', gssCode)
    .executeTakeFirst();
}

export async function findOrganisationById(
  db: Db,
  id: string,
): Promise<OrganisationRow | undefined> {
  return db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
}

/** "slug<TAB>GSS code<TAB>name", one body a line, as `joinedup org:list` prints. */
export function formatOrganisationLine(organisation: OrganisationRow): string {
  return [organisation.slug, organisation.gss_code ?? '-', organisation.name].join('\t');
}

/** The bodies with these ids, in no particular order (ids not on the platform are left out). */
export async function listOrganisationsByIds(
  db: Db,
  ids: readonly string[],
): Promise<OrganisationRow[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  return db.selectFrom('organisations').selectAll().where('id', 'in', unique).execute();
}
