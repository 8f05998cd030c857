/**
 * What a form's fee comes to for a person's answers. A fixed, per-item or table fee is worked
 * out from the form alone (the fees module's `calculateFee`); a fee from rules
 * (`amount: { type: 'rules' }`) is the service's `fee` rule set in force, evaluated exactly as the
 * "Check if you can get this" page evaluates eligibility — `ruleSetInForce`, then the version by
 * its id with the table's inputs read from the answers of the same names — so the amount comes
 * with its explanation in English and Welsh and the version that priced it.
 */
import type { Db } from '../../../../platform/db/database.js';
import { calculateFee } from '../../../fees/index.js';
import {
  evaluateRuleSetVersion,
  inputsFromAnswers,
  ruleSetInForce,
  type Bilingual,
} from '../../../rules/index.js';
import { MAX_FEE_PENCE, type Answers, type Fee } from '../../schema.js';

/** Why a fee from rules cannot be worked out: nothing may be charged, nor the application sent. */
export type FeeUnavailable =
  /** The service has no fee rules in force today. */
  | 'no-rules'
  /** The answers do not fit the table's inputs, or its outcome is not an amount in pence. */
  | 'cannot-evaluate'
  /** More than a payment may be (£100,000). */
  | 'too-much';

export type FormFee =
  | {
      ok: true;
      /** 0: nothing to pay, the application goes on at once. */
      pence: number;
      /** Why, for a fee from rules. */
      explanation: Bilingual | null;
      /** The fee rule version that priced it, for a fee from rules. */
      ruleSetVersionId: string | null;
    }
  | { ok: false; reason: FeeUnavailable };

/**
 * The fee for these (validated) answers on this service, at a moment (now by default).
 *
 * @example const fee = await formFee(db, service.id, form.fee, answers); if (!fee.ok) showError();
 */
export async function formFee(
  db: Db,
  serviceId: string,
  fee: Fee | undefined,
  answers: Answers,
  at: Date = new Date(),
): Promise<FormFee> {
  if (!fee) return { ok: true, pence: 0, explanation: null, ruleSetVersionId: null };
  if (fee.amount.type !== 'rules')
    return {
      ok: true,
      pence: calculateFee(fee, answers),
      explanation: null,
      ruleSetVersionId: null,
    };
  const rules = await ruleSetInForce(db, serviceId, 'fee', at);
  if (!rules) return { ok: false, reason: 'no-rules' };
  const decided = await evaluateRuleSetVersion(
    db,
    rules.id,
    inputsFromAnswers(rules.table, answers),
  );
  const evaluation = decided?.evaluation;
  if (!evaluation?.ok || evaluation.outcome.type !== 'fee')
    return { ok: false, reason: 'cannot-evaluate' };
  if (evaluation.outcome.pence > MAX_FEE_PENCE) return { ok: false, reason: 'too-much' };
  return {
    ok: true,
    pence: evaluation.outcome.pence,
    explanation: evaluation.explanation,
    ruleSetVersionId: rules.id,
  };
}
