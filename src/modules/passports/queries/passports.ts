/** What an approval on a service passports to, and a person's offers. */
import type { Db } from '../../../platform/db/database.js';
import type { Locale } from '../../../platform/i18n/i18n.js';
import {
  findPublishedServiceById,
  ownedServices,
  type OwnedServiceSummary,
} from '../../catalogue/index.js';
import type { OfferStatus, PassportRow } from '../db/tables.js';

import { isUuid } from '../../../platform/validation/uuid.js';

/** The passports of a service, oldest first. */
export async function passportsFrom(db: Db, serviceId: string): Promise<PassportRow[]> {
  if (!isUuid(serviceId)) return [];
  return db
    .selectFrom('passports')
    .selectAll()
    .where('from_service_id', '=', serviceId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** A passport with the title and address of the service it passports to, for the owner's page. */
export interface PassportView {
  id: string;
  toTitle: string;
  toSlug: string;
  reasonEn: string;
  reasonCy: string;
}

/** A service's passports as its owner's page lists them. */
export async function passportViews(
  db: Db,
  serviceId: string,
  locale: Locale,
): Promise<PassportView[]> {
  const rows = await passportsFrom(db, serviceId);
  const services = await servicesById(
    db,
    rows.map((row) => row.to_service_id),
  );
  return rows.map((row) => {
    const to = services.get(row.to_service_id);
    return {
      id: row.id,
      toTitle: (to && ((locale === 'cy' && to.titleCy) || to.title)) ?? '',
      toSlug: to?.slug ?? '',
      reasonEn: row.reason_en,
      reasonCy: row.reason_cy,
    };
  });
}

/** How many passports each of some services has. */
export async function passportCounts(
  db: Db,
  serviceIds: readonly string[],
): Promise<Map<string, number>> {
  if (serviceIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('passports')
    .select(['from_service_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('from_service_id', 'in', [...serviceIds])
    .groupBy('from_service_id')
    .execute();
  return new Map(rows.map((r) => [r.from_service_id, Number(r.n)]));
}

/** One offer as the person sees it. */
export interface OfferView {
  id: string;
  status: OfferStatus;
  /** The service offered (published now), its title and web address; null when withdrawn. */
  service: { title: string; slug: string; organisation: string; hasForm: boolean } | null;
  /** The approved service that made the offer. */
  because: string;
  reason: string;
  offeredAt: Date;
  respondedAt: Date | null;
}

/**
 * A person's offers, newest first: those waiting for their answer and those answered. The caller
 * has checked that `userId` is the signed-in person.
 */
export async function offersFor(db: Db, userId: string, locale: Locale): Promise<OfferView[]> {
  const rows = await db
    .selectFrom('passported_offers')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('offered_at', 'desc')
    .orderBy('id')
    .execute();
  const approved = await servicesById(
    db,
    rows.map((row) => row.from_service_id),
  );
  const views: OfferView[] = [];
  for (const row of rows) {
    const to = await findPublishedServiceById(db, row.to_service_id, locale);
    const from = approved.get(row.from_service_id);
    views.push({
      id: row.id,
      status: row.status,
      service: to
        ? {
            title: to.title,
            slug: to.slug,
            organisation: to.organisation.name,
            hasForm: to.formKey !== null,
          }
        : null,
      because: (from && ((locale === 'cy' && from.titleCy) || from.title)) ?? '',
      reason: locale === 'cy' ? row.reason_cy : row.reason_en,
      offeredAt: row.offered_at,
      respondedAt: row.responded_at,
    });
  }
  return views;
}

/** How many offers wait for the person's answer (for their home page). */
export async function openOfferCount(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('passported_offers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('status', '=', 'offered')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Services by id, each looked up once. */
async function servicesById(db: Db, ids: string[]): Promise<Map<string, OwnedServiceSummary>> {
  const services = await ownedServices(db, { ids: [...new Set(ids)] });
  return new Map(services.map((service) => [service.id, service]));
}
