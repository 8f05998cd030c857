-- Rules as data (issue 16): decision tables for a service's eligibility, fees and decisions,
-- written by its service owners. Each publication is a new version of the service's rule set for
-- that purpose, in force from its date (a UK calendar day) until a later version's date; a
-- published version never changes, so a submission that records the version id it was made under
-- is decided under that version even after a new one takes effect.
create table rule_sets (
  id uuid primary key default gen_random_uuid(),
  service_id uuid not null references services (id),
  purpose text not null check (purpose in ('eligibility', 'fee', 'decision')),
  version integer not null check (version >= 1),
  -- The decision table (src/modules/rules/schema.ts), checked unique when it was saved.
  definition jsonb not null,
  -- The service owner's test cases, each passed when the version was published.
  tests jsonb not null default '[]',
  effective_from text not null check (effective_from ~ '^\d{4}-\d{2}-\d{2}$'),
  published_by uuid references users (id),
  published_at timestamptz not null default now(),
  unique (service_id, purpose, version)
);
create index rule_sets_in_force on rule_sets (service_id, purpose, effective_from);
