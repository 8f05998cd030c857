-- Bookings: staff withdraw a resource to stop new bookings while the ones already made stand.
alter table booking_resources add column withdrawn_at timestamptz;
