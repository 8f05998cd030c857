import { describe, expect, it } from 'vitest';
import { aCitizen, aStaffMember } from '../../identity/index.js';
import { mayBook, mayCancelNow, mayManageBodyBookings, mayManageOwnBooking } from './bookings.js';

const start = new Date('2026-12-10T10:00:00Z');
const booking = (status: 'confirmed' | 'cancelled' | 'awaiting-payment' | 'payment-failed') => ({
  status,
  starts_at: start,
  ends_at: new Date(start.getTime() + 3_600_000),
});
const hoursBefore = (h: number) => new Date(start.getTime() - h * 3_600_000);

describe('bookings policies', () => {
  it('lets a person book for themselves, not staff nor an agent acting for a client', () => {
    expect(mayBook(aCitizen())).toBe(true);
    expect(mayBook(null)).toBe(false);
    expect(mayBook(aStaffMember('org-1', ['caseworker']))).toBe(false);
    expect(mayBook(aCitizen({ actingFor: { userId: 'u2', displayName: 'Client' } }))).toBe(false);
  });

  it('shows a booking only to the person who made it', () => {
    expect(mayManageOwnBooking(aCitizen({ id: 'u1' }), { user_id: 'u1' })).toBe(true);
    expect(mayManageOwnBooking(aCitizen({ id: 'u2' }), { user_id: 'u1' })).toBe(false);
    expect(mayManageOwnBooking(null, { user_id: 'u1' })).toBe(false);
  });

  it('lets any staff of the body manage its bookings, and no one else', () => {
    expect(mayManageBodyBookings(aStaffMember('org-1', ['counter-adviser']), 'org-1')).toBe(true);
    expect(mayManageBodyBookings(aStaffMember('org-2', ['admin']), 'org-1')).toBe(false);
    expect(mayManageBodyBookings(aCitizen(), 'org-1')).toBe(false);
  });

  it('lets a person cancel until the cut-off, and staff until the end', () => {
    expect(mayCancelNow(booking('confirmed'), 48, 'person', hoursBefore(49))).toBe(true);
    expect(mayCancelNow(booking('confirmed'), 48, 'person', hoursBefore(47))).toBe(false);
    expect(mayCancelNow(booking('confirmed'), 48, 'staff', hoursBefore(1))).toBe(true);
    expect(mayCancelNow(booking('confirmed'), 0, 'staff', hoursBefore(-2))).toBe(false);
    expect(mayCancelNow(booking('cancelled'), 0, 'person', hoursBefore(100))).toBe(false);
    expect(mayCancelNow(booking('payment-failed'), 0, 'staff', hoursBefore(100))).toBe(false);
    expect(mayCancelNow(booking('awaiting-payment'), 0, 'person', hoursBefore(100))).toBe(true);
  });
});
