-- The adviser's desk of contact centres and one-stop shops (issue 10, items 1–4): finding the
-- customer and confirming the caller, the single customer view under contact-centre sharing
-- agreements, assisted digital (an adviser fills in a service for a customer who consented),
-- and the log of contacts with call-backs.

-- Which body shares which kinds of its items with which contact centre body. A contact centre
-- body's advisers see its own items and the items of bodies with a live agreement naming it.
create table crm_sharing_agreements (
  id uuid primary key default gen_random_uuid(),
  contact_centre_id uuid not null references organisations (id) on delete cascade,
  owning_body_id uuid not null references organisations (id) on delete cascade,
  item_kinds text[] not null check (
    cardinality(item_kinds) >= 1
    and item_kinds <@ array['applications', 'enrolments', 'payments', 'bookings', 'messages', 'changes', 'contacts']::text[]
  ),
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  ended_by uuid references users (id) on delete set null,
  ended_at timestamptz,
  check (contact_centre_id <> owning_body_id)
);
-- One live agreement per pair: a change of kinds ends it and makes a new one.
create unique index crm_sharing_agreements_live on crm_sharing_agreements (contact_centre_id, owning_body_id)
  where ended_at is null;

-- The identity questions an adviser asked a caller, and whether the caller passed. The answers
-- themselves are not kept: only which questions were asked and how each went.
create table crm_identity_checks (
  id uuid primary key default gen_random_uuid(),
  adviser_user_id uuid not null references users (id) on delete cascade,
  contact_centre_id uuid not null references organisations (id) on delete cascade,
  customer_user_id uuid not null references users (id) on delete cascade,
  results jsonb not null,
  passed boolean not null,
  reason text not null,
  reason_details text not null default '' check (length(reason_details) <= 500),
  checked_at timestamptz not null default now()
);
create index crm_identity_checks_adviser on crm_identity_checks (adviser_user_id, customer_user_id, checked_at desc);

-- Assisted digital: this adviser's session fills in services for the customer, who consented.
-- The adviser stays signed in as themselves; the session is never the customer's.
create table crm_assisting_sessions (
  session_id_hash text primary key,
  adviser_user_id uuid not null references users (id) on delete cascade,
  contact_centre_id uuid not null references organisations (id) on delete cascade,
  customer_user_id uuid not null references users (id) on delete cascade,
  channel text not null check (channel in ('phone', 'face-to-face')),
  consent_given_at timestamptz not null,
  started_at timestamptz not null default now()
);

-- Who filled in an application for the applicant (an adviser, assisted digital); `channel`
-- then says `phone` or `face-to-face`.
alter table submissions add column assisted_by_user_id uuid references users (id) on delete set null;

-- Every enquiry an adviser handles, linked to the customer and any application or case.
create table crm_contacts (
  id uuid primary key default gen_random_uuid(),
  contact_centre_id uuid not null references organisations (id) on delete cascade,
  adviser_user_id uuid references users (id) on delete set null,
  customer_user_id uuid references users (id) on delete cascade,
  channel text not null check (channel in ('phone', 'face-to-face', 'email', 'letter', 'web-chat')),
  reason text not null,
  outcome text not null,
  minutes integer not null check (minutes between 1 and 600),
  application_reference text,
  notes text not null default '' check (length(notes) <= 1000),
  created_at timestamptz not null default now()
);
create index crm_contacts_customer on crm_contacts (customer_user_id, created_at desc);

-- Call-backs promised during a contact, worked from the contact centre's queue.
create table crm_callbacks (
  id uuid primary key default gen_random_uuid(),
  contact_id uuid not null references crm_contacts (id) on delete cascade,
  contact_centre_id uuid not null references organisations (id) on delete cascade,
  customer_user_id uuid references users (id) on delete cascade,
  due_at timestamptz not null,
  phone text not null check (length(phone) between 1 and 30),
  status text not null default 'open' check (status in ('open', 'done')),
  done_by uuid references users (id) on delete set null,
  done_at timestamptz,
  created_at timestamptz not null default now()
);
create index crm_callbacks_queue on crm_callbacks (contact_centre_id, status, due_at);
