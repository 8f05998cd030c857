-- The reference index (issue 16): the record references each body holds for a person (its own
-- customer number) or a business, linked to a Joinedup account only through a verified match
-- (known facts, the person confirming, or a staff check with a reason), never by guessing. A
-- partial match or a disagreement waits in the resolution queue.
create table reference_records (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  subject text not null check (subject in ('person', 'business')),
  -- The body's own reference for its record ("CT-004521").
  reference text not null check (length(reference) between 1 and 100),
  status text not null check (status in ('linked', 'queued', 'unmatched', 'rejected', 'ended')),
  user_id uuid references users (id) on delete set null,
  business_id uuid references business_accounts (id) on delete set null,
  check (subject = 'person' or user_id is null),
  check (subject = 'business' or business_id is null),
  check (status <> 'linked' or user_id is not null or business_id is not null),
  link_method text check (link_method in ('known-facts', 'person-confirmed', 'staff-check')),
  -- What the body told: for a person the basic identity set (names, date of birth, postcode,
  -- UPRN, National Insurance number), for a business its numbers, each in its normal form.
  facts jsonb not null default '{}',
  -- Why it waits in the resolution queue, and the account the facts partly matched.
  queue_reason text check (
    queue_reason in (
      'partial-match', 'several-matches', 'reference-conflict', 'claimed-elsewhere',
      'nino-unconfirmed', 'nino-differs'
    )
  ),
  check ((status = 'queued') = (queue_reason is not null)),
  candidate_user_id uuid references users (id) on delete set null,
  candidate_business_id uuid references business_accounts (id) on delete set null,
  -- The staff member's reason when they linked or rejected it (a staff check).
  resolution_reason text check (length(resolution_reason) between 1 and 1000),
  resolved_by uuid references users (id) on delete set null,
  registered_by_user uuid references users (id) on delete set null,
  registered_by_key uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  linked_at timestamptz
);
-- A body's reference stands for one person or business at a time.
create unique index reference_records_one_link
  on reference_records (organisation_id, subject, reference) where status = 'linked';
create index reference_records_body on reference_records (organisation_id, status, created_at);
create index reference_records_user on reference_records (user_id) where user_id is not null;
create index reference_records_candidate on reference_records (candidate_user_id)
  where candidate_user_id is not null;
create index reference_records_business on reference_records (business_id)
  where business_id is not null;

-- What the index knows of a person beyond the identity they proved (name, date of birth,
-- address): their National Insurance number once confirmed (by the benefits register, the
-- person or a staff check) and the UPRN of their address. One account per number.
create table reference_identity_sets (
  user_id uuid primary key references users (id) on delete cascade,
  nino text unique check (nino ~ '^[A-Z]{2}[0-9]{6}[A-D]$'),
  nino_confirmed_by text check (nino_confirmed_by in ('register', 'person', 'staff')),
  uprn text check (uprn ~ '^[0-9]{1,12}$'),
  updated_at timestamptz not null default now()
);

-- Each body's own pseudonymous identifier for a person: derived (HMAC) once with the keyring's
-- current key and kept, so a key rotation never changes an identifier a body already holds.
create table reference_pseudonyms (
  organisation_id uuid not null references organisations (id),
  user_id uuid not null references users (id) on delete cascade,
  pseudonym text not null unique,
  created_at timestamptz not null default now(),
  primary key (organisation_id, user_id)
);

-- A business account's numbers (Companies House, UTR, VAT, charity), validated; a number
-- belongs to one business account.
create table reference_business_numbers (
  business_id uuid not null references business_accounts (id) on delete cascade,
  scheme text not null check (scheme in ('companies-house', 'utr', 'vat', 'charity')),
  value text not null check (length(value) between 1 and 20),
  added_by uuid references users (id) on delete set null,
  added_at timestamptz not null default now(),
  primary key (scheme, value)
);
create index reference_business_numbers_business on reference_business_numbers (business_id);
