import type { Db } from '../../../platform/db/database.js';
import { formText } from '../../../platform/http/forms.js';
import type { Locale } from '../../../platform/i18n/i18n.js';
import { listOrganisations, type OrganisationRow } from '../../organisations/index.js';

/** A body as the filters list it. */
export interface BodyOption {
  id: string;
  slug: string;
  name: string;
  type: string;
  parentId: string | null;
}

/** Every body, and the areas (bodies others sit under, such as a county) for the filters. */
export async function bodyOptions(
  db: Db,
  locale: Locale,
): Promise<{ bodies: BodyOption[]; areas: BodyOption[] }> {
  const rows: OrganisationRow[] = await listOrganisations(db);
  const bodies = rows.map((o) => ({
    id: o.id,
    slug: o.slug,
    name: (locale === 'cy' ? o.name_cy : null) ?? o.name,
    type: o.type,
    parentId: o.parent_id,
  }));
  const parents = new Set(bodies.map((b) => b.parentId).filter(Boolean));
  return { bodies, areas: bodies.filter((b) => parents.has(b.id)) };
}

/**
 * The bodies a query's `body` or `area` filter (slugs) selects: one body, or an area's body and
 * every body under it; undefined for all of them. `unknown` when a slug names no body.
 */
export function selectedBodies(
  query: unknown,
  options: { bodies: BodyOption[] },
): { ids?: string[]; body?: BodyOption; area?: BodyOption; unknown?: true } {
  const bodySlug = formText(query, 'body');
  const areaSlug = formText(query, 'area');
  if (bodySlug) {
    const body = options.bodies.find((b) => b.slug === bodySlug);
    return body ? { ids: [body.id], body } : { unknown: true };
  }
  if (areaSlug) {
    const area = options.bodies.find((b) => b.slug === areaSlug);
    if (!area) return { unknown: true };
    const ids = [area.id, ...options.bodies.filter((b) => b.parentId === area.id).map((b) => b.id)];
    return { ids, area };
  }
  return {};
}
