import type { Db } from '../../../platform/db/database.js';
import type { Outcome } from '../../../platform/errors/errors.js';
import { ORGANISATION_TYPES, type OrganisationRow, type OrganisationType } from '../db/tables.js';
import { lookupGssCode } from '../gss.js';

export interface NewOrganisation {
  slug: string;
  name: string;
  nameCy?: string | undefined;
  type: OrganisationType;
  gssCode?: string | undefined;
  parentSlug?: string | undefined;
}

/**
 * Registers a public body. A local authority must give a GSS code ONS knows, of a kind that
 * matches its type (a district's code starts E07); a district's parent must be a county.
 */
export async function createOrganisation(
  db: Db,
  input: NewOrganisation,
): Promise<Outcome<{ organisation: OrganisationRow }>> {
  const errors: { field: string; message: string }[] = [];
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(input.slug)) {
    errors.push({
      field: 'slug',
      message: 'Slug must be lower-case letters, digits and single hyphens',
    });
  }
  if (!input.name.trim()) errors.push({ field: 'name', message: 'Enter the organisation’s name' });
  if (!ORGANISATION_TYPES.includes(input.type)) {
    errors.push({ field: 'type', message: `Type must be one of ${ORGANISATION_TYPES.join(', ')}` });
  }
  if (input.gssCode) {
    const known = lookupGssCode(input.gssCode);
    if (!known)
      errors.push({ field: 'gssCode', message: `ONS has no area with GSS code ${input.gssCode}` });
    else if (!known.types.includes(input.type)) {
      errors.push({
        field: 'gssCode',
        message: `GSS code ${input.gssCode} is a ${known.types.join('/')}, not a ${input.type}`,
      });
    }
  } else if (
    input.type !== 'central-department' &&
    input.type !== 'executive-agency' &&
    input.type !== 'other' &&
    input.type !== 'fire-authority' &&
    input.type !== 'police-authority'
  ) {
    errors.push({ field: 'gssCode', message: 'A local authority needs its GSS code' });
  }
  let parentId: string | null = null;
  if (input.parentSlug) {
    const parent = await db
      .selectFrom('organisations')
      .select(['id', 'type'])
      .where('slug', '=', input.parentSlug)
      .executeTakeFirst();
    if (!parent)
      errors.push({ field: 'parentSlug', message: `No organisation ${input.parentSlug}` });
    else if (input.type === 'district' && parent.type !== 'county') {
      errors.push({ field: 'parentSlug', message: 'A district’s parent must be a county' });
    } else parentId = parent.id;
  }
  const taken = await db
    .selectFrom('organisations')
    .select('id')
    .where('slug', '=', input.slug)
    .executeTakeFirst();
  if (taken) errors.push({ field: 'slug', message: `Slug ${input.slug} is already taken` });
  if (errors.length > 0) return { ok: false, errors };

  const organisation = await db
    .insertInto('organisations')
    .values({
      slug: input.slug,
      name: input.name.trim(),
      name_cy: input.nameCy ?? null,
      type: input.type,
      gss_code: input.gssCode ?? null,
      parent_id: parentId,
    })
    // Two callers creating the same body at once (outbox workers running in parallel): the
    // second waits for the first and is told the slug is taken, without aborting its transaction.
    .onConflict((oc) => oc.column('slug').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!organisation)
    return {
      ok: false,
      errors: [{ field: 'slug', message: `Slug ${input.slug} is already taken` }],
    };
  return { ok: true, organisation };
}
