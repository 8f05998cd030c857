-- Consultations (issue 11, part 1, first slice): a body's service owner publishes a
-- consultation with a few questions; people respond (signed in or not, as the body chose), as
-- individuals or for an organisation; the body's staff read the answers and export them.

create table consultations (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  title text not null check (length(title) between 1 and 150),
  summary text not null check (length(summary) between 1 and 600),
  body text not null check (length(body) between 1 and 20000),
  -- Who is consulted, in the body's words ("Residents and businesses of Stroud district").
  audience text not null check (length(audience) between 1 and 500),
  -- London calendar days: responses are taken from the start of opens_on to the end of closes_on.
  opens_on text not null check (opens_on ~ '^\d{4}-\d{2}-\d{2}$'),
  closes_on text not null check (closes_on ~ '^\d{4}-\d{2}-\d{2}$'),
  check (closes_on >= opens_on),
  -- Postcode districts (outward codes) consulted; empty means the whole country.
  area_districts text[] not null default '{}',
  -- The questions, as validated by the module's zod schema (free text, or one of some options).
  questions jsonb not null,
  sign_in_required boolean not null default false,
  published_by uuid references users (id) on delete set null,
  published_at timestamptz not null default now()
);
create index consultations_organisation_idx on consultations (organisation_id);
create index consultations_closes_idx on consultations (closes_on);

-- A response: a draft (submitted_at null) held by its cookie's token until it is sent.
create table consultation_responses (
  id uuid primary key default gen_random_uuid(),
  consultation_id uuid not null references consultations (id) on delete cascade,
  token_hash text not null unique,
  user_id uuid references users (id) on delete set null,
  respondent_type text not null check (respondent_type in ('individual', 'organisation')),
  organisation_name text check (length(organisation_name) between 1 and 200),
  check ((respondent_type = 'organisation') = (organisation_name is not null)),
  -- Answers by question number (0-based, as text): a string, the chosen option or free text.
  answers jsonb not null default '{}',
  reference text unique check (reference ~ '^C-[A-Z0-9]{8}$'),
  started_at timestamptz not null default now(),
  submitted_at timestamptz,
  check ((reference is null) = (submitted_at is null))
);
create index consultation_responses_submitted_idx on consultation_responses (consultation_id) where submitted_at is not null;
create index consultation_responses_user_idx on consultation_responses (user_id);
