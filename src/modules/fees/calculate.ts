import type { Answers, Fee } from '../forms/index.js';

/**
 * How much a form's fee comes to for these (validated) answers, in pence. 0 means nothing to
 * pay: the application goes on as if the form had no fee. The caller refuses an amount over
 * `MAX_FEE_PENCE` (a whole-number question can multiply past it). A fee from the service's fee
 * rules (`{ type: 'rules' }`) needs the database: the forms journey works it out (`formFee`).
 *
 * @example calculateFee({ description, amount: { type: 'table', question: 'permit', pence: { first: 6000, second: 9000 } } }, { permit: 'second' }) // 9000
 */
export function calculateFee(fee: Fee, answers: Answers): number {
  const { amount } = fee;
  switch (amount.type) {
    case 'fixed':
      return amount.pence;
    case 'perItem':
      return amount.basePence + countOf(answers[amount.question]) * amount.pence;
    case 'table': {
      const value = answers[amount.question];
      return typeof value === 'string' && Object.hasOwn(amount.pence, value)
        ? amount.pence[value]!
        : 0;
    }
    case 'rules':
      // Worked out by the forms journey with the service's fee rules in force (it needs the database).
      throw new Error('A fee from the service’s fee rules is not calculated here: use formFee');
  }
}

/** Items added, boxes ticked, or a whole number typed; nothing answered is none. */
function countOf(value: Answers[string] | undefined): number {
  if (Array.isArray(value)) return value.length;
  if (typeof value !== 'string' || !/^\d{1,9}$/.test(value.trim())) return 0;
  return Number(value.trim());
}
