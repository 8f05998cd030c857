import { describe, expect, it } from 'vitest';
import { readDecision } from './decide.js';

const TODAY = '2026-11-24';

describe('reading a decision', () => {
  it('approves with a weekday collection date', () => {
    expect(
      readDecision(
        {
          outcome: 'approved',
          'collectionDate-day': '1',
          'collectionDate-month': '12',
          'collectionDate-year': '2026',
        },
        TODAY,
      ),
    ).toEqual({
      ok: true,
      decision: { outcome: 'approved', collectionDate: '2026-12-01' },
    });
  });

  it('refuses an approval without a usable date', () => {
    expect(readDecision({ outcome: 'approved' }, TODAY)).toMatchObject({
      ok: false,
      errors: [{ message: 'casework.decision.date.required' }],
    });
    const at = (d: string) =>
      readDecision(
        {
          outcome: 'approved',
          'collectionDate-day': d,
          'collectionDate-month': '11',
          'collectionDate-year': '2026',
        },
        TODAY,
      );
    expect(at('20')).toMatchObject({
      ok: false,
      errors: [{ message: 'casework.decision.date.past' }],
    });
    expect(at('28')).toMatchObject({
      ok: false,
      errors: [{ message: 'casework.decision.date.weekend' }],
    });
  });

  it('rejects only with a reason of at most 500 characters', () => {
    expect(
      readDecision({ outcome: 'rejected', reason: ' Asbestos is not collected ' }, TODAY),
    ).toEqual({ ok: true, decision: { outcome: 'rejected', reason: 'Asbestos is not collected' } });
    expect(readDecision({ outcome: 'rejected', reason: '' }, TODAY)).toMatchObject({
      ok: false,
      errors: [{ field: 'reason' }],
    });
    expect(readDecision({ outcome: 'rejected', reason: 'x'.repeat(501) }, TODAY)).toMatchObject({
      ok: false,
      errors: [{ message: 'casework.decision.reason.tooLong' }],
    });
  });

  it('needs an outcome it knows', () => {
    expect(readDecision({}, TODAY)).toMatchObject({ ok: false, errors: [{ field: 'outcome' }] });
    expect(readDecision({ outcome: 'maybe' }, TODAY)).toMatchObject({
      ok: false,
      errors: [{ field: 'outcome' }],
    });
  });
});
