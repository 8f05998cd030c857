/**
 * FOI costs and fees: the s.12 cost estimate recorded against a request, a refusal under s.12
 * when it goes over the appropriate limit (with the advice and assistance s.16 asks for), and the
 * s.9 fees notice for disbursements, which stops the clock until the fee is paid (s.10(2)).
 * Payment is recorded by hand: the body takes it through its own till.
 */
import type { Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import { dueAfterFee } from '../clock/statutory-clock.js';
import type { CorrespondenceRow, CostHours } from '../db/tables.js';
import {
  appropriateLimitPence,
  estimateCost,
  poundsText,
  type CostEstimate,
} from '../rules/fees.js';
import { dueText, queueRequesterMail } from './mail.js';
import { audit, bodyOf, lockForWork, STATE_CHANGED, update, type WorkOutcome } from './work.js';

/** The estimate recorded on a request, against its body's limit; null when none is recorded. */
export async function costEstimateOf(
  db: Db,
  item: CorrespondenceRow,
): Promise<CostEstimate | null> {
  if (!item.cost_hours) return null;
  return estimateCost(item.cost_hours, appropriateLimitPence(await bodyOf(db, item)));
}

/** Records (or replaces) the s.12 estimate of an open FOI request: hours per activity. */
export async function recordCostEstimate(
  trx: Db,
  user: CurrentUser,
  actor: Actor,
  reference: string,
  hours: CostHours,
  now: Date,
): Promise<WorkOutcome> {
  const item = await lockForWork(trx, user, reference);
  if (item.kind !== 'foi' || item.state !== 'open') return { ok: false, errors: [STATE_CHANGED] };
  const changed = await update(trx, item, {
    cost_hours: JSON.stringify(hours),
    cost_estimated_at: now,
    cost_estimated_by: user.id,
  });
  const estimate = estimateCost(hours, appropriateLimitPence(await bodyOf(trx, item)));
  await audit(trx, actor, changed, 'cost-estimated', {
    hours,
    costPence: estimate.costPence,
    limitPence: estimate.limitPence,
    overLimit: estimate.overLimit,
  });
  return { ok: true, item: changed };
}

/**
 * Refuses an open FOI request under s.12, answering it: only when the recorded estimate is over
 * the body's appropriate limit. The advice and assistance (what could be found within the
 * limit, how to narrow the request) is the response, e-mailed with the estimate.
 */
export async function refuseOnCost(
  trx: Db,
  user: CurrentUser,
  actor: Actor,
  reference: string,
  advice: string,
  now: Date,
): Promise<WorkOutcome> {
  const item = await lockForWork(trx, user, reference);
  if (item.kind !== 'foi' || item.state !== 'open') return { ok: false, errors: [STATE_CHANGED] };
  const estimate = await costEstimateOf(trx, item);
  if (!estimate?.overLimit)
    return {
      ok: false,
      errors: [{ field: 'advice', message: 'correspondence.cost.notOverLimit' }],
    };
  const changed = await update(trx, item, {
    state: 'closed',
    outcome: 'refused',
    exemptions: ['s12'],
    response: advice,
    responded_at: now,
    responded_by: user.id,
    due_at: null,
  });
  await audit(trx, actor, changed, 'responded', {
    stage: item.stage,
    outcome: 'refused',
    exemptions: ['s12'],
    costPence: estimate.costPence,
    limitPence: estimate.limitPence,
    onTime: item.due_at !== null && now.getTime() <= item.due_at.getTime(),
  });
  await queueRequesterMail(
    trx,
    'cost-refused',
    changed,
    {
      hours: String(estimate.totalHours),
      cost: poundsText(estimate.costPence),
      limit: poundsText(estimate.limitPence),
      advice,
    },
    `correspondence.cost-refused:${item.reference}`,
  );
  return { ok: true, item: changed };
}

/**
 * Gives a s.9 fees notice for the disbursements of an open FOI request, once: the clock stops
 * (the request waits in "fee-due") until the fee is recorded as paid.
 */
export async function giveFeeNotice(
  trx: Db,
  user: CurrentUser,
  actor: Actor,
  reference: string,
  fee: { pence: number; description: string },
  now: Date,
): Promise<WorkOutcome> {
  const item = await lockForWork(trx, user, reference);
  if (item.kind !== 'foi' || item.state !== 'open' || !item.due_at || item.fee_notice_at)
    return { ok: false, errors: [STATE_CHANGED] };
  const changed = await update(trx, item, {
    state: 'fee-due',
    fee_pence: fee.pence,
    fee_description: fee.description,
    fee_notice_at: now,
    due_before_fee: item.due_at,
    due_at: null,
    clock_stopped_at: now,
  });
  await audit(trx, actor, changed, 'fee-notice', { ...fee });
  await queueRequesterMail(
    trx,
    'fee-notice',
    changed,
    { amount: poundsText(fee.pence), description: fee.description },
    `correspondence.fee-notice:${item.reference}`,
  );
  return { ok: true, item: changed };
}

/**
 * Records that the fee was paid: the clock runs again, its due date moved on by the working
 * days from the notice to the payment, both days counted (s.10(2)).
 */
export async function recordFeePaid(
  trx: Db,
  user: CurrentUser,
  actor: Actor,
  reference: string,
  now: Date,
): Promise<WorkOutcome> {
  const item = await lockForWork(trx, user, reference);
  if (item.state !== 'fee-due' || !item.fee_notice_at || !item.due_before_fee)
    return { ok: false, errors: [STATE_CHANGED] };
  const changed = await update(trx, item, {
    state: 'open',
    fee_paid_at: now,
    due_at: dueAfterFee(item.due_before_fee, item.fee_notice_at, now),
    clock_stopped_at: null,
  });
  await audit(trx, actor, changed, 'fee-paid', { due: changed.due_at });
  await queueRequesterMail(
    trx,
    'fee-paid',
    changed,
    { due: dueText(changed, item.language) },
    `correspondence.fee-paid:${item.reference}`,
  );
  return { ok: true, item: changed };
}
