-- Retention (issue 9, part 7): each body's period and action per record type, legal holds that
-- stop records being disposed of, and the nightly job's runs with their counts.

-- A body's choice for one record type; no row means the record type's default.
create table retention_policies (
  organisation_id uuid not null references organisations (id),
  record_type text not null check (length(record_type) between 1 and 60),
  period_months integer not null check (period_months between 1 and 1200),
  action text not null check (action in ('delete', 'anonymise')),
  updated_by uuid references users (id) on delete set null,
  updated_at timestamptz not null default now(),
  primary key (organisation_id, record_type)
);

-- A legal hold on a person (all the body's records about them) or on one record.
create table legal_holds (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  subject text not null check (subject in ('person', 'record')),
  person_user_id uuid references users (id),
  record_type text,
  record_id text,
  -- What staff typed to find the subject (an e-mail address or a reference), to show in lists.
  label text not null check (length(label) between 1 and 320),
  reason text not null check (length(reason) between 1 and 1000),
  ends_at timestamptz,
  placed_by uuid references users (id) on delete set null,
  placed_at timestamptz not null default now(),
  lifted_by uuid references users (id) on delete set null,
  lifted_at timestamptz,
  check ((subject = 'person') = (person_user_id is not null)),
  check ((subject = 'record') = (record_type is not null and record_id is not null))
);
create index legal_holds_organisation on legal_holds (organisation_id, lifted_at);

-- One run of the job: the nightly one (run_key 'nightly:YYYY-MM-DD') or one from the command line.
-- A run resumed after a crash keeps its as_of, so it finishes the same work.
create table retention_runs (
  id uuid primary key default gen_random_uuid(),
  run_key text not null unique,
  as_of timestamptz not null,
  started_at timestamptz not null default now(),
  finished_at timestamptz
);

-- What a run did, per body, record type and action; added to in each batch's transaction.
create table retention_run_counts (
  run_id uuid not null references retention_runs (id) on delete cascade,
  organisation_id uuid not null references organisations (id),
  record_type text not null,
  action text not null check (action in ('delete', 'anonymise')),
  count integer not null check (count >= 0),
  primary key (run_id, organisation_id, record_type, action)
);
create index retention_run_counts_organisation on retention_run_counts (organisation_id, run_id);

-- Records anonymised in place: marked, so they are not found due again.
alter table submissions add column anonymised_at timestamptz;
alter table cases add column anonymised_at timestamptz;
