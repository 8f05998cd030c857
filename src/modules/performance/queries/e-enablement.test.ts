import { describe, expect, it } from 'vitest';
import { eEnablement, prefilledEntry } from './e-enablement.js';

describe('BVPI 157 e-enablement', () => {
  it('is e-enabled over the interactions that apply and are not exempt, plain and weighted', () => {
    // Counted: a (e-enabled, 90 transactions), b (not, 10), c (e-enabled, 0) → 2/3;
    // weighted (90 + 0) / (90 + 10 + 0) = 0.9. d does not apply, e is exempt.
    const line = { applicable: true, exemption: null, eEnabled: true, transactions: 0 };
    const figure = eEnablement([
      { ...line, transactions: 90 },
      { ...line, eEnabled: false, transactions: 10 },
      line,
      { ...line, applicable: false, eEnabled: false },
      { ...line, exemption: 'legal' as const, eEnabled: false, transactions: 50 },
    ]);
    expect(figure).toEqual({ counted: 3, eEnabled: 2, percentage: 2 / 3, weighted: 0.9 });
    expect(eEnablement([]).percentage).toBeNull();
  });

  it('pre-fills a phone line as electronic only when advisers filled it in on-line', () => {
    const byPhone = {
      channels: [{ kind: 'phone' as const, number: '01453 766321', hours: '', hoursCy: '' }],
      interactions: [{ type: 'applications' as const, eEnabled: false }],
    };
    expect(prefilledEntry(byPhone, 'applications', undefined)).toMatchObject({
      eEnabled: false,
      channels: [],
    });
    expect(
      prefilledEntry(byPhone, 'applications', {
        transactions: 4,
        online: false,
        assistedPhone: true,
      }),
    ).toMatchObject({ eEnabled: true, channels: ['phone'] });
    expect(
      prefilledEntry(
        { ...byPhone, channels: [{ kind: 'online-here' }] },
        'applications',
        undefined,
      ),
    ).toMatchObject({ eEnabled: true, channels: ['online'] });
  });
});
