-- Casework (issue 6): workflows as versioned data, cases that follow them, and what happens to
-- a case (events, internal notes, links, requests for information, referrals to other bodies).
-- A case is opened for each submission delivered to Joinedup's casework; its reference is the
-- submission's, so one reference serves the applicant, the caseworker and the hub.

create table workflow_versions (
  id uuid primary key default gen_random_uuid(),
  -- The body that wrote it; null for the platform's own (default, public-grievance …) every body may use.
  organisation_id uuid references organisations (id),
  key text not null check (key ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  version integer not null check (version > 0),
  -- The states and actions (the casework workflow schema, checked before it is stored).
  definition jsonb not null,
  status text not null check (status in ('draft', 'published', 'retired')),
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  published_at timestamptz
);
create unique index workflow_versions_key
  on workflow_versions (coalesce(organisation_id, '00000000-0000-0000-0000-000000000000'::uuid), key, version);

-- Which workflow a service's cases follow; no row: the platform's `default`.
create table service_workflows (
  service_id uuid primary key references services (id) on delete cascade,
  workflow_key text not null,
  updated_by uuid references users (id) on delete set null,
  updated_at timestamptz not null default now()
);

create table cases (
  id uuid primary key default gen_random_uuid(),
  reference text not null unique,
  organisation_id uuid not null references organisations (id),
  service_id uuid not null references services (id),
  -- The submission it works (null for a case opened by a referral without one).
  submission_id uuid unique references submissions (id) on delete set null,
  source text not null check (source in ('submission', 'referral')),
  -- For a case opened from another body's referral: the case it came from.
  referred_from_case_id uuid references cases (id),
  applicant_user_id uuid references users (id) on delete set null,
  -- The name shown in queues (the account's, or the one the applicant gave).
  applicant_name text,
  -- The exact workflow version the case follows: publishing a new one never changes it.
  workflow_id uuid not null references workflow_versions (id),
  state text not null,
  state_entered_at timestamptz not null default now(),
  -- When the current state's time limit runs out (working days); null without a limit.
  due_at timestamptz,
  -- The clock is paused (awaiting information, where the workflow says so) since this moment.
  paused_at timestamptz,
  escalated_at timestamptz,
  assigned_to uuid references users (id) on delete set null,
  -- Optimistic locking: every change checks and bumps it.
  version integer not null default 1 check (version > 0),
  opened_at timestamptz not null default now(),
  closed_at timestamptz,
  -- Where the problem is, for reports of local problems: {lat, long, address, postcode}.
  location jsonb
);
create index cases_open_queue on cases (organisation_id, state, due_at) where closed_at is null;
-- The queue's default order (due first, then oldest) read straight from the index, 50 at a time.
create index cases_open_by_due on cases (organisation_id, due_at, opened_at, reference) where closed_at is null;
create index cases_organisation_opened on cases (organisation_id, opened_at desc);
-- The queue's filter by service, and its list of services.
create index cases_organisation_service on cases (organisation_id, service_id);
create index cases_assignee on cases (assigned_to) where closed_at is null;
create index cases_applicant on cases (applicant_user_id);
-- The deadline sweep: open, running cases by when they fall due.
create index cases_due on cases (due_at) where closed_at is null and paused_at is null and escalated_at is null;

-- Everything that happened to a case, in order: opened, actions, assignments, requests, escalations …
create table case_events (
  id bigserial primary key,
  case_id uuid not null references cases (id) on delete cascade,
  kind text not null,
  -- For an action: which, and the states it moved between.
  action text,
  from_state text,
  to_state text,
  actor_user_id uuid references users (id) on delete set null,
  actor_organisation_id uuid references organisations (id),
  comment text check (comment is null or length(comment) <= 5000),
  -- Attachment ids (the attachments module) sent with the action.
  documents jsonb not null default '[]',
  details jsonb not null default '{}',
  occurred_at timestamptz not null default now()
);
create index case_events_case on case_events (case_id, id);

-- Internal notes: staff of the case's body only, never the applicant.
create table case_notes (
  id uuid primary key default gen_random_uuid(),
  case_id uuid not null references cases (id) on delete cascade,
  author_user_id uuid references users (id) on delete set null,
  body text not null check (length(body) between 1 and 5000),
  created_at timestamptz not null default now()
);
create index case_notes_case on case_notes (case_id, created_at);

-- Linked cases (kept both ways: one row per direction).
create table case_links (
  case_id uuid not null references cases (id) on delete cascade,
  linked_case_id uuid not null references cases (id) on delete cascade,
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  primary key (case_id, linked_case_id),
  check (case_id <> linked_case_id)
);

-- A caseworker's request for information and the applicant's answer.
create table information_requests (
  id uuid primary key default gen_random_uuid(),
  case_id uuid not null references cases (id) on delete cascade,
  asked_by_user_id uuid references users (id) on delete set null,
  question text not null check (length(question) between 1 and 2000),
  -- Whether the case's clock stops until the answer (from the workflow's state).
  pauses_clock boolean not null,
  asked_at timestamptz not null default now(),
  answered_at timestamptz,
  answered_by_user_id uuid references users (id) on delete set null,
  answer text check (answer is null or length(answer) <= 5000),
  -- Attachment ids the applicant sent with the answer.
  attachment_ids jsonb not null default '[]',
  cancelled_at timestamptz
);
create index information_requests_case on information_requests (case_id, asked_at);
create unique index information_requests_one_open on information_requests (case_id)
  where answered_at is null and cancelled_at is null;

-- A case referred to (or shared with) another body: only the parts chosen are visible to it.
create table case_referrals (
  id uuid primary key default gen_random_uuid(),
  case_id uuid not null references cases (id) on delete cascade,
  from_organisation_id uuid not null references organisations (id),
  to_organisation_id uuid not null references organisations (id),
  kind text not null check (kind in ('refer', 'share')),
  -- Which parts the other body may see: answers, attachments, history, notes.
  shared_parts text[] not null,
  reason text not null check (length(reason) between 1 and 2000),
  -- The applicant's consent: how it was given and when, recorded by whom.
  consent jsonb not null,
  status text not null check (status in ('offered', 'accepted', 'declined', 'withdrawn')),
  -- The case the receiving body opened on accepting a referral.
  referred_case_id uuid references cases (id),
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  responded_by uuid references users (id) on delete set null,
  responded_at timestamptz,
  response text check (response is null or length(response) <= 2000),
  check (from_organisation_id <> to_organisation_id)
);
create index case_referrals_to on case_referrals (to_organisation_id, status, created_at desc);
create index case_referrals_case on case_referrals (case_id);
