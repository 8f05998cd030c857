-- Passported entitlements (issue 16): a service's owner declares which other services an
-- approval on their service "passports" to — Pension Credit to a free TV licence, Council Tax
-- Reduction and a Blue Badge fast-track — with the reason in English and Welsh. When an
-- application is approved, its applicant is offered each of those services: offered, never
-- applied for without the person's say.
create table passports (
  id uuid primary key default gen_random_uuid(),
  from_service_id uuid not null references services (id) on delete cascade,
  to_service_id uuid not null references services (id) on delete cascade,
  reason_en text not null check (length(reason_en) between 1 and 500),
  reason_cy text not null check (length(reason_cy) between 1 and 500),
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  unique (from_service_id, to_service_id),
  check (from_service_id <> to_service_id)
);

-- One offer to one person, made by one approval: the reason as it was when offered, and what the
-- person said ("Apply" or "No thanks"), when.
create table passported_offers (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  submission_id uuid not null references submissions (id) on delete cascade,
  passport_id uuid references passports (id) on delete set null,
  from_service_id uuid not null references services (id) on delete cascade,
  to_service_id uuid not null references services (id) on delete cascade,
  reason_en text not null,
  reason_cy text not null,
  status text not null default 'offered' check (status in ('offered', 'accepted', 'declined')),
  offered_at timestamptz not null default now(),
  responded_at timestamptz,
  unique (submission_id, to_service_id)
);
create index passported_offers_user on passported_offers (user_id, status, offered_at);
