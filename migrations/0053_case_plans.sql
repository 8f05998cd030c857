-- Multi-agency case plans (issue 17): one shared case that several bodies work around a person
-- or household with complex needs, opened by a lead body with a named lead professional. The
-- strictest access rules on the platform: a body sees nothing until it has accepted, and only the
-- sections the lead shares with it (enforced in src/modules/caseplans/policies).

-- Assessment templates: the domains scored for each kind of case (data, so a body can add kinds).
create table case_plan_templates (
  kind text primary key check (kind ~ '^[a-z][a-z-]{1,39}$'),
  name text not null check (length(name) between 1 and 100),
  name_cy text not null check (length(name_cy) between 1 and 100),
  domains text[] not null check (cardinality(domains) between 1 and 20)
);

insert into case_plan_templates (kind, name, name_cy, domains) values
  ('offender', 'Offender management', 'Rheoli troseddwyr',
   array['accommodation', 'finance', 'employment', 'substance-misuse', 'mental-health', 'family', 'attitudes']),
  ('domestic-abuse', 'Domestic abuse', 'Cam-drin domestig',
   array['safety', 'accommodation', 'finance', 'mental-health', 'children', 'family']),
  ('family-support', 'Family support', 'Cymorth i deuluoedd',
   array['children', 'family', 'accommodation', 'finance', 'employment', 'mental-health', 'substance-misuse']);

create table case_plans (
  id uuid primary key default gen_random_uuid(),
  reference text not null unique check (reference ~ '^CP-[A-Z0-9]{8}$'),
  kind text not null references case_plan_templates (kind),
  subject text not null default 'person' check (subject in ('person', 'household')),
  lead_organisation_id uuid not null references organisations (id),
  lead_professional_id uuid not null references users (id),
  -- The person's Joinedup account when they have one; otherwise only what the lead entered.
  person_account_id uuid references users (id) on delete set null,
  person_name text not null check (length(person_name) between 1 and 200),
  person_date_of_birth date,
  person_address text check (length(person_address) <= 500),
  person_contact text check (length(person_contact) <= 200),
  -- Sensitive (e.g. domestic abuse): address and contact hidden from bodies not named in the plan.
  sensitive boolean not null default false,
  summary text not null default '' check (length(summary) <= 5000),
  state text not null default 'open' check (state in ('open', 'closed')),
  opened_at timestamptz not null default now(),
  closed_at timestamptz
);
create index case_plans_lead on case_plans (lead_organisation_id, opened_at desc);
create index case_plans_person on case_plans (person_account_id) where person_account_id is not null;

-- The bodies taking part, each with the lawful basis for sharing with it and what it may see.
create table case_plan_bodies (
  case_plan_id uuid not null references case_plans (id) on delete cascade,
  organisation_id uuid not null references organisations (id),
  state text not null default 'invited' check (state in ('invited', 'accepted', 'declined')),
  basis text not null check (basis in ('consent', 'safeguarding')),
  -- The statute or the consent's wording ("Children Act 2004 s.11").
  basis_detail text not null check (length(basis_detail) between 1 and 300),
  basis_shown_to_person boolean not null default true,
  consent_given_at timestamptz,
  consent_withdrawn_at timestamptz,
  check (basis = 'safeguarding' or consent_given_at is not null),
  -- Named in the plan: may see the address and contact details of a sensitive case.
  named boolean not null default false,
  shared_sections text[] not null default '{}',
  invited_at timestamptz not null default now(),
  invited_by uuid references users (id) on delete set null,
  responded_at timestamptz,
  responded_by uuid references users (id) on delete set null,
  primary key (case_plan_id, organisation_id)
);
create index case_plan_bodies_org on case_plan_bodies (organisation_id);

-- Sections of the plan withheld from the person's own view, and why (recorded by the lead).
create table case_plan_withheld (
  case_plan_id uuid not null references case_plans (id) on delete cascade,
  section text not null,
  reason text not null check (length(reason) between 1 and 1000),
  recorded_by uuid references users (id) on delete set null,
  recorded_at timestamptz not null default now(),
  primary key (case_plan_id, section)
);

-- Emergency access to one section not shared with a body: a reason, for 24 hours, to one user.
create table case_plan_break_glass (
  id uuid primary key default gen_random_uuid(),
  case_plan_id uuid not null references case_plans (id) on delete cascade,
  organisation_id uuid not null references organisations (id),
  user_id uuid not null references users (id),
  section text not null,
  reason text not null check (length(reason) between 10 and 1000),
  granted_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index case_plan_break_glass_user on case_plan_break_glass (case_plan_id, user_id, expires_at);

-- Needs assessments: one row per assessment, scores per domain (0 no need … 4 severe); history kept.
create table case_plan_assessments (
  id uuid primary key default gen_random_uuid(),
  case_plan_id uuid not null references case_plans (id) on delete cascade,
  organisation_id uuid not null references organisations (id),
  assessed_on date not null,
  assessed_by uuid references users (id) on delete set null,
  scores jsonb not null,
  notes text not null default '' check (length(notes) <= 5000),
  recorded_at timestamptz not null default now()
);
create index case_plan_assessments_plan on case_plan_assessments (case_plan_id, assessed_on, recorded_at);

create table case_plan_actions (
  id uuid primary key default gen_random_uuid(),
  case_plan_id uuid not null references case_plans (id) on delete cascade,
  organisation_id uuid not null references organisations (id),
  description text not null check (length(description) between 1 and 1000),
  responsible text not null check (length(responsible) between 1 and 200),
  due_on date not null,
  status text not null default 'not-started' check (status in ('not-started', 'in-progress', 'done', 'cancelled')),
  outcome text not null default '' check (length(outcome) <= 2000),
  completed_on date,
  -- Optimistic locking: an edit names the version it started from.
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index case_plan_actions_plan on case_plan_actions (case_plan_id, due_on);

create table case_plan_conferences (
  id uuid primary key default gen_random_uuid(),
  case_plan_id uuid not null references case_plans (id) on delete cascade,
  held_on date not null,
  attendees text not null check (length(attendees) between 1 and 2000),
  minutes text not null check (length(minutes) between 1 and 20000),
  decisions text not null default '' check (length(decisions) <= 5000),
  recorded_by uuid references users (id) on delete set null,
  recorded_at timestamptz not null default now()
);

-- Records of other modules linked by reference (never copied), each shared by the body that linked it.
create table case_plan_links (
  id uuid primary key default gen_random_uuid(),
  case_plan_id uuid not null references case_plans (id) on delete cascade,
  organisation_id uuid not null references organisations (id),
  kind text not null check (kind in ('submission', 'case', 'change')),
  reference text not null check (length(reference) between 1 and 100),
  linked_by uuid references users (id) on delete set null,
  linked_at timestamptz not null default now(),
  unique (case_plan_id, kind, reference)
);

-- The chronology: what happened, by which body, in which section (so readers see only theirs).
create table case_plan_events (
  id bigserial primary key,
  case_plan_id uuid not null references case_plans (id) on delete cascade,
  organisation_id uuid not null references organisations (id),
  section text not null,
  kind text not null check (length(kind) between 1 and 60),
  summary text not null check (length(summary) between 1 and 1000),
  actor_user_id uuid references users (id) on delete set null,
  occurred_at timestamptz not null default now()
);
create index case_plan_events_chronology on case_plan_events (case_plan_id, occurred_at desc, id desc);
