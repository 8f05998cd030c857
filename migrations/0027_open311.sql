-- Reporting local problems (issue 6, part 7): the Open311 GeoReport v2 API and the "Report a
-- problem" journey. A report is a submission (submissions module) to the body responsible for the
-- place; this table keeps where the problem is, so reports can be listed by place and time
-- without reading anyone's answers. Read and written by the open311 module only.

-- An `open311` hub key sends reports through /open311/v2 for any body's area, as FixMyStreet does.
alter table hub_api_keys drop constraint hub_api_keys_scope_check;
alter table hub_api_keys
  add constraint hub_api_keys_scope_check check (scope in ('submit', 'submit-any', 'receive', 'open311'));

create table open311_requests (
  submission_id uuid primary key references submissions (id) on delete cascade,
  -- The submission's reference: Open311's service_request_id.
  reference text not null unique,
  -- The catalogue's service key: Open311's service_code.
  service_code text not null,
  organisation_id uuid not null references organisations (id),
  service_id uuid not null references services (id),
  -- The district (or unitary) the place is in, from the postcode directory: the public list's area.
  district_gss text,
  postcode text not null,
  latitude double precision not null check (latitude between -90 and 90),
  longitude double precision not null check (longitude between -180 and 180),
  -- Where it is, to street level only (no house number or name): what the public lists show.
  public_address text not null,
  media_url text,
  -- `open311` (the API) or `web` (the journey), and the key that sent an API report.
  channel text not null check (channel in ('open311', 'web')),
  key_id uuid references hub_api_keys (id),
  requested_at timestamptz not null default now()
);
create index open311_requests_requested on open311_requests (requested_at desc);
create index open311_requests_area on open311_requests (district_gss, requested_at desc);
create index open311_requests_code on open311_requests (service_code, requested_at desc);

-- A "Report a problem" journey in progress, for someone who needs no account: the browser holds
-- its id in a signed cookie. Removed when the report is sent, or a day after it was last touched.
create table open311_journeys (
  id uuid primary key default gen_random_uuid(),
  state jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index open311_journeys_updated on open311_journeys (updated_at);

-- The nearest postcode to a latitude and longitude (a K-nearest search on this index), for
-- reports that give a place rather than an address. Live, geographic postcodes only.
create index postcode_areas_location on postcode_areas using gist (point(longitude, latitude))
  where geographic and terminated is null and latitude is not null and longitude is not null;
