import type { Db } from '../../../platform/db/database.js';
import type { FieldError, Outcome } from '../../../platform/errors/errors.js';
import type { ServiceLevel, ServiceRow } from '../db/tables.js';

export interface NewService {
  organisationId: string;
  slug: string;
  title: string;
  titleCy: string;
  summary: string;
  summaryCy: string;
  body: string;
  bodyCy: string;
  keywords?: string;
  formKey?: string | null;
  /** The assurance level applying needs; 1 (a password) unless said. */
  requiredLevel?: ServiceLevel;
}

/** Publishes a service of one organisation, in English and Welsh. The slug is its address. */
export async function publishService(
  db: Db,
  input: NewService,
): Promise<Outcome<{ service: ServiceRow }>> {
  const errors: FieldError[] = [];
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(input.slug))
    errors.push({ field: 'slug', message: 'Slug must be lower-case words joined by hyphens' });
  for (const [field, value] of Object.entries({
    title: input.title,
    titleCy: input.titleCy,
    summary: input.summary,
    summaryCy: input.summaryCy,
  })) {
    if (!value.trim()) errors.push({ field, message: `${field} is required` });
  }
  const taken = await db
    .selectFrom('services')
    .select('id')
    .where('slug', '=', input.slug)
    .executeTakeFirst();
  if (taken)
    errors.push({ field: 'slug', message: `A service already uses the slug ${input.slug}` });
  if (input.requiredLevel !== undefined && ![0, 1, 2, 3].includes(input.requiredLevel))
    errors.push({ field: 'requiredLevel', message: 'Required level must be 0, 1, 2 or 3' });
  if (errors.length > 0) return { ok: false, errors };
  const service = await db
    .insertInto('services')
    .values({
      organisation_id: input.organisationId,
      slug: input.slug,
      title: input.title,
      title_cy: input.titleCy,
      summary: input.summary,
      summary_cy: input.summaryCy,
      body: input.body,
      body_cy: input.bodyCy,
      keywords: input.keywords ?? '',
      form_key: input.formKey ?? null,
      required_level: input.requiredLevel ?? 1,
      status: 'published',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { ok: true, service };
}
