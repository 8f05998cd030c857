import { describe, expect, it } from 'vitest';
import { toCsv } from '../queries/open-data.js';
import { barChart, lineChart } from './charts.js';
import { duration, readRange } from './view-model.js';

describe('the date range of a dashboard', () => {
  const now = new Date('2026-11-26T12:00:00Z');
  it('is the twelve months to today by default', () => {
    expect(readRange({}, now)).toEqual({ ok: true, from: '2025-11-27', to: '2026-11-26' });
  });
  it('refuses an impossible date, and an end before the start', () => {
    expect(readRange({ from: '2026-02-30' }, now)).toMatchObject({
      ok: false,
      errors: [{ field: 'from' }],
    });
    expect(readRange({ from: '2026-05-02', to: '2026-05-01' }, now)).toMatchObject({
      ok: false,
      errors: [{ field: 'to', message: 'performance.filters.errors.order' }],
    });
  });
});

describe('figures as people read them', () => {
  const t = (key: string, values?: Record<string, string | number>) =>
    `${key}:${JSON.stringify(values)}`;
  it('gives durations in days and hours', () => {
    expect(duration(50, t)).toBe('performance.duration.daysHours:{"days":2,"hours":2}');
    expect(duration(5, t)).toBe('performance.duration.hours:{"hours":5}');
    expect(duration(null, t)).toBe('–');
  });
});

describe('charts', () => {
  it('scales bars to the largest value', () => {
    const chart = barChart([
      { label: 'a', value: 10, text: '10' },
      { label: 'b', value: 5, text: '5' },
    ]);
    expect(chart.bars[0]!.height).toBe(176);
    expect(chart.bars[1]!.height).toBe(88);
  });
  it('draws a line through the known points only', () => {
    const chart = lineChart(
      [
        { label: 'Jan', value: 0, text: '0%' },
        { label: 'Feb', value: null, text: '–' },
        { label: 'Mar', value: 100, text: '100%' },
      ],
      100,
    );
    expect(chart.dots).toHaveLength(2);
    expect(chart.points).toBe('8,200 632,24');
  });
});

describe('open data as CSV', () => {
  it('quotes what needs it and defuses spreadsheet formulas', () => {
    const text = toCsv('cost', [
      {
        body: 'stroud',
        body_name: '=HYPERLINK("x"), Stroud',
        costed_transactions: 3,
        total_pence: 340,
        cost_per_transaction_pence: 113,
        saving_pence: null,
      },
    ]);
    expect(text).toBe(
      'body,body_name,costed_transactions,total_pence,cost_per_transaction_pence,saving_pence\r\n' +
        'stroud,"\'=HYPERLINK(""x""), Stroud",3,340,113,\r\n',
    );
  });
});
