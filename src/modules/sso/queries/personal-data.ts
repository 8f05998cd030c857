/** What the sso module holds about one person, for their own "My data". */
import type { Db } from '../../../platform/db/database.js';
import type { PersonalDataSection } from '../../../platform/http/types.js';

/**
 * The other bodies' services the person signed in to with their account: each service once,
 * with the first and last sign-in, how often, and what the person agreed it may receive. Read
 * from the audit log, which records every single sign-on and every consent.
 */
export async function ssoPersonalData(db: Db, userId: string): Promise<PersonalDataSection[]> {
  const entries = await db
    .selectFrom('audit_log')
    .select(['action', 'resource_id', 'occurred_at', 'details'])
    .where('subject_user_id', '=', userId)
    .where('action', 'in', ['sso.signed_in', 'sso.consent_given'])
    .orderBy('id')
    .execute();
  const services = new Map<
    string,
    { name: string; first: Date | null; last: Date | null; count: number; scopes: string }
  >();
  for (const entry of entries) {
    const name =
      typeof entry.details.client === 'string' ? entry.details.client : entry.resource_id;
    const service = services.get(entry.resource_id) ?? {
      name,
      first: null,
      last: null,
      count: 0,
      scopes: '',
    };
    if (entry.action === 'sso.signed_in') {
      service.first ??= entry.occurred_at;
      service.last = entry.occurred_at;
      service.count += 1;
    } else if (Array.isArray(entry.details.scopes))
      service.scopes = entry.details.scopes.filter((s) => typeof s === 'string').join(' ');
    services.set(entry.resource_id, service);
  }
  return [
    {
      key: 'single-sign-on',
      title: 'sso.personalData.services',
      rows: [...services.values()].map((s) => ({
        service: s.name,
        firstSignedInAt: s.first?.toISOString() ?? null,
        lastSignedInAt: s.last?.toISOString() ?? null,
        signIns: s.count,
        agreedToShare: s.scopes || null,
      })),
    },
  ];
}
