/**
 * What answering an FOI request may cost, under the Freedom of Information and Data Protection
 * (Appropriate Limit and Fees) Regulations 2004: the s.12 estimate counts only the time to
 * determine whether the information is held, locate, retrieve and extract it (reg. 4(3)), at
 * £25 a person an hour (reg. 4(4)); over the appropriate limit — £600 for the central
 * government bodies of Schedule 1 Part I, £450 for every other public authority (reg. 3) — the
 * request may be refused under s.12, with advice and assistance to narrow it (s.16). A s.9 fees
 * notice charges disbursements (copying, postage), never staff time, for a request within the limit.
 */
import type { FieldError, Outcome } from '../../../platform/errors/errors.js';
import { formText } from '../../../platform/http/forms.js';
import type { OrganisationRow } from '../../organisations/index.js';
import { COST_ACTIVITIES, type CostHours } from '../db/tables.js';

/** reg. 4(4): staff time is charged at £25 a person an hour. */
export const HOURLY_RATE_PENCE = 2500;

/** reg. 3(2) and (3): the appropriate limit, in pence. */
export const CENTRAL_LIMIT_PENCE = 60000;
export const OTHER_LIMIT_PENCE = 45000;

/** The most hours one activity may be estimated at: a typing slip, not an estimate, beyond that. */
export const MAX_HOURS = 10000;

/** The largest fee a notice may ask (£1,000,000, the column's check), in pence. */
export const MAX_FEE_PENCE = 100_000_000;

/**
 * The appropriate limit of a body: £600 for government departments (and their executive
 * agencies, which are part of them in law), £450 for councils and every other authority.
 */
export function appropriateLimitPence(body: Pick<OrganisationRow, 'type'>): number {
  return body.type === 'central-department' || body.type === 'executive-agency'
    ? CENTRAL_LIMIT_PENCE
    : OTHER_LIMIT_PENCE;
}

/** An estimate worked out: hours, cost, the limit and whether the cost goes over it. */
export interface CostEstimate {
  hours: CostHours;
  totalHours: number;
  costPence: number;
  limitPence: number;
  overLimit: boolean;
}

/**
 * The cost of the hours estimated, against the body's limit. Each activity's hours are costed
 * in whole pence; the limit is exceeded only when the cost is more than it (reg. 3: "exceeds").
 *
 * @example estimateCost({ determining: 1, locating: 10, retrieving: 5, extracting: 3 }, 45000)
 * // { totalHours: 19, costPence: 47500, limitPence: 45000, overLimit: true, … }
 */
export function estimateCost(hours: CostHours, limitPence: number): CostEstimate {
  const totalHours = COST_ACTIVITIES.reduce((sum, a) => sum + hours[a], 0);
  const costPence = Math.round(totalHours * HOURLY_RATE_PENCE);
  return { hours, totalHours, costPence, limitPence, overLimit: costPence > limitPence };
}

/** Pounds as people read them: "£450.00". */
export function poundsText(pence: number): string {
  return `£${(pence / 100).toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

const HOURS = /^\d{1,5}(\.\d{1,2})?$/;
const MONEY = /^£?\d{1,7}(\.\d{2})?$/;

/**
 * The estimate form: hours for each activity, 0 to 10,000 with up to two decimal places
 * (`1.5` is an hour and a half); an empty box counts as none; at least one must be above 0.
 */
export function readCostEstimate(body: unknown): Outcome<{ hours: CostHours }> {
  const errors: FieldError[] = [];
  const hours = {} as CostHours;
  for (const activity of COST_ACTIVITIES) {
    const text = formText(body, activity).trim();
    const value = text === '' ? 0 : HOURS.test(text) ? Number(text) : NaN;
    if (!(value >= 0 && value <= MAX_HOURS))
      errors.push({ field: activity, message: 'correspondence.cost.hours.invalid' });
    hours[activity] = value;
  }
  if (errors.length === 0 && COST_ACTIVITIES.every((a) => hours[a] === 0))
    errors.push({ field: COST_ACTIVITIES[0], message: 'correspondence.cost.hours.missing' });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, hours };
}

/** The fees notice form: the amount in pounds and pence, and what it is for. */
export function readFeeNotice(body: unknown): Outcome<{ pence: number; description: string }> {
  const errors: FieldError[] = [];
  const text = formText(body, 'amount').trim().replace(/,/g, '');
  const pence = MONEY.test(text) ? Math.round(Number(text.replace('£', '')) * 100) : NaN;
  if (text === '') errors.push({ field: 'amount', message: 'correspondence.fee.amount.missing' });
  else if (!(pence >= 1 && pence <= MAX_FEE_PENCE))
    errors.push({ field: 'amount', message: 'correspondence.fee.amount.invalid' });
  const description = formText(body, 'description');
  if (description === '')
    errors.push({ field: 'description', message: 'correspondence.fee.description.missing' });
  else if (description.length > 2000)
    errors.push({ field: 'description', message: 'correspondence.fee.description.tooLong' });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, pence, description };
}
