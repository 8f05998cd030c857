import { describe, expect, it } from 'vitest';
import { FeeSchema, type Fee } from '../forms/index.js';
import { calculateFee } from './calculate.js';

const description = { en: 'Permit', cy: 'Trwydded' };
const fee = (amount: unknown): Fee => FeeSchema.parse({ description, amount });

describe('calculateFee', () => {
  it('charges a fixed fee whatever the answers', () => {
    expect(calculateFee(fee({ type: 'fixed', pence: 6000 }), {})).toBe(6000);
  });

  it('charges per item added, per box ticked or per unit, after the base amount', () => {
    const perItem = fee({ type: 'perItem', question: 'items', pence: 1500, basePence: 1000 });
    expect(calculateFee(perItem, { items: [{ a: 'x' }, { a: 'y' }, { a: 'z' }] })).toBe(5500);
    expect(calculateFee(perItem, { items: ['sofa', 'fridge'] })).toBe(4000);
    expect(calculateFee(perItem, { items: '4' })).toBe(7000);
    expect(calculateFee(perItem, { items: '' })).toBe(1000);
    expect(calculateFee(perItem, {})).toBe(1000);
  });

  it('prices a choice from its table, and a skipped question as nothing', () => {
    const table = fee({ type: 'table', question: 'permit', pence: { first: 6000, second: 9000 } });
    expect(calculateFee(table, { permit: 'first' })).toBe(6000);
    expect(calculateFee(table, { permit: 'second' })).toBe(9000);
    expect(calculateFee(table, {})).toBe(0);
    expect(calculateFee(table, { permit: 'toString' })).toBe(0);
  });

  it('refuses to price a fee from rules without them, rather than charge nothing', () => {
    const rules = fee({ type: 'rules' });
    expect(() => calculateFee(rules, { permit: 'first' })).toThrow(/fee rules/);
    expect(() => fee({ type: 'rules', question: 'permit' })).toThrow();
  });
});
