-- Tell us once (issue 9, parts 1–5): data-sharing agreements between bodies, the relationships
-- bodies declare with people (matched exactly, never guessed), people's consents, the changes
-- of circumstances people report and one delivery of each change to each body.

-- An agreement under which a body is told of some kinds of change: which fields, on which
-- UK GDPR Article 6 basis, for what purpose, from when until when (ended_at: ended early).
create table sharing_agreements (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  event_types jsonb not null check (jsonb_typeof(event_types) = 'array'),
  fields jsonb not null check (jsonb_typeof(fields) = 'array'),
  legal_basis text not null check (legal_basis in ('consent', 'contract', 'legal-obligation',
    'vital-interests', 'public-task', 'legitimate-interests')),
  purpose text not null check (length(purpose) between 1 and 500),
  purpose_cy text not null check (length(purpose_cy) between 1 and 500),
  starts_at timestamptz not null,
  ends_at timestamptz,
  check (ends_at is null or ends_at > starts_at),
  ended_at timestamptz,
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now()
);
create index sharing_agreements_organisation on sharing_agreements (organisation_id);

-- A body's own record of a person, declared through the API and tied to the person by
-- something exact the body already had: the reference of a record the person enrolled into,
-- or of an application the person sent the body.
create table sharing_relationships (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  user_id uuid not null references users (id) on delete cascade,
  body_reference text not null check (length(body_reference) between 1 and 100),
  matched_by text not null check (matched_by in ('enrolment', 'submission', 'demo')),
  matched_reference text not null,
  declared_by_key_id uuid,
  created_at timestamptz not null default now(),
  unique (organisation_id, body_reference)
);
create index sharing_relationships_user on sharing_relationships (user_id);

-- A person's consent to one agreement; withdrawn_at set when they withdraw it. At most one
-- live consent a person and agreement.
create table sharing_consents (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  agreement_id uuid not null references sharing_agreements (id),
  given_at timestamptz not null default now(),
  withdrawn_at timestamptz
);
create unique index sharing_consents_live on sharing_consents (user_id, agreement_id)
  where withdrawn_at is null;

-- A change of circumstances a person reported. A death report is `held` until staff verify it.
create table sharing_changes (
  id uuid primary key default gen_random_uuid(),
  reference text not null unique,
  user_id uuid not null references users (id) on delete cascade,
  event_type text not null check (event_type in ('change-of-address', 'change-of-name',
    'change-of-contact-details', 'death', 'birth')),
  details jsonb not null,
  status text not null check (status in ('held', 'sending', 'done', 'rejected')),
  submitted_at timestamptz not null default now(),
  verified_by uuid references users (id) on delete set null,
  verified_at timestamptz,
  verification_note text,
  completed_at timestamptz
);
create index sharing_changes_user on sharing_changes (user_id, submitted_at desc);
create index sharing_changes_held on sharing_changes (status) where status = 'held';

-- One change told (or not) to one body. seq orders a body's pull inbox.
create table sharing_deliveries (
  id uuid primary key default gen_random_uuid(),
  seq bigserial not null unique,
  change_id uuid not null references sharing_changes (id) on delete cascade,
  organisation_id uuid not null references organisations (id),
  agreement_id uuid references sharing_agreements (id),
  consent_id uuid references sharing_consents (id),
  body_reference text,
  status text not null check (status in ('waiting', 'sent', 'acknowledged', 'updated', 'failed',
    'not-sent')),
  reason text,
  via text check (via in ('push', 'pull')),
  -- Ready for the body's pull inbox (checked again when it is pulled).
  ready_at timestamptz,
  sent_at timestamptz,
  -- The body's webhook answered 2xx (push): it has the change.
  confirmed_at timestamptz,
  answered_at timestamptz,
  updated_at timestamptz not null default now(),
  unique (change_id, organisation_id)
);
create index sharing_deliveries_inbox on sharing_deliveries (organisation_id, seq)
  where ready_at is not null;

-- The one journey in progress a person has: what they chose and typed so far.
create table sharing_drafts (
  user_id uuid primary key references users (id) on delete cascade,
  event_type text not null,
  details jsonb not null default '{}',
  consents jsonb not null default '[]',
  -- The person has been through the page of bodies to tell (and ticked what they consent to).
  bodies_chosen boolean not null default false,
  updated_at timestamptz not null default now()
);
