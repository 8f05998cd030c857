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

/**
 * The body a command line's `--org` names, by slug ('stroud') or GSS code ('E07000082', in any
 * case), if it is on the platform.
 *
 * @example const organisation = await findOrganisationBySlugOrGssCode(db, values.org);
 *          if (!organisation) return fail(unknownOrganisationMessage(values.org));
 */
export async function findOrganisationBySlugOrGssCode(
  db: Db,
  slugOrCode: string,
): Promise<OrganisationRow | undefined> {
  return (
    (await findOrganisationBySlug(db, slugOrCode)) ??
    (await findOrganisationByGssCode(db, slugOrCode.toUpperCase()))
  );
}

/** What a command says when its `--org` names no body on the platform. */
export function unknownOrganisationMessage(slugOrCode: string): string {
  return `No organisation with slug or GSS code ${slugOrCode}; see joinedup org:list`;
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
