import type { CurrentUser } from '../../../platform/http/types.js';
import { isStaffOf } from '../../identity/index.js';
import type { BookingStatus } from '../db/tables.js';

/**
 * Who may book: a signed-in person acting for themselves. Staff accounts book nothing here
 * (they manage their body's calendar), nor does an agent acting for a client.
 */
export function mayBook(user: CurrentUser | null): user is CurrentUser {
  return !!user && user.kind === 'citizen' && !user.actingFor;
}

/** Only the person who made a booking sees it or cancels it; anyone else gets 404. */
export function mayManageOwnBooking(
  user: CurrentUser | null,
  booking: { user_id: string } | undefined,
): boolean {
  return !!user && !!booking && booking.user_id === user.id && !user.actingFor;
}

/**
 * A body's staff, in any role, see and manage the bookings of that body's resources (a front
 * desk takes bookings as much as a service owner); another body's staff get 404.
 */
export function mayManageBodyBookings(user: CurrentUser | null, organisationId: string): boolean {
  return isStaffOf(user, organisationId);
}

/**
 * Who sets up a body's resources (adds, changes, withdraws them): its service owners and admins,
 * who answer for what the body offers and charges. Other staff of the body (caseworkers, counter
 * advisers) see the list but change nothing; another body's staff get 404.
 */
export function mayManageResources(user: CurrentUser | null, organisationId: string): boolean {
  return isStaffOf(user, organisationId, 'service-owner');
}

/** Whether to show the staff "Bookings" link. */
export function isBodyStaff(user: CurrentUser | null): boolean {
  return !!user && user.kind === 'staff' && !!user.organisationId;
}

/** A booking holding a place: the only ones that can be cancelled. */
export function isActive(status: BookingStatus): boolean {
  return status === 'awaiting-payment' || status === 'confirmed';
}

/**
 * The body's rule for a person's cancellation: an active booking, until `hoursBefore` hours
 * before it starts. Staff may cancel any active booking that has not ended.
 */
export function mayCancelNow(
  booking: { status: BookingStatus; starts_at: Date; ends_at: Date },
  hoursBefore: number,
  by: 'person' | 'staff',
  now: Date,
): boolean {
  if (!isActive(booking.status)) return false;
  if (by === 'staff') return new Date(booking.ends_at).getTime() > now.getTime();
  return now.getTime() <= new Date(booking.starts_at).getTime() - hoursBefore * 3_600_000;
}
