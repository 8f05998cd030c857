import { describe, expect, it } from 'vitest';
import { periodText } from './routes.js';

const t = (key: string, values?: Record<string, string | number>) =>
  `${key.split('.').at(-1)}:${values?.count}`;

describe('periodText', () => {
  it('says whole years in years and the rest in months', () => {
    expect(periodText(t, 72)).toBe('years:6');
    expect(periodText(t, 12)).toBe('year:1');
    expect(periodText(t, 18)).toBe('months:18');
    expect(periodText(t, 1)).toBe('month:1');
  });
});
