import { recordAudit } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { Outcome } from '../../../platform/errors/errors.js';
import { notFound } from '../../../platform/errors/errors.js';
import type { AwardRow, NoticeRow } from '../db/tables.js';
import { mayManageProcurement } from '../policies/procurement.js';
import { openTenders } from '../queries/tenders.js';
import { auditActor, type ProcurementActor } from './actor.js';
import { evaluationsOf, weightedScore } from './evaluation.js';
import { mailAccount } from './mail.js';

function money(pence: number): string {
  return `£${(pence / 100).toLocaleString('en-GB', { minimumFractionDigits: 2 })}`;
}

/**
 * The body awards the contract to one tender once every tender's scores are agreed. The notice
 * becomes "awarded" (its contract award notice is then published on the notice page and as open
 * data), the winner is told, and every unsuccessful supplier is told its own scores and
 * comments, the winner's total and the reasons — never another loser's scores.
 */
export async function awardContract(
  db: Db,
  actor: ProcurementActor,
  notice: NoticeRow,
  input: { responseId: string; reasons: string },
  now: Date,
): Promise<Outcome<{ award: AwardRow }>> {
  if (!mayManageProcurement(actor.user, notice.organisation_id))
    throw notFound({ notice: notice.id });
  const tenders = await openTenders(db, actor, notice, now);
  const reasons = input.reasons.trim();
  if (notice.status !== 'open')
    return { ok: false, errors: [{ field: 'responseId', message: 'procurement.award.already' }] };
  const winner = tenders.find((t) => t.id === input.responseId);
  if (!winner)
    return { ok: false, errors: [{ field: 'responseId', message: 'procurement.award.choose' }] };
  const evaluations = await evaluationsOf(
    db,
    tenders.map((t) => t.id),
  );
  if (tenders.some((t) => !evaluations.get(t.id)?.agreed_at))
    return { ok: false, errors: [{ field: 'responseId', message: 'procurement.award.notAgreed' }] };
  if (!reasons)
    return {
      ok: false,
      errors: [{ field: 'reasons', message: 'procurement.award.reasons.missing' }],
    };
  if (reasons.length > 5000)
    return {
      ok: false,
      errors: [{ field: 'reasons', message: 'procurement.award.reasons.tooLong' }],
    };
  const award = await db
    .insertInto('procurement_awards')
    .values({
      notice_id: notice.id,
      response_id: winner.id,
      supplier_id: winner.supplier_id,
      value_pence: winner.price_pence,
      reasons,
      awarded_by: actor.user.id,
      awarded_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await db
    .updateTable('procurement_notices')
    .set({ status: 'awarded', updated_at: now })
    .where('id', '=', notice.id)
    .execute();
  await recordAudit(db, auditActor(actor, 'service-owner'), {
    action: 'procurement.contract_awarded',
    resourceType: 'procurement_notice',
    resourceId: notice.id,
    subjectUserId: null,
    details: { award_id: award.id, response_id: winner.id, value_pence: winner.price_pence },
  });
  const winningScore = weightedScore(notice.criteria, evaluations.get(winner.id)!.scores);
  for (const tender of tenders) {
    const scores = evaluations.get(tender.id)!.scores;
    const lines = notice.criteria
      .map(
        (c, i) => `${c.name} (weight ${c.weight}): ${scores[i]?.score}/10 — ${scores[i]?.comment}`,
      )
      .join('\n');
    const won = tender.id === winner.id;
    await mailAccount(db, tender.submitted_by, `award:${notice.id}:${tender.id}`, {
      subject: won
        ? `Your tender was successful: ${notice.title}`
        : `Your tender was not successful: ${notice.title}`,
      english: won
        ? `The contract "${notice.title}" has been awarded to ${tender.supplierName} for ${money(tender.price_pence)}. The buyer will be in touch about the contract and purchase orders.\n\nYour scores:\n${lines}\nTotal: ${winningScore}/100`
        : `The contract "${notice.title}" has been awarded to another supplier, whose tender scored ${winningScore}/100.\n\nYour scores (total ${weightedScore(notice.criteria, scores)}/100):\n${lines}\n\nWhy the contract went to the winning tender: ${reasons}`,
      welsh: won
        ? `Mae’r contract "${notice.title}" wedi’i ddyfarnu i ${tender.supplierName} am ${money(tender.price_pence)}.\n\nEich sgoriau:\n${lines}\nCyfanswm: ${winningScore}/100`
        : `Mae’r contract "${notice.title}" wedi’i ddyfarnu i gyflenwr arall, a sgoriodd ${winningScore}/100.\n\nEich sgoriau (cyfanswm ${weightedScore(notice.criteria, scores)}/100):\n${lines}\n\nPam yr aeth y contract i’r tendr buddugol: ${reasons}`,
    });
  }
  return { ok: true, award };
}

/** The award of a notice, if it has been awarded. */
export async function awardOf(db: Db, noticeId: string): Promise<AwardRow | undefined> {
  return db
    .selectFrom('procurement_awards')
    .selectAll()
    .where('notice_id', '=', noticeId)
    .executeTakeFirst();
}
