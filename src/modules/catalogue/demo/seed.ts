import type { Db } from '../../../platform/db/database.js';
import { listOrganisations } from '../../organisations/index.js';
import { publishService } from '../commands/publish-service.js';
import { DEMO_SERVICES } from './services.js';

/**
 * Publishes the demo catalogue (demo/services.ts) for the demo bodies that exist, skipping
 * services already there, so it may run again. Returns every demo service's id by slug.
 */
export async function seedDemoCatalogue(trx: Db): Promise<Map<string, string>> {
  const organisations = new Map((await listOrganisations(trx)).map((o) => [o.slug, o.id]));
  const existing = new Map(
    (await trx.selectFrom('services').select(['id', 'slug']).execute()).map((s) => [s.slug, s.id]),
  );
  for (const service of DEMO_SERVICES) {
    const organisationId = organisations.get(service.organisation);
    if (!organisationId || existing.has(service.slug)) continue;
    const outcome = await publishService(trx, { ...service, organisationId });
    if (!outcome.ok)
      throw new Error(
        `Could not seed ${service.slug}: ${outcome.errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
      );
    existing.set(service.slug, outcome.service.id);
  }
  return existing;
}
