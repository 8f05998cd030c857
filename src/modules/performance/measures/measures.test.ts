import { describe, expect, it } from 'vitest';
import {
  completion,
  cost,
  percentileHours,
  satisfaction,
  share,
  takeUp,
  timeToDecision,
} from './measures.js';

describe('transactions by channel and digital take-up', () => {
  it('counts online and online-by-agent as digital, over every channel', () => {
    // 6 online + 2 by agents = 8 digital of 8 + 1 phone + 1 face to face = 10.
    const result = takeUp({ online: 6, 'online-agent': 2, phone: 1, 'face-to-face': 1 });
    expect(result.total).toBe(10);
    expect(result.digital).toBe(8);
    expect(result.takeUp).toBe(0.8);
    expect(result.byChannel.find((c) => c.channel === 'post')).toEqual({
      channel: 'post',
      transactions: 0,
      share: 0,
    });
    expect(result.byChannel.find((c) => c.channel === 'phone')?.share).toBe(0.1);
  });

  it('has no take-up without transactions', () => {
    expect(takeUp({}).takeUp).toBeNull();
    expect(share(1, 0)).toBeNull();
  });
});

describe('completion rate', () => {
  it('is journeys sent over journeys begun, with where the others stopped, most first', () => {
    const result = completion(8, 5, [
      { page: 'address', journeys: 1 },
      { page: 'items', journeys: 2 },
      { page: 'address', journeys: 0 },
    ]);
    expect(result.rate).toBe(5 / 8);
    expect(result.leftAt).toEqual([
      { page: 'items', journeys: 2, share: 2 / 8 },
      { page: 'address', journeys: 1, share: 1 / 8 },
    ]);
  });

  it('has no rate when no journey began', () => {
    expect(completion(0, 0, []).rate).toBeNull();
  });
});

describe('time to decision', () => {
  // Decisions after 1, 2, 2, 3, 5, 8, 8, 13, 21 and 40 hours (10 decisions).
  const histogram = [
    { hours: 1, decisions: 1 },
    { hours: 2, decisions: 2 },
    { hours: 3, decisions: 1 },
    { hours: 5, decisions: 1 },
    { hours: 8, decisions: 2 },
    { hours: 13, decisions: 1 },
    { hours: 21, decisions: 1 },
    { hours: 40, decisions: 1 },
  ];

  it('takes the median and 90th percentile by nearest rank', () => {
    // Rank ceil(0.5 × 10) = 5 → 5 hours; rank ceil(0.9 × 10) = 9 → 21 hours.
    expect(percentileHours(histogram, 0.5)).toBe(5);
    expect(percentileHours(histogram, 0.9)).toBe(21);
    expect(percentileHours(histogram, 1)).toBe(40);
    expect(percentileHours([], 0.5)).toBeNull();
  });

  it('gives the share decided within the deadline among those that had one', () => {
    const result = timeToDecision([
      { hours: 4, decisions: 3, with_deadline: 2, within_deadline: 2 },
      { hours: 50, decisions: 1, with_deadline: 1, within_deadline: 0 },
    ]);
    expect(result).toEqual({
      decisions: 4,
      medianHours: 4,
      p90Hours: 50,
      withDeadline: 3,
      withinDeadline: 2,
      withinShare: 2 / 3,
    });
  });
});

describe('user satisfaction', () => {
  it('gives the mean rating and the share satisfied or very satisfied', () => {
    // Ratings 5, 5, 4, 2, 1: mean 17/5 = 3.4; 3 of 5 gave 4 or 5.
    const result = satisfaction([
      { rating: 5, responses: 2 },
      { rating: 4, responses: 1 },
      { rating: 2, responses: 1 },
      { rating: 1, responses: 1 },
    ]);
    expect(result.responses).toBe(5);
    expect(result.mean).toBeCloseTo(3.4);
    expect(result.satisfied).toBe(0.6);
    expect(result.distribution.find((d) => d.rating === 3)).toEqual({
      rating: 3,
      responses: 0,
      share: 0,
    });
  });

  it('has no mean without responses', () => {
    expect(satisfaction([]).mean).toBeNull();
  });
});

describe('cost per transaction and the saving from channel shift', () => {
  it('costs each body’s channels at its own unit costs', () => {
    // Body A: 10 online at 20p, 2 phone at 300p, 1 face to face at 800p, 1 post (no cost).
    //   cost 200 + 600 + 800 = 1,600p over 13 costed transactions.
    //   offline mean weighted by volume: (2×300 + 1×800) / 3 = 466.67p;
    //   saving 10 × (466.67 − 20) = 4,466.67p.
    // Body B: 4 online at 50p, no offline costs: cost 200p, no saving.
    const result = cost([
      {
        organisationId: 'a',
        volumes: { online: 10, phone: 2, 'face-to-face': 1, post: 1 },
        unitCosts: { online: 20, phone: 300, 'face-to-face': 800 },
      },
      { organisationId: 'b', volumes: { online: 4 }, unitCosts: { online: 50 } },
    ]);
    expect(result.costed).toBe(17);
    expect(result.totalPence).toBe(1800);
    expect(result.perTransactionPence).toBeCloseTo(1800 / 17);
    expect(result.savingPence).toBe(4467);
  });

  it('uses the plain mean of offline costs when nothing came offline', () => {
    // (300 + 500) / 2 = 400p; 3 online at 100p save 3 × 300 = 900p.
    const result = cost([
      {
        organisationId: 'a',
        volumes: { online: 3 },
        unitCosts: { online: 100, phone: 300, post: 500 },
      },
    ]);
    expect(result.savingPence).toBe(900);
    expect(result.perTransactionPence).toBe(100);
  });

  it('has no cost or saving when no body set its costs', () => {
    const result = cost([{ organisationId: 'a', volumes: { online: 3 }, unitCosts: {} }]);
    expect(result).toEqual({
      costed: 0,
      totalPence: 0,
      perTransactionPence: null,
      savingPence: null,
    });
  });
});
