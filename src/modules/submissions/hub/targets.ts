import type { Db } from '../../../platform/db/database.js';
import { findPublishedService } from '../../catalogue/index.js';
import { findOrganisationById } from '../../organisations/index.js';
import type { FormsContract } from './forms.js';
import { ttlCache } from './ttl-cache.js';

export { ttlCache };

/** How long a node keeps a service's published form, and a sending body's slug. */
export const TARGET_TTL_MS = 5_000;

/** Where a submission goes: the published service and the form version its answers are checked against. */
export interface SubmitTarget {
  service: { id: string; slug: string; organisationId: string };
  form: { key: string; definition: unknown; version: number };
}

/**
 * What the submit route looks up before it can validate, cached per process for a few seconds
 * (TARGET_TTL_MS): the service by slug with its published form (catalogue's and forms' lookups,
 * three queries), and the sending body's slug for the default channel label (organisations').
 * The cache holds only what was found, so a 404 is never remembered.
 *
 * Why this is safe across nodes: each node may apply a newly published form version, a service
 * withdrawn, or a body's new slug up to TARGET_TTL_MS later than another. A submission that
 * arrives in that window is checked against the version published a moment before, and the
 * version it was checked against is stored with it (`form_version`), so nothing is accepted
 * against a version that was never published. Key checks (revocation, scope) are never cached.
 *
 * @example const targets = submitTargets(db, forms); const target = await targets.service('bulky-waste');
 */
export function submitTargets(
  db: Db,
  forms: () => Promise<FormsContract>,
  options: { ttlMs?: number; now?: () => number } = {},
) {
  const ttlMs = options.ttlMs ?? TARGET_TTL_MS;
  const now = options.now ?? Date.now;
  // A service without a published form is not kept: its form may be published any moment.
  const services = ttlCache<{ service: SubmitTarget['service']; form?: SubmitTarget['form'] }>(
    ttlMs,
    now,
    (found) => found.form !== undefined,
  );
  const slugs = ttlCache<string>(ttlMs, now);
  return {
    /** The published service, with its published form (form undefined when it has none). */
    service(slug: string) {
      return services(slug, async () => {
        const service = await findPublishedService(db, slug, 'en');
        if (!service) return undefined;
        const key = service.formKey;
        const form = key ? await (await forms()).publishedForm(db, key) : undefined;
        return {
          service: { id: service.id, slug: service.slug, organisationId: service.organisation.id },
          ...(form && key ? { form: { key, ...form } } : {}),
        };
      });
    },
    /** A body's slug (for the `api:<slug>` channel label). */
    senderSlug(organisationId: string): Promise<string | undefined> {
      return slugs(
        organisationId,
        async () => (await findOrganisationById(db, organisationId))?.slug,
      );
    },
  };
}
