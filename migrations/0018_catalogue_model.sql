-- The service model of the front door (issue 4): who a service is for, eligibility, fees, how to
-- apply on each channel, its BVPI 157 interaction types, the tier of body that provides it, life
-- events, customer groups and topics; drafts and a publishing history; full-text search in
-- English and Welsh, with synonyms. Vocabularies are checked in TypeScript (catalogue/vocabularies.ts).
alter table services
  add column audience text not null default 'citizens' check (audience in ('citizens', 'businesses', 'both')),
  add column eligibility text not null default '',
  add column eligibility_cy text not null default '',
  add column fees text not null default '',
  add column fees_cy text not null default '',
  add column fee_pence integer check (fee_pence is null or fee_pence >= 0),
  -- [{kind: 'online-here'} | {kind: 'online-elsewhere', url} | {kind: 'phone', number, hours, hoursCy}
  --  | {kind: 'in-person', address, addressCy, hours, hoursCy} | {kind: 'post', address, addressCy}]
  add column channels jsonb not null default '[]'::jsonb,
  -- [{type: 'providing-information', eEnabled: true}, …] (the ten BVPI 157 interaction types)
  add column interactions jsonb not null default '[]'::jsonb,
  add column provider_tier text not null default 'any'
    check (provider_tier in ('central', 'county', 'district', 'unitary', 'any')),
  add column life_events jsonb not null default '[]'::jsonb,
  add column customer_groups jsonb not null default '[]'::jsonb,
  add column categories jsonb not null default '[]'::jsonb,
  -- A service owner may be named; other service owners of the body then leave it to them.
  add column owner_user_id uuid references users (id),
  add column published_at timestamptz,
  -- The provider's name in English and Welsh, kept with the row so a search for the body finds it.
  add column provider_names text not null default '',
  add column search_vector tsvector generated always as (
    setweight(to_tsvector('english', title), 'A') ||
    setweight(to_tsvector('simple', title_cy), 'A') ||
    setweight(to_tsvector('english', summary || ' ' || keywords), 'B') ||
    setweight(to_tsvector('simple', summary_cy || ' ' || keywords), 'B') ||
    setweight(to_tsvector('english', body || ' ' || eligibility), 'C') ||
    setweight(to_tsvector('simple', body_cy || ' ' || eligibility_cy), 'C') ||
    setweight(to_tsvector('simple', provider_names), 'D')
  ) stored;

update services set provider_names = concat_ws(' ', o.name, o.name_cy)
  from organisations o where o.id = services.organisation_id;

update services set published_at = updated_at where status = 'published';

create index services_search on services using gin (search_vector);
create index services_life_events on services using gin (life_events);

-- The edit a service owner is working on; the public sees the services row until it is published.
create table service_drafts (
  service_id uuid primary key references services (id),
  content jsonb not null,
  updated_by uuid references users (id),
  updated_at timestamptz not null default now()
);

-- Every publication of a service, with who published it and what it said.
create table service_versions (
  id bigserial primary key,
  service_id uuid not null references services (id),
  version integer not null,
  content jsonb not null,
  published_by uuid references users (id),
  published_at timestamptz not null default now(),
  unique (service_id, version)
);

-- Words people use for a service that its text may not: the query expands each term.
create table search_synonyms (
  term text primary key check (term = lower(term)),
  expansion text not null
);

insert into search_synonyms (term, expansion) values
  ('bin', 'waste'),
  ('bins', 'waste'),
  ('rubbish', 'waste'),
  ('refuse', 'waste'),
  ('tip', 'recycling centre'),
  ('dump', 'recycling centre'),
  ('dole', 'jobseeker''s allowance'),
  ('jsa', 'jobseeker''s allowance'),
  ('pension', 'retirement'),
  ('car tax', 'vehicle tax'),
  ('road tax', 'vehicle tax'),
  ('tax disc', 'vehicle tax'),
  ('ctax', 'council tax'),
  ('rates', 'business rates'),
  ('disabled parking', 'blue badge'),
  ('pothole', 'road'),
  ('potholes', 'road'),
  ('skip', 'skip permit'),
  ('nursery', 'childcare'),
  ('baby', 'birth'),
  ('death', 'bereavement'),
  ('funeral', 'bereavement'),
  ('fly tipping', 'fly-tipping'),
  ('planning permission', 'planning application'),
  ('extension', 'planning'),
  ('rent', 'housing benefit'),
  ('books', 'library'),
  ('pub', 'premises licence'),
  ('alcohol', 'premises licence'),
  ('taxi', 'hackney carriage'),
  ('voting', 'electoral register'),
  ('vote', 'electoral register'),
  ('sbr', 'small business rate relief'),
  ('biniau', 'gwastraff'),
  ('sbwriel', 'gwastraff');

-- Typo tolerance uses pg_trgm where the database offers it; PGlite does not, and the search falls
-- back to an edit-distance check in TypeScript. Creating it may need privileges: failure is fine.
do $$
begin
  if exists (select 1 from pg_available_extensions where name = 'pg_trgm') then
    create extension if not exists pg_trgm;
  end if;
exception when others then
  null;
end $$;
