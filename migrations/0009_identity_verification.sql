-- Registers held by public bodies (the demo: the Department for Work and Pensions' benefits
-- register), against which a person's known facts are matched to verify their identity.
create table register_people (
  id uuid primary key default gen_random_uuid(),
  held_by uuid not null references organisations (id),
  nino text not null check (nino ~ '^[A-Z]{2}[0-9]{6}[A-D]$'),
  given_name text not null,
  family_name text not null,
  date_of_birth date not null,
  postcode text not null,
  address_line1 text not null,
  address_line2 text,
  town text not null,
  unique (held_by, nino)
);

-- Identity verification to P2: how and when it was done.
alter table users
  add column identity_verified_at timestamptz,
  add column identity_method text check (identity_method in ('online-known-facts', 'face-to-face')),
  add column identity_verification_locked_until timestamptz;

-- The answers of an online verification in progress, one per account, deleted when it ends.
create table identity_verification_journeys (
  user_id uuid primary key references users (id) on delete cascade,
  return_to text not null,
  answers jsonb not null default '{}'::jsonb,
  updated_at timestamptz not null default now()
);

-- Every online attempt, so failures can be counted per account across nodes.
create table identity_verification_attempts (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  matched boolean not null,
  attempted_at timestamptz not null default now()
);
create index identity_verification_attempts_user on identity_verification_attempts (user_id, attempted_at desc);

-- Face-to-face checks: who saw which documents (type and last 4 characters of the number only).
create table identity_document_checks (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  adviser_user_id uuid not null references users (id),
  organisation_id uuid not null references organisations (id),
  documents jsonb not null,
  checked_at timestamptz not null default now()
);
create index identity_document_checks_user on identity_document_checks (user_id);
