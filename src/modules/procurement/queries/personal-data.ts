import { isoInstant } from '../../../platform/http/personal-data.js';
import type { Db } from '../../../platform/db/database.js';
import type { PersonalDataSection } from '../../../platform/http/types.js';

/**
 * What procurement holds about one person, for their "My data": the supplier registrations they
 * made, the clarification questions they asked and the tenders they sent (not their contents,
 * which belong to the business).
 */
export async function procurementPersonalData(
  db: Db,
  userId: string,
): Promise<PersonalDataSection[]> {
  const suppliers = await db
    .selectFrom('procurement_suppliers')
    .select(['id', 'company_number', 'vat_number', 'registered_at'])
    .where('registered_by', '=', userId)
    .execute();
  const questions = await db
    .selectFrom('procurement_clarifications as c')
    .innerJoin('procurement_notices as n', 'n.id', 'c.notice_id')
    .select(['n.title', 'c.question', 'c.asked_at', 'c.answered_at'])
    .where('c.asked_by', '=', userId)
    .orderBy('c.asked_at')
    .execute();
  const tenders = await db
    .selectFrom('procurement_responses as r')
    .innerJoin('procurement_notices as n', 'n.id', 'r.notice_id')
    .select(['n.title', 'r.submitted_at'])
    .where('r.submitted_by', '=', userId)
    .orderBy('r.submitted_at')
    .execute();
  return [
    {
      key: 'procurement_suppliers',
      title: 'procurement.personalData.suppliers',
      rows: suppliers.map((s) => ({
        company_number: s.company_number,
        vat_number: s.vat_number,
        registered_at: isoInstant(s.registered_at),
      })),
    },
    {
      key: 'procurement_clarifications',
      title: 'procurement.personalData.clarifications',
      rows: questions.map((q) => ({
        opportunity: q.title,
        question: q.question,
        asked_at: isoInstant(q.asked_at),
        answered_at: isoInstant(q.answered_at),
      })),
    },
    {
      key: 'procurement_tenders',
      title: 'procurement.personalData.tenders',
      rows: tenders.map((t) => ({
        opportunity: t.title,
        submitted_at: isoInstant(t.submitted_at),
      })),
    },
  ];
}
