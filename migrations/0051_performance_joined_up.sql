-- Joined-up-ness (issue 12): one fact per body a change of circumstances was to be told of (tell
-- us once), kept up to date from the sharing module's `sharing.measure` messages, so the share of
-- changes delivered to every body that should be told can be read for any body, area and period.

create table performance_sharing_deliveries (
  delivery_id uuid primary key,
  change_id uuid not null,
  organisation_id uuid not null,
  -- The London date the person told the change: the day the fact counts on.
  day date not null,
  -- The body should be told: the person consented, or the agreement's basis needs no consent
  -- (false when no agreement covered it, the person did not consent, or withdrew, or staff
  -- rejected the report).
  due boolean not null,
  -- The body received it: its webhook answered 2xx, it took it from its inbox, or it answered.
  delivered boolean not null
);
create index performance_sharing_deliveries_day on performance_sharing_deliveries (day, organisation_id);
create index performance_sharing_deliveries_change on performance_sharing_deliveries (change_id);
