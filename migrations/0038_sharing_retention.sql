-- Retention of tell-us-once records (the retention module's `tell-us-once-delivery` type): a
-- delivery, and then the change once all its deliveries are, can be anonymised.
alter table sharing_deliveries add column anonymised_at timestamptz;
alter table sharing_changes add column anonymised_at timestamptz;
