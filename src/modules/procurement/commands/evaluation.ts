import { recordAudit } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { FieldError, Outcome } from '../../../platform/errors/errors.js';
import { notFound } from '../../../platform/errors/errors.js';
import type { AwardCriterion, CriterionScore, EvaluationRow, NoticeRow } from '../db/tables.js';
import { areTendersUnsealed, mayModerate } from '../policies/procurement.js';
import { openTender, tendersSealed } from '../queries/tenders.js';
import { auditActor, type ProcurementActor } from './actor.js';

export const MAX_SCORE = 10;

/** The panel's scores as the form gives them: a score and a comment for each criterion. */
export interface ScoresInput {
  scores: { score: string; comment: string }[];
  /** The version of the sheet the evaluator opened, or null when there was none yet. */
  version: number | null;
}

/**
 * A tender's weighted score out of 100: each criterion's score (0 to 10) as a share of its weight.
 *
 * @example weightedScore([{ name: 'Quality', weight: 60 }, { name: 'Price', weight: 40 }], [{ score: 5, comment: '' }, { score: 10, comment: '' }]) // 70
 */
export function weightedScore(criteria: AwardCriterion[], scores: CriterionScore[]): number {
  const total = criteria.reduce(
    (sum, criterion, i) => sum + ((scores[i]?.score ?? 0) / MAX_SCORE) * criterion.weight,
    0,
  );
  return Math.round(total * 100) / 100;
}

function readScores(
  criteria: AwardCriterion[],
  input: ScoresInput,
): { ok: true; scores: CriterionScore[] } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const scores = criteria.map((_, i) => {
    const raw = (input.scores[i]?.score ?? '').trim();
    const comment = (input.scores[i]?.comment ?? '').trim();
    const score = Number(raw);
    if (!/^[0-9]{1,2}$/.test(raw) || score > MAX_SCORE)
      errors.push({ field: `score-${i + 1}`, message: 'procurement.evaluation.score.invalid' });
    if (!comment)
      errors.push({ field: `comment-${i + 1}`, message: 'procurement.evaluation.comment.missing' });
    else if (comment.length > 2000)
      errors.push({ field: `comment-${i + 1}`, message: 'procurement.evaluation.comment.tooLong' });
    return { score, comment };
  });
  return errors.length ? { ok: false, errors } : { ok: true, scores };
}

const CONFLICT: FieldError = { field: 'scores', message: 'procurement.evaluation.conflict' };

/**
 * An evaluator saves the panel's scores for a tender (only after the deadline; only the body's
 * panel). The sheet is shared, so saving is optimistic: it succeeds only if nobody saved since
 * the evaluator opened it (`version`); otherwise nothing changes and the evaluator is told to
 * look again. A sheet the moderator has agreed is fixed.
 */
export async function saveScores(
  db: Db,
  actor: ProcurementActor,
  notice: NoticeRow,
  responseId: string,
  input: ScoresInput,
  now: Date,
): Promise<Outcome<{ evaluation: EvaluationRow }>> {
  await openTender(db, actor, notice, responseId, now);
  const read = readScores(notice.criteria, input);
  if (!read.ok) return read;
  const scores = JSON.stringify(read.scores);
  const evaluation =
    input.version === null
      ? await db
          .insertInto('procurement_evaluations')
          .values({ response_id: responseId, scores, updated_by: actor.user.id, updated_at: now })
          .onConflict((oc) => oc.column('response_id').doNothing())
          .returningAll()
          .executeTakeFirst()
      : await db
          .updateTable('procurement_evaluations')
          .set((eb) => ({
            scores,
            version: eb('version', '+', 1),
            updated_by: actor.user.id,
            updated_at: now,
          }))
          .where('response_id', '=', responseId)
          .where('version', '=', input.version)
          .where('agreed_at', 'is', null)
          .returningAll()
          .executeTakeFirst();
  if (!evaluation) return { ok: false, errors: [CONFLICT] };
  await recordAudit(db, auditActor(actor, 'evaluator'), {
    action: 'procurement.scores_saved',
    resourceType: 'procurement_response',
    resourceId: responseId,
    subjectUserId: null,
    details: { notice_id: notice.id, version: evaluation.version },
  });
  return { ok: true, evaluation };
}

/**
 * The moderator agrees the panel's scores for a tender as they stand at `version`; a sheet
 * changed since they read it is not agreed (they must read it again).
 */
export async function agreeScores(
  db: Db,
  actor: ProcurementActor,
  notice: NoticeRow,
  responseId: string,
  version: number,
  now: Date,
): Promise<Outcome<{ evaluation: EvaluationRow }>> {
  if (!mayModerate(actor.user, notice.organisation_id)) throw notFound({ notice: notice.id });
  if (!areTendersUnsealed(notice, now)) throw tendersSealed(notice);
  await openTender(db, actor, notice, responseId, now);
  const evaluation = await db
    .updateTable('procurement_evaluations')
    .set({ agreed_by: actor.user.id, agreed_at: now })
    .where('response_id', '=', responseId)
    .where('version', '=', version)
    .where('agreed_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  if (!evaluation) return { ok: false, errors: [CONFLICT] };
  await recordAudit(db, auditActor(actor, 'moderator'), {
    action: 'procurement.scores_agreed',
    resourceType: 'procurement_response',
    resourceId: responseId,
    subjectUserId: null,
    details: { notice_id: notice.id, version },
  });
  return { ok: true, evaluation };
}

/** The panel's sheets for a notice's tenders, by tender id (read with the tenders, after the deadline). */
export async function evaluationsOf(db: Db, responseIds: string[]) {
  if (responseIds.length === 0) return new Map<string, EvaluationRow>();
  const rows = await db
    .selectFrom('procurement_evaluations')
    .selectAll()
    .where('response_id', 'in', responseIds)
    .execute();
  return new Map(rows.map((r) => [r.response_id, r]));
}
