-- Issue 4: the same service as several bodies provide it ("pay council tax" by every billing
-- authority) shares a service key, like the Local Government Service List's codes, so that a
-- service page can send a person to the body responsible for their address; and the business
-- life cycle stages (start, employ, grow, trade, close) the business section is browsed by.
alter table services
  add column service_key text check (service_key is null or service_key ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  add column business_stages jsonb not null default '[]'::jsonb;

create index services_service_key on services (service_key) where service_key is not null;
