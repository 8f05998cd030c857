import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import type { Locale } from '../../../platform/i18n/i18n.js';
import { listPublishedServices, type PublicService } from '../../catalogue/index.js';
import type { Scope } from './measures.js';

/**
 * Tell us once, for a body or a set of bodies: of the bodies changes were to be told of
 * (`due`), how many were told (`delivered`); of the changes told (`changes`), how many reached
 * every body in scope that was to be told them (`complete`).
 */
export interface TellUsOnce {
  due: number;
  delivered: number;
  deliveredShare: number | null;
  changes: number;
  complete: number;
  completeShare: number | null;
}

/** A share, or null when there is nothing to share out. */
function share(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** The figures from the counts. */
export function tellUsOnceOf(counts: {
  due: number;
  delivered: number;
  changes: number;
  complete: number;
}): TellUsOnce {
  return {
    ...counts,
    deliveredShare: share(counts.delivered, counts.due),
    completeShare: share(counts.complete, counts.changes),
  };
}

/** Facts of bodies to be told of changes told in the scope's dates, whatever the body. */
function days(scope: Scope) {
  return sql`day >= ${scope.from} and day <= ${scope.to} and due`;
}

/** Facts of bodies to be told in the scope: its dates and, when it has them, its bodies. */
function inScope(scope: Scope) {
  const where = [days(scope)];
  if (scope.organisationIds?.length)
    where.push(sql`organisation_id in (${sql.join([...scope.organisationIds])})`);
  return sql.join(where, sql` and `);
}

/**
 * Tell us once over a scope (its dates are the days the changes were told; its bodies, when
 * given, are the bodies counted: one body, an area's bodies, or every body). A change counts when
 * some body in scope was to be told it, and is complete when every body (in scope or not) that
 * was to be told it was, so a body's figure and the national one mean the same thing.
 */
export async function tellUsOnce(db: Db, scope: Scope): Promise<TellUsOnce> {
  const result = await sql<{ due: number; delivered: number; changes: number; complete: number }>`
    with everywhere as (
      select change_id, bool_and(delivered) as complete from performance_sharing_deliveries
      where ${days(scope)} group by change_id
    ), scoped as (
      select change_id, count(*) as due, count(*) filter (where delivered) as delivered
      from performance_sharing_deliveries where ${inScope(scope)} group by change_id
    )
    select coalesce(sum(s.due), 0)::int as due, coalesce(sum(s.delivered), 0)::int as delivered,
      count(*)::int as changes, (count(*) filter (where e.complete))::int as complete
    from scoped s join everywhere e on e.change_id = s.change_id`.execute(db);
  return tellUsOnceOf(result.rows[0] ?? { due: 0, delivered: 0, changes: 0, complete: 0 });
}

/**
 * Tell us once body by body: the changes each was to be told, how many reached it, and how many
 * of them reached every body (anywhere) that was to be told them.
 */
export async function tellUsOnceByBody(
  db: Db,
  scope: Scope,
): Promise<(TellUsOnce & { organisationId: string })[]> {
  const result = await sql<{
    organisation_id: string;
    due: number;
    delivered: number;
    complete: number;
  }>`
    with changes as (
      select change_id, bool_and(delivered) as complete
      from performance_sharing_deliveries where ${days(scope)} group by change_id
    )
    select d.organisation_id, count(*)::int as due,
      (count(*) filter (where d.delivered))::int as delivered,
      (count(*) filter (where c.complete))::int as complete
    from performance_sharing_deliveries d join changes c on c.change_id = d.change_id
    where ${inScope(scope)}
    group by d.organisation_id`.execute(db);
  return result.rows.map((row) => ({
    organisationId: row.organisation_id,
    ...tellUsOnceOf({
      due: row.due,
      delivered: row.delivered,
      changes: row.due,
      complete: row.complete,
    }),
  }));
}

/**
 * The single account: of a body's online services (a form here, or a link to another site), how
 * many a person uses with their one Joinedup account (the form's journey runs here, behind
 * Joinedup's sign-in). A service "online on this site" with no form yet is not online.
 */
export interface SingleAccount {
  online: number;
  singleAccount: number;
  share: number | null;
}

/** How a published service is done online: here with the single account, elsewhere, or not. */
export function onlineKindOf(
  service: Pick<PublicService, 'formKey' | 'channels'>,
): 'single-account' | 'elsewhere' | null {
  if (service.formKey) return 'single-account';
  return service.channels.some((c) => c.kind === 'online-elsewhere') ? 'elsewhere' : null;
}

/** The single-account figures of some services. */
export function singleAccountOf(
  services: readonly Pick<PublicService, 'formKey' | 'channels'>[],
): SingleAccount {
  const kinds = services.map(onlineKindOf);
  const online = kinds.filter((k) => k !== null).length;
  const singleAccount = kinds.filter((k) => k === 'single-account').length;
  return { online, singleAccount, share: share(singleAccount, online) };
}

/**
 * The single-account figures of the catalogue as it stands, for some bodies (every body when
 * `organisationIds` is empty or absent): in all, and body by body.
 */
export async function singleAccount(
  db: Db,
  organisationIds: readonly string[] | undefined,
  locale: Locale,
): Promise<{ total: SingleAccount; byBody: (SingleAccount & { organisationId: string })[] }> {
  const { services } = await listPublishedServices(db, {
    locale,
    ...(organisationIds?.length ? { organisationIds } : {}),
  });
  const byBody = new Map<string, PublicService[]>();
  for (const service of services)
    byBody.set(service.organisation.id, [...(byBody.get(service.organisation.id) ?? []), service]);
  return {
    total: singleAccountOf(services),
    byBody: [...byBody].map(([organisationId, own]) => ({
      organisationId,
      ...singleAccountOf(own),
    })),
  };
}
