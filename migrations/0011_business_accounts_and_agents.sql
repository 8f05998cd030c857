-- Organisation accounts (businesses and charities with several users) and agents acting for
-- clients in named services.

create table business_accounts (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(name) between 1 and 160),
  type text not null check (type in ('business', 'charity')),
  -- Companies House: 8 digits, or 2 letters and 6 digits (SC, NI, OC …).
  companies_house_number text check (companies_house_number ~ '^([0-9]{8}|[A-Z]{2}[0-9]{6})$'),
  -- England and Wales 6–7 digits, Scotland SC + 6 digits, Northern Ireland NIC + 6 digits.
  charity_number text check (charity_number ~ '^([0-9]{6,7}|SC[0-9]{6}|NIC[0-9]{6})$'),
  is_agent boolean not null default false,
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  check (type = 'charity' or charity_number is null)
);

create table business_members (
  business_id uuid not null references business_accounts (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  role text not null check (role in ('administrator', 'assistant')),
  added_at timestamptz not null default now(),
  primary key (business_id, user_id)
);
create index business_members_user on business_members (user_id);

-- The one-time code that proves the invitee read the e-mail is in one_time_codes
-- (purpose 'business-invitation', destination the invitation id).
create table business_invitations (
  id uuid primary key default gen_random_uuid(),
  business_id uuid not null references business_accounts (id) on delete cascade,
  email text not null,
  role text not null default 'assistant' check (role in ('administrator', 'assistant')),
  invited_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  accepted_at timestamptz,
  accepted_by uuid references users (id) on delete set null
);
create index business_invitations_email on business_invitations (lower(email));
create index business_invitations_business on business_invitations (business_id);

-- A client's authority for an agent business to act for them in named services.
create table agent_authorities (
  id uuid primary key default gen_random_uuid(),
  agent_business_id uuid not null references business_accounts (id) on delete cascade,
  client_user_id uuid not null references users (id) on delete cascade,
  status text not null default 'requested'
    check (status in ('requested', 'approved', 'declined', 'revoked')),
  requested_by uuid references users (id) on delete set null,
  requested_at timestamptz not null default now(),
  expires_at timestamptz not null,
  approved_at timestamptz,
  ended_at timestamptz
);
create index agent_authorities_client on agent_authorities (client_user_id, status);
create index agent_authorities_agent on agent_authorities (agent_business_id, status);

create table agent_authority_services (
  authority_id uuid not null references agent_authorities (id) on delete cascade,
  service_id uuid not null references services (id) on delete cascade,
  primary key (authority_id, service_id)
);

-- "Act for a client" is a property of one session: ended by sign-out (the session row goes),
-- by stopping, or by the authority ending (checked on every request).
create table acting_sessions (
  session_id_hash text primary key references sessions (id_hash) on delete cascade on update cascade,
  user_id uuid not null references users (id) on delete cascade,
  authority_id uuid not null references agent_authorities (id) on delete cascade,
  client_user_id uuid not null references users (id) on delete cascade,
  agent_business_id uuid not null references business_accounts (id) on delete cascade,
  started_at timestamptz not null default now()
);
create index acting_sessions_authority on acting_sessions (authority_id);
