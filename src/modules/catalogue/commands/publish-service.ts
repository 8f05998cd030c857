import type { Db } from '../../../platform/db/database.js';
import type { FieldError, Outcome } from '../../../platform/errors/errors.js';
import { findOrganisationById } from '../../organisations/index.js';
import type { ServiceContent, ServiceLevel, ServiceRow } from '../db/tables.js';
import { columnsOf, contentProblems } from './content.js';
import { forgetVocabulary } from '../queries/vocabulary.js';

export interface NewService extends Partial<Omit<ServiceContent, 'requiredLevel'>> {
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
  /** The person publishing it (null for the platform: seeding, imports). */
  publishedBy?: string | null;
}

/** Fills the parts of the model a caller left out: for citizens, online here, any tier. */
export function withDefaults(input: NewService): ServiceContent {
  return {
    title: input.title,
    titleCy: input.titleCy,
    summary: input.summary,
    summaryCy: input.summaryCy,
    body: input.body,
    bodyCy: input.bodyCy,
    keywords: input.keywords ?? '',
    audience: input.audience ?? 'citizens',
    eligibility: input.eligibility ?? '',
    eligibilityCy: input.eligibilityCy ?? '',
    fees: input.fees ?? '',
    feesCy: input.feesCy ?? '',
    feePence: input.feePence ?? null,
    channels: input.channels ?? [{ kind: 'online-here' }],
    interactions: input.interactions ?? [{ type: 'applications', eEnabled: true }],
    providerTier: input.providerTier ?? 'any',
    lifeEvents: input.lifeEvents ?? [],
    customerGroups: input.customerGroups ?? [],
    categories: input.categories ?? [],
    businessStages: input.businessStages ?? [],
    serviceKey: input.serviceKey ?? null,
    requiredLevel: input.requiredLevel ?? 1,
  };
}

/** The provider's names, kept on the row so that a search for "Stroud" finds Stroud's services. */
export async function providerNames(db: Db, organisationId: string): Promise<string> {
  const organisation = await findOrganisationById(db, organisationId);
  return [organisation?.name, organisation?.name_cy].filter(Boolean).join(' ');
}

/**
 * Publishes a new service of one organisation, in English and Welsh, as version 1 of its
 * history. The slug is its address. Used by seeding and by other modules' tests; staff pages
 * create a draft instead (edit-service.ts).
 */
export async function publishService(
  db: Db,
  input: NewService,
): Promise<Outcome<{ service: ServiceRow }>> {
  const content = withDefaults(input);
  const errors: FieldError[] = [];
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(input.slug))
    errors.push({ field: 'slug', message: 'Slug must be lower-case words joined by hyphens' });
  for (const problem of contentProblems(content)) errors.push(problem);
  const taken = await db
    .selectFrom('services')
    .select('id')
    .where('slug', '=', input.slug)
    .executeTakeFirst();
  if (taken)
    errors.push({ field: 'slug', message: `A service already uses the slug ${input.slug}` });
  if (errors.length > 0) return { ok: false, errors };
  const service = await db
    .insertInto('services')
    .values({
      organisation_id: input.organisationId,
      slug: input.slug,
      ...columnsOf(content),
      form_key: input.formKey ?? null,
      status: 'published',
      published_at: new Date(),
      provider_names: await providerNames(db, input.organisationId),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await db
    .insertInto('service_versions')
    .values({
      service_id: service.id,
      version: 1,
      content: JSON.stringify(content),
      published_by: input.publishedBy ?? null,
    })
    .execute();
  forgetVocabulary(db);
  return { ok: true, service };
}
