import { describe, expect, it } from 'vitest';
import { isIsoDate, londonMidnight, reconciliationCsv } from './reconciliation.js';

describe('reconciliation days and CSV', () => {
  it('starts a UK day at midnight GMT in winter and BST in summer', () => {
    expect(londonMidnight('2026-01-15').toISOString()).toBe('2026-01-15T00:00:00.000Z');
    expect(londonMidnight('2026-07-01').toISOString()).toBe('2026-06-30T23:00:00.000Z');
    // The clocks go forward at 01:00 on 29 March 2026: that day starts in GMT.
    expect(londonMidnight('2026-03-29').toISOString()).toBe('2026-03-29T00:00:00.000Z');
    expect(londonMidnight('2026-10-25').toISOString()).toBe('2026-10-24T23:00:00.000Z');
  });

  it('knows a real date', () => {
    expect(isIsoDate('2026-02-28')).toBe(true);
    expect(isIsoDate('2026-02-30')).toBe(false);
    expect(isIsoDate('26-02-28')).toBe(false);
    expect(isIsoDate('2026-2-8')).toBe(false);
  });

  it('writes amounts in pounds, refunds negative, quotes commas and defuses formulas', () => {
    const line = {
      at: '2026-11-26 10:00:00',
      service: 'bookings',
      paymentId: 'p1',
      reference: '=HYPERLINK("x")',
      description: 'Hall, main',
    };
    const csv = reconciliationCsv({
      date: '2026-11-26',
      lines: [
        { ...line, kind: 'payment', refundId: null, amount: 4550 },
        { ...line, kind: 'refund', refundId: 'r1', amount: -1000 },
      ],
      services: [
        { service: 'bookings', payments: 1, taken: 4550, refunds: 1, refunded: 1000, net: 3550 },
      ],
      total: { service: 'all', payments: 1, taken: 4550, refunds: 1, refunded: 1000, net: 3550 },
    });
    expect(csv.split('\r\n')).toEqual([
      'date_time,type,service,payment_id,refund_id,reference,description,amount',
      `2026-11-26 10:00:00,payment,bookings,p1,,"'=HYPERLINK(""x"")","Hall, main",45.50`,
      `2026-11-26 10:00:00,refund,bookings,p1,r1,"'=HYPERLINK(""x"")","Hall, main",-10.00`,
      '2026-11-26,total,bookings,,,,,35.50',
      '2026-11-26,total,all,,,,,35.50',
      '',
    ]);
  });
});
