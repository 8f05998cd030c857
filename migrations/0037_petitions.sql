-- Petitions (issue 11, part 2): people petition a public body; the body's staff check each
-- petition before it goes live; anyone signs with a name, postcode and e-mail address confirmed
-- by a link; thresholds the body sets trigger a response and a debate.

-- Each body's rules for new petitions: how long they stay open and the two thresholds.
create table petition_settings (
  organisation_id uuid primary key references organisations (id) on delete cascade,
  duration_months integer not null default 6 check (duration_months between 1 and 6),
  response_threshold integer not null default 100 check (response_threshold between 1 and 10000000),
  debate_threshold integer not null default 1000 check (debate_threshold between 1 and 10000000),
  check (debate_threshold >= response_threshold),
  updated_by uuid references users (id) on delete set null,
  updated_at timestamptz not null default now()
);

create table petitions (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  created_by uuid references users (id) on delete set null,
  creator_name text not null check (length(creator_name) between 1 and 120),
  title text not null check (length(title) between 1 and 100),
  action text not null check (length(action) between 1 and 500),
  background text not null check (length(background) between 1 and 2000),
  language text not null default 'en' check (language in ('en', 'cy')),
  -- 'pending' until the body's staff check it; then 'open' (published) or 'rejected'.
  -- A petition is closed when now() >= closes_at: decided on read, so it is exact at the boundary.
  state text not null default 'pending' check (state in ('pending', 'open', 'rejected')),
  -- What the automatic check found (abusive words, an e-mail address or phone number): such a
  -- petition is held, shown to the moderator with the reasons, and never published unreviewed.
  held_reasons text[] not null default '{}',
  rejection_reason text check (rejection_reason in ('duplicate', 'outside-powers', 'offensive', 'personal-data', 'unclear')),
  rejection_detail text check (length(rejection_detail) <= 1000),
  moderated_by uuid references users (id) on delete set null,
  moderated_at timestamptz,
  published_at timestamptz,
  -- The first instant the petition is closed (London midnight after its closing day).
  closes_at timestamptz,
  response_threshold integer check (response_threshold >= 1),
  debate_threshold integer check (debate_threshold >= 1),
  signature_count integer not null default 0 check (signature_count >= 0),
  response_threshold_reached_at timestamptz,
  debate_threshold_reached_at timestamptz,
  response text check (length(response) <= 10000),
  responded_at timestamptz,
  responded_by uuid references users (id) on delete set null,
  debate_on text check (debate_on ~ '^\d{4}-\d{2}-\d{2}$'),
  debate_outcome text check (length(debate_outcome) <= 10000),
  created_at timestamptz not null default now(),
  check (state <> 'open' or (published_at is not null and closes_at is not null)),
  check (state <> 'rejected' or rejection_reason is not null)
);
create index petitions_organisation_idx on petitions (organisation_id, state);
create index petitions_created_by_idx on petitions (created_by);

-- One row per e-mail address per petition; it counts once confirmed and not struck out.
create table petition_signatures (
  id uuid primary key default gen_random_uuid(),
  petition_id uuid not null references petitions (id) on delete cascade,
  name text not null check (length(name) between 1 and 120),
  -- Lower case, trimmed: one signature per address whatever its case.
  email text not null check (email = lower(email) and length(email) <= 254),
  postcode text not null check (length(postcode) <= 8),
  -- The postcode's outward code (the district), for the counts by area.
  district text not null check (length(district) <= 4),
  ip_address text not null,
  user_id uuid references users (id) on delete set null,
  notify boolean not null default false,
  language text not null default 'en' check (language in ('en', 'cy')),
  token_hash text not null unique,
  created_at timestamptz not null default now(),
  confirmed_at timestamptz,
  -- Set by staff reviewing bulk signing: no longer counted.
  struck_at timestamptz,
  -- Set by retention: name, e-mail, postcode (but its district), IP address and account link
  -- are gone; the signature still counts in its district.
  anonymised_at timestamptz,
  unique (petition_id, email)
);
create index petition_signatures_district_idx on petition_signatures (petition_id, district) where confirmed_at is not null and struck_at is null;
create index petition_signatures_ip_idx on petition_signatures (petition_id, ip_address);
create index petition_signatures_user_idx on petition_signatures (user_id);
create index petition_signatures_email_idx on petition_signatures (email);

-- Signing refused for one address's bulk signing, for the body's staff to review.
create table petition_flags (
  id uuid primary key default gen_random_uuid(),
  petition_id uuid not null references petitions (id) on delete cascade,
  ip_address text not null,
  refused integer not null default 1 check (refused >= 1),
  first_at timestamptz not null default now(),
  last_at timestamptz not null default now(),
  reviewed_at timestamptz,
  reviewed_by uuid references users (id) on delete set null,
  outcome text check (outcome in ('dismissed', 'struck')),
  check ((reviewed_at is null) = (outcome is null))
);
-- One open flag per address per petition; a reviewed one makes way for a new one.
create unique index petition_flags_open_idx on petition_flags (petition_id, ip_address) where reviewed_at is null;
