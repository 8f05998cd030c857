create table services (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  organisation_id uuid not null references organisations (id),
  title text not null,
  title_cy text not null,
  summary text not null,
  summary_cy text not null,
  body text not null,
  body_cy text not null,
  keywords text not null default '',
  form_key text,
  status text not null default 'published' check (status in ('draft', 'published', 'withdrawn')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index services_organisation on services (organisation_id);

create table form_drafts (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  service_id uuid not null references services (id),
  answers jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (user_id, service_id)
);

create table submissions (
  id uuid primary key default gen_random_uuid(),
  reference text not null unique,
  draft_id uuid not null unique,
  service_id uuid not null references services (id),
  organisation_id uuid not null references organisations (id),
  applicant_user_id uuid not null references users (id),
  answers jsonb not null,
  status text not null check (status in ('submitted', 'received', 'approved', 'rejected')),
  submitted_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index submissions_applicant on submissions (applicant_user_id, submitted_at desc);
create index submissions_organisation on submissions (organisation_id, status, submitted_at);

create table submission_events (
  id bigserial primary key,
  submission_id uuid not null references submissions (id),
  status text not null,
  details jsonb not null default '{}'::jsonb,
  actor_user_id uuid references users (id),
  actor_organisation_id uuid references organisations (id),
  occurred_at timestamptz not null default now()
);
create index submission_events_submission on submission_events (submission_id, id);
