-- Enrolment: linking an account to a record a public body holds (a council tax account,
-- a business rates account), proved by known facts and an activation code sent by letter
-- to the address on the record.

-- The bodies' registers of service records, as they would be shared with the Gateway.
create table enrolment_records (
  id uuid primary key default gen_random_uuid(),
  held_by uuid not null references organisations (id),
  service text not null check (service in ('council-tax', 'business-rates')),
  reference text not null,
  -- Upper case with one space before the inward code, e.g. 'GL5 4UB'.
  postcode text not null,
  holder_name text not null,
  address_lines jsonb not null,
  created_at timestamptz not null default now(),
  unique (held_by, service, reference)
);

-- A person's link to a record: pending until the code from the letter is entered.
create table enrolments (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  record_id uuid not null references enrolment_records (id) on delete cascade,
  status text not null check (status in ('pending', 'active')),
  requested_at timestamptz not null default now(),
  code_expires_at timestamptz not null,
  activated_at timestamptz,
  unique (user_id, record_id)
);
create index enrolments_user on enrolments (user_id);

-- Every time a person offers facts to match, so guessing can be limited per account per day.
create table enrolment_attempts (
  id bigint generated always as identity primary key,
  user_id uuid not null references users (id) on delete cascade,
  record_service text not null,
  held_by uuid not null references organisations (id),
  matched boolean not null,
  attempted_at timestamptz not null default now()
);
create index enrolment_attempts_recent on enrolment_attempts (user_id, attempted_at);
