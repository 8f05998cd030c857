import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/database.js';
import { addDays, londonDate, londonTime } from '../../platform/time/london.js';
import { createDemoBusiness } from '../agents/index.js';
import { findUserIdByEmail } from '../identity/index.js';
import { findOrganisationBySlug } from '../organisations/index.js';
import { ocidFor } from './commands/notices.js';

/** The demo supplier: a cleaning company whose administrator is a demo account (src/main/seed.ts). */
export const DEMO_SUPPLIER = {
  name: 'Cotswold Cleaning Services Ltd',
  companiesHouseNumber: '07654321',
  // Valid under the mod 97 scheme (see validation/vat.ts).
  vatNumber: '234567847',
  administratorEmail: 'supplier@cotswold-cleaning.example.com',
};

const SEED = { userId: null, organisationId: null, role: 'seed' };

/**
 * The demo of e-procurement: the demo supplier registered for cleaning and facilities work in the
 * South West, and an open opportunity from Stroud District Council buying together with
 * Cheltenham Borough Council, with tenders due in 30 days. For the demo seed only.
 */
export async function seedDemoProcurement(
  db: Db,
  now = new Date(),
  ocidPrefix?: string,
): Promise<{ noticeId: string }> {
  const { businessId } = await createDemoBusiness(db, DEMO_SUPPLIER);
  const administrator = await findUserIdByEmail(db, DEMO_SUPPLIER.administratorEmail);
  const supplier = await db
    .insertInto('procurement_suppliers')
    .values({
      business_id: businessId,
      company_number: DEMO_SUPPLIER.companiesHouseNumber,
      vat_number: DEMO_SUPPLIER.vatNumber,
      is_sme: true,
      sectors: ['90900000', '79900000'],
      regions: ['E12000009'],
      registered_by: administrator,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const stroud = (await findOrganisationBySlug(db, 'stroud'))!;
  const cheltenham = (await findOrganisationBySlug(db, 'cheltenham'))!;
  const today = londonDate(now);
  const id = randomUUID();
  await db
    .insertInto('procurement_notices')
    .values({
      id,
      ocid: ocidFor({ ocidPrefix }, id),
      organisation_id: stroud.id,
      title: 'Cleaning of council offices in Stroud and Cheltenham',
      description:
        'Daily cleaning of the council offices at Ebley Mill, Stroud, and the Municipal Offices, Cheltenham, for three years from April.\n\nThe two councils buy together; one contract covers both buildings.',
      value_min_pence: 15_000_000,
      value_max_pence: 24_000_000,
      cpv_codes: ['90911200'],
      region: 'E12000009',
      sme_suitable: true,
      clarification_deadline: londonTime(addDays(today, 20), 12),
      tender_deadline: londonTime(addDays(today, 30), 12),
      questions: JSON.stringify([
        { text: 'How will you staff both buildings, including cover for absence?' },
        { text: 'How will you reduce the environmental impact of the cleaning?' },
      ]),
      criteria: JSON.stringify([
        { name: 'Quality', weight: 50 },
        { name: 'Social value', weight: 10 },
        { name: 'Price', weight: 40 },
      ]),
      published_at: now,
      updated_at: now,
    })
    .execute();
  await db
    .insertInto('procurement_notice_buyers')
    .values({ notice_id: id, organisation_id: cheltenham.id })
    .execute();
  await recordAudit(db, SEED, {
    action: 'procurement.notice_published',
    resourceType: 'procurement_notice',
    resourceId: id,
    subjectUserId: null,
    details: { method: 'seed', supplier: supplier.id },
  });
  return { noticeId: id };
}
