import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import type { Locale } from '../../../platform/i18n/i18n.js';
import { findOrganisationBySlug, listOrganisationsByIds } from '../../organisations/index.js';
import type { ResourceRow } from '../db/tables.js';
import { addDays, bookingWindow, londonTime, type SlotRules } from '../slots.js';

/** A resource as pages show it, in the reader's language. */
export interface ResourceView {
  id: string;
  organisationId: string;
  organisationSlug: string;
  organisationName: string;
  slug: string;
  kind: ResourceRow['kind'];
  name: string;
  description: string;
  location: string;
  slotMinutes: number;
  capacity: number;
  pricePence: number;
  cancelHoursBefore: number;
  /** Withdrawn by staff: no new bookings, and left out of the public list. */
  withdrawn: boolean;
  path: string;
}

function toView(
  row: ResourceRow,
  organisation: { slug: string; name: string; name_cy: string | null },
  locale: Locale,
): ResourceView {
  const welsh = locale === 'cy';
  return {
    id: row.id,
    organisationId: row.organisation_id,
    organisationSlug: organisation.slug,
    organisationName: (welsh && organisation.name_cy) || organisation.name,
    slug: row.slug,
    kind: row.kind,
    name: (welsh && row.name_cy) || row.name,
    description: (welsh && row.description_cy) || row.description,
    location: row.location,
    slotMinutes: row.slot_minutes,
    capacity: row.capacity,
    pricePence: row.price_pence,
    cancelHoursBefore: row.cancel_hours_before,
    withdrawn: row.withdrawn_at !== null,
    path: `/book/${organisation.slug}/${row.slug}`,
  };
}

/**
 * Every body's resources, grouped by body in name order: the "Book a venue …" list. Withdrawn
 * ones are left out unless asked for (staff still see their calendars).
 */
export async function listResources(
  db: Db,
  locale: Locale,
  options: { withWithdrawn?: boolean } = {},
): Promise<ResourceView[]> {
  let query = db.selectFrom('booking_resources').selectAll().orderBy('name');
  if (!options.withWithdrawn) query = query.where('withdrawn_at', 'is', null);
  const rows = await query.execute();
  const organisations = new Map(
    (
      await listOrganisationsByIds(
        db,
        rows.map((r) => r.organisation_id),
      )
    ).map((o) => [o.id, o]),
  );
  return rows
    .map((row) => toView(row, organisations.get(row.organisation_id)!, locale))
    .sort((a, b) => a.organisationName.localeCompare(b.organisationName));
}

/** One body's resources, withdrawn ones included (the staff calendar's choice). */
export async function resourcesOf(
  db: Db,
  organisationId: string,
  locale: Locale,
): Promise<ResourceView[]> {
  return (await listResources(db, locale, { withWithdrawn: true })).filter(
    (r) => r.organisationId === organisationId,
  );
}

/** The resource at /book/<body slug>/<resource slug>, or undefined. */
export async function findResource(
  db: Db,
  organisationSlug: string,
  slug: string,
  locale: Locale,
): Promise<ResourceView | undefined> {
  if (!/^[a-z0-9-]{1,80}$/.test(organisationSlug) || !/^[a-z0-9-]{1,80}$/.test(slug)) return;
  const organisation = await findOrganisationBySlug(db, organisationSlug);
  if (!organisation) return;
  const row = await db
    .selectFrom('booking_resources')
    .selectAll()
    .where('organisation_id', '=', organisation.id)
    .where('slug', '=', slug)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst();
  return row && toView(row, organisation, locale);
}

export async function findResourceById(
  db: Db,
  id: string,
  locale: Locale,
): Promise<ResourceView | undefined> {
  if (!/^[0-9a-f-]{36}$/.test(id)) return;
  const row = await db
    .selectFrom('booking_resources')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return;
  const [organisation] = await listOrganisationsByIds(db, [row.organisation_id]);
  return toView(row, organisation!, locale);
}

/** What slotsOn needs to know of a resource: its rules, opening times and blackout days. */
export async function slotRules(db: Db, resourceId: string): Promise<SlotRules> {
  const resource = await db
    .selectFrom('booking_resources')
    .select(['slot_minutes', 'buffer_minutes', 'days_ahead'])
    .where('id', '=', resourceId)
    .executeTakeFirstOrThrow();
  const openings = await db
    .selectFrom('booking_opening_times')
    .selectAll()
    .where('resource_id', '=', resourceId)
    .execute();
  const blackouts = await blackoutsOf(db, resourceId);
  const { first, last } = bookingWindow({ daysAhead: resource.days_ahead }, new Date());
  const active = await db
    .selectFrom('bookings')
    .select(['starts_at', 'ends_at'])
    .where('resource_id', '=', resourceId)
    .where('status', 'in', ['awaiting-payment', 'confirmed'])
    .where('ends_at', '>', londonTime(first, 0))
    .where('starts_at', '<', londonTime(addDays(last, 1), 0))
    .execute();
  return {
    slotMinutes: resource.slot_minutes,
    bufferMinutes: resource.buffer_minutes,
    daysAhead: resource.days_ahead,
    openings: new Map(
      openings.map((o) => [o.weekday, { opens: o.opens_minute, closes: o.closes_minute }]),
    ),
    blackouts: new Set(blackouts.map((b) => b.day)),
    booked: active.map((b) => ({
      start: new Date(b.starts_at).getTime(),
      end: new Date(b.ends_at).getTime(),
    })),
  };
}

export async function blackoutsOf(db: Db, resourceId: string) {
  return db
    .selectFrom('booking_blackouts')
    .select([sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day'), 'reason'])
    .where('resource_id', '=', resourceId)
    .orderBy('day')
    .execute();
}

/** Places taken per slot start (ms since epoch) between two instants. */
export async function takenBetween(
  db: Db,
  resourceId: string,
  from: Date,
  to: Date,
): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('booking_slots')
    .select(['starts_at', 'taken'])
    .where('resource_id', '=', resourceId)
    .where('starts_at', '>=', from)
    .where('starts_at', '<', to)
    .execute();
  return new Map(rows.map((r) => [new Date(r.starts_at).getTime(), r.taken]));
}
