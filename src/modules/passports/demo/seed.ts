/**
 * The demo passports: DWP's Pension Credit passports to Stroud's Council Tax Reduction (through
 * "Apply for Housing Benefit and Council Tax Reduction") and Gloucestershire's Blue Badge.
 * Seeded by `src/main/seed.ts`; idempotent; audited as the platform's.
 */
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import { findPublishedService } from '../../catalogue/index.js';

/** What the demo declares: from, to, and the reason in English and Welsh. */
export const DEMO_PASSPORTS = [
  {
    from: 'pension-credit',
    to: 'housing-benefit-stroud',
    en: 'People who get the guarantee part of Pension Credit get the most Council Tax Reduction, whatever their income and savings.',
    cy: 'Mae pobl sy’n cael elfen warant Credyd Pensiwn yn cael y Gostyngiad Treth Gyngor mwyaf, beth bynnag yw eu hincwm a’u cynilion.',
  },
  {
    from: 'pension-credit',
    to: 'apply-for-a-blue-badge-gloucestershire',
    en: 'Because you get Pension Credit, your Blue Badge application is fast-tracked: you will not be asked for proof of your benefits again.',
    cy: 'Oherwydd eich bod yn cael Credyd Pensiwn, caiff eich cais am Fathodyn Glas ei gyflymu: ni ofynnir i chi am brawf o’ch budd-daliadau eto.',
  },
] as const;

export async function seedDemoPassports(db: Db): Promise<void> {
  for (const demo of DEMO_PASSPORTS) {
    const from = await findPublishedService(db, demo.from, 'en');
    const to = await findPublishedService(db, demo.to, 'en');
    if (!from || !to) continue;
    const inserted = await db
      .insertInto('passports')
      .values({
        from_service_id: from.id,
        to_service_id: to.id,
        reason_en: demo.en,
        reason_cy: demo.cy,
        created_by: null,
      })
      .onConflict((oc) => oc.columns(['from_service_id', 'to_service_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) continue;
    await recordAudit(
      db,
      { userId: null, organisationId: null, role: null },
      {
        action: 'passports.declared',
        resourceType: 'passport',
        resourceId: inserted.id,
        subjectUserId: null,
        details: { fromServiceId: from.id, toServiceId: to.id, demo: true },
      },
    );
  }
}
