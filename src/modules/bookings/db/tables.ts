import type { ColumnType, Generated, Selectable } from 'kysely';

type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

export const RESOURCE_KINDS = ['venue', 'pitch', 'course', 'appointment'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/**
 * Where a booking stands. `awaiting-payment` holds its place until the payment finishes;
 * `payment-failed` and `cancelled` have given their place back.
 */
export type BookingStatus = 'awaiting-payment' | 'confirmed' | 'payment-failed' | 'cancelled';

/** A body's bookable thing: a hall, a pitch, a course with places, an appointment (migration 0032). */
export interface BookingResourceTable {
  id: Generated<string>;
  organisation_id: string;
  slug: string;
  kind: ResourceKind;
  name: string;
  name_cy: Nullable<string>;
  description: Generated<string>;
  description_cy: Nullable<string>;
  location: Generated<string>;
  slot_minutes: number;
  capacity: number;
  price_pence: number;
  buffer_minutes: Generated<number>;
  cancel_hours_before: Generated<number>;
  days_ahead: Generated<number>;
  created_at: Generated<Date>;
  /** Set when staff withdraw it: no new bookings, existing ones stand (migration 0033). */
  withdrawn_at: Nullable<Date>;
}

/** A resource's opening period on one weekday (0 Sunday), in minutes after London midnight. */
export interface BookingOpeningTimeTable {
  resource_id: string;
  weekday: number;
  opens_minute: number;
  closes_minute: number;
}

/**
 * A day a resource cannot be booked. `day` is selected cast to text (queries/resources.ts): the
 * drivers would turn a calendar date into a local-midnight instant.
 */
export interface BookingBlackoutTable {
  resource_id: string;
  day: ColumnType<string, string, never>;
  reason: Generated<string>;
  created_by: Nullable<string>;
  created_at: Generated<Date>;
}

/** How many places of one slot are held; the row the booking transaction locks. */
export interface BookingSlotTable {
  resource_id: string;
  starts_at: Date;
  capacity: number;
  taken: Generated<number>;
}

export interface BookingTable {
  id: Generated<string>;
  reference: string;
  resource_id: string;
  organisation_id: string;
  user_id: string;
  person_name: string;
  email: string;
  language: 'en' | 'cy';
  starts_at: Date;
  ends_at: Date;
  amount: number;
  status: BookingStatus;
  payment_id: Nullable<string>;
  refund_id: Nullable<string>;
  refunded_amount: Generated<number>;
  cancelled_by: Nullable<'person' | 'staff'>;
  created_at: Generated<Date>;
  confirmed_at: Nullable<Date>;
  cancelled_at: Nullable<Date>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    booking_resources: BookingResourceTable;
    booking_opening_times: BookingOpeningTimeTable;
    booking_blackouts: BookingBlackoutTable;
    booking_slots: BookingSlotTable;
    bookings: BookingTable;
  }
}

export type ResourceRow = Selectable<BookingResourceTable>;
export type OpeningTimeRow = Selectable<BookingOpeningTimeTable>;
export type BookingRow = Selectable<BookingTable>;
