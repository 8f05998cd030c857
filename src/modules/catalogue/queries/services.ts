import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import type { Locale } from '../../../platform/i18n/i18n.js';
import type { ServiceLevel } from '../db/tables.js';

/** A published service as the public sees it, in their language. */
export interface PublicService {
  id: string;
  slug: string;
  title: string;
  summary: string;
  body: string;
  formKey: string | null;
  /** The assurance level applying needs (0–3); the journey steps a lower session up. */
  requiredLevel: ServiceLevel;
  organisation: { id: string; slug: string; name: string };
}

function baseQuery(db: Db) {
  return db
    .selectFrom('services')
    .innerJoin('organisations', 'organisations.id', 'services.organisation_id')
    .select([
      'services.id',
      'services.slug',
      'services.title',
      'services.title_cy',
      'services.summary',
      'services.summary_cy',
      'services.body',
      'services.body_cy',
      'services.form_key',
      'services.required_level',
      'organisations.id as organisation_id',
      'organisations.slug as organisation_slug',
      'organisations.name as organisation_name',
      'organisations.name_cy as organisation_name_cy',
    ])
    .where('services.status', '=', 'published');
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;

function toPublic(row: Row, locale: Locale): PublicService {
  const cy = locale === 'cy';
  return {
    id: row.id,
    slug: row.slug,
    title: cy ? row.title_cy : row.title,
    summary: cy ? row.summary_cy : row.summary,
    body: cy ? row.body_cy : row.body,
    formKey: row.form_key,
    requiredLevel: row.required_level,
    organisation: {
      id: row.organisation_id,
      slug: row.organisation_slug,
      name: (cy ? row.organisation_name_cy : null) ?? row.organisation_name,
    },
  };
}

/**
 * Published services, optionally matching words a person typed, in either language, in the
 * title, summary, keywords or the name of the body that provides it. Every word must match.
 */
export async function searchServices(db: Db, locale: Locale, text = ''): Promise<PublicService[]> {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 10);
  let query = baseQuery(db);
  for (const word of words) {
    const pattern = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(
      sql<boolean>`lower(services.title || ' ' || services.title_cy || ' ' || services.summary || ' ' || services.summary_cy || ' ' || services.keywords || ' ' || organisations.name) like ${pattern}`,
    );
  }
  const rows = await query
    .orderBy(locale === 'cy' ? 'services.title_cy' : 'services.title')
    .execute();
  return rows.map((row) => toPublic(row, locale));
}

export async function findPublishedService(
  db: Db,
  slug: string,
  locale: Locale,
): Promise<PublicService | undefined> {
  const row = await baseQuery(db).where('services.slug', '=', slug).executeTakeFirst();
  return row ? toPublic(row, locale) : undefined;
}

export async function findPublishedServiceById(
  db: Db,
  id: string,
  locale: Locale,
): Promise<PublicService | undefined> {
  const row = await baseQuery(db).where('services.id', '=', id).executeTakeFirst();
  return row ? toPublic(row, locale) : undefined;
}
