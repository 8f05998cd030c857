import { describe, expect, it } from 'vitest';
import { instalmentSchedule } from './schedule.js';

describe('instalmentSchedule', () => {
  it('splits the total into monthly instalments, the odd pence on the first, adding up exactly', () => {
    const plan = instalmentSchedule(185_005, 10, '2026-04-01');
    expect(plan.map((i) => i.amount)).toEqual([18_505, ...Array(9).fill(18_500)]);
    expect(plan.reduce((sum, i) => sum + i.amount, 0)).toBe(185_005);
    expect(plan.map((i) => i.dueDate)).toEqual([
      '2026-04-01',
      '2026-05-01',
      '2026-06-01',
      '2026-07-01',
      '2026-08-01',
      '2026-09-01',
      '2026-10-01',
      '2026-11-01',
      '2026-12-01',
      '2027-01-01',
    ]);
  });

  it('keeps to the last day of a short month and goes on into the next year', () => {
    const plan = instalmentSchedule(10_000, 3, '2026-12-31');
    expect(plan.map((i) => i.dueDate)).toEqual(['2026-12-31', '2027-01-31', '2027-02-28']);
    expect(plan.map((i) => i.amount)).toEqual([3_334, 3_333, 3_333]);
  });
});
