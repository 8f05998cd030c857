import { DIGITAL_CHANNELS, TRANSACTION_CHANNELS, type TransactionChannel } from '../db/tables.js';

/** Counts by channel, as the roll-ups give them; a missing channel had none. */
export type ChannelCounts = Partial<Record<TransactionChannel, number>>;

/** The share `part / whole`, or null when there is nothing to divide (shown as "no data"). */
export function share(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

export interface TakeUp {
  total: number;
  digital: number;
  /** Digital transactions over all of them (0–1), null with none. */
  takeUp: number | null;
  byChannel: { channel: TransactionChannel; transactions: number; share: number | null }[];
}

/** Transactions by channel and digital take-up: online and online-by-agent over every channel. */
export function takeUp(counts: ChannelCounts): TakeUp {
  const byChannel = TRANSACTION_CHANNELS.map((channel) => ({
    channel,
    transactions: counts[channel] ?? 0,
  }));
  const total = byChannel.reduce((sum, c) => sum + c.transactions, 0);
  const digital = byChannel
    .filter((c) => DIGITAL_CHANNELS.includes(c.channel))
    .reduce((sum, c) => sum + c.transactions, 0);
  return {
    total,
    digital,
    takeUp: share(digital, total),
    byChannel: byChannel.map((c) => ({ ...c, share: share(c.transactions, total) })),
  };
}

export interface Completion {
  started: number;
  completed: number;
  /** Journeys sent over journeys begun (0–1), null with none begun. */
  rate: number | null;
  /** Journeys not sent, by the page they were last on, most first; `share` of those begun. */
  leftAt: { page: string; journeys: number; share: number | null }[];
}

/** Completion rate: journeys begun against journeys sent, and where the others stopped. */
export function completion(
  started: number,
  completed: number,
  dropoff: { page: string; journeys: number }[],
): Completion {
  const byPage = new Map<string, number>();
  for (const row of dropoff) byPage.set(row.page, (byPage.get(row.page) ?? 0) + row.journeys);
  const leftAt = [...byPage]
    .filter(([, journeys]) => journeys > 0)
    .map(([page, journeys]) => ({ page, journeys, share: share(journeys, started) }))
    .sort((a, b) => b.journeys - a.journeys || a.page.localeCompare(b.page));
  return { started, completed, rate: share(completed, started), leftAt };
}

/**
 * The p-th percentile (0–1) of decision times from a histogram of whole hours, by the nearest
 * rank: the smallest number of hours within which at least p of the decisions were made.
 *
 * @example percentileHours([{ hours: 2, decisions: 1 }, { hours: 10, decisions: 1 }], 0.5) // 2
 */
export function percentileHours(
  histogram: { hours: number; decisions: number }[],
  p: number,
): number | null {
  const sorted = histogram.filter((h) => h.decisions > 0).sort((a, b) => a.hours - b.hours);
  const total = sorted.reduce((sum, h) => sum + h.decisions, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const h of sorted) {
    seen += h.decisions;
    if (seen >= rank) return h.hours;
  }
  return sorted.at(-1)!.hours;
}

export interface TimeToDecision {
  decisions: number;
  medianHours: number | null;
  p90Hours: number | null;
  withDeadline: number;
  withinDeadline: number;
  /** Decisions made by their casework deadline over those that had one (0–1). */
  withinShare: number | null;
}

/** Time to decision (median and 90th percentile) and the share decided within the deadline. */
export function timeToDecision(
  rows: { hours: number; decisions: number; with_deadline: number; within_deadline: number }[],
): TimeToDecision {
  const sum = (pick: (r: (typeof rows)[number]) => number) =>
    rows.reduce((total, r) => total + pick(r), 0);
  const withDeadline = sum((r) => r.with_deadline);
  const withinDeadline = sum((r) => r.within_deadline);
  return {
    decisions: sum((r) => r.decisions),
    medianHours: percentileHours(rows, 0.5),
    p90Hours: percentileHours(rows, 0.9),
    withDeadline,
    withinDeadline,
    withinShare: share(withinDeadline, withDeadline),
  };
}

export interface Satisfaction {
  responses: number;
  /** The mean rating, 1 (very dissatisfied) to 5 (very satisfied). */
  mean: number | null;
  /** Satisfied or very satisfied (4 or 5) over all responses (0–1): GOV.UK's measure. */
  satisfied: number | null;
  distribution: { rating: number; responses: number; share: number | null }[];
}

/** User satisfaction from the feedback after each transaction (a 5-point scale). */
export function satisfaction(rows: { rating: number; responses: number }[]): Satisfaction {
  const counts = [1, 2, 3, 4, 5].map((rating) => ({
    rating,
    responses: rows.filter((r) => r.rating === rating).reduce((s, r) => s + r.responses, 0),
  }));
  const responses = counts.reduce((s, c) => s + c.responses, 0);
  const points = counts.reduce((s, c) => s + c.rating * c.responses, 0);
  const satisfied = counts.filter((c) => c.rating >= 4).reduce((s, c) => s + c.responses, 0);
  return {
    responses,
    mean: responses > 0 ? points / responses : null,
    satisfied: share(satisfied, responses),
    distribution: counts.map((c) => ({ ...c, share: share(c.responses, responses) })),
  };
}

/** A body's volumes and unit costs (pence) by channel; a channel without a cost is not costed. */
export interface BodyVolumes {
  organisationId: string;
  volumes: ChannelCounts;
  unitCosts: ChannelCounts;
}

export interface Cost {
  /** Transactions on channels whose body set a unit cost. */
  costed: number;
  totalPence: number;
  perTransactionPence: number | null;
  /**
   * What the digital transactions saved against the same number by the bodies' other channels
   * (their volume-weighted mean unit cost; the plain mean when none came by them), in pence.
   * Null when no body set both a digital and an offline cost.
   */
  savingPence: number | null;
}

const OFFLINE: readonly TransactionChannel[] = ['phone', 'face-to-face', 'post'];

/** Cost per transaction from each body's unit costs, and the saving from channel shift. */
export function cost(bodies: BodyVolumes[]): Cost {
  let costed = 0;
  let totalPence = 0;
  let saving: number | null = null;
  for (const body of bodies) {
    for (const channel of TRANSACTION_CHANNELS) {
      const unit = body.unitCosts[channel];
      const volume = body.volumes[channel] ?? 0;
      if (unit === undefined) continue;
      costed += volume;
      totalPence += volume * unit;
    }
    const offlineUnit = offlineMean(body);
    if (offlineUnit === null) continue;
    for (const channel of DIGITAL_CHANNELS) {
      const unit = body.unitCosts[channel];
      if (unit === undefined) continue;
      saving = (saving ?? 0) + (body.volumes[channel] ?? 0) * (offlineUnit - unit);
    }
  }
  return {
    costed,
    totalPence,
    perTransactionPence: costed > 0 ? totalPence / costed : null,
    savingPence: saving === null ? null : Math.round(saving),
  };
}

/** A body's mean unit cost of its offline channels, weighted by their volumes when there are any. */
function offlineMean(body: BodyVolumes): number | null {
  const priced = OFFLINE.filter((c) => body.unitCosts[c] !== undefined);
  if (priced.length === 0) return null;
  const volume = priced.reduce((s, c) => s + (body.volumes[c] ?? 0), 0);
  if (volume > 0)
    return priced.reduce((s, c) => s + (body.volumes[c] ?? 0) * body.unitCosts[c]!, 0) / volume;
  return priced.reduce((s, c) => s + body.unitCosts[c]!, 0) / priced.length;
}
