-- The evidence exchange (issue 16, part 2): evidence types bodies publish and answer, the rows
-- of those a body answers from a table it keeps in Joinedup, and each request for evidence
-- made by another body's form, with its consent, delivery and signed answer.

-- What a body can answer ("receives Pension Credit"), about whom, how, and on what legal basis.
create table evidence_types (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  code text not null unique check (code ~ '^[a-z0-9][a-z0-9-]{1,63}$'),
  name text not null check (length(name) between 1 and 200),
  name_cy text not null check (length(name_cy) between 1 and 200),
  -- "whether you receive Pension Credit"; "you receive Pension Credit"; "you do not receive …";
  -- for a value: "your council tax band is {value}".
  wording jsonb not null check (jsonb_typeof(wording) = 'object'),
  subject_kind text not null check (subject_kind in ('person', 'address', 'business')),
  answer_kind text not null check (answer_kind in ('yes-no', 'text', 'number', 'date')),
  legal_basis text not null default '' check (length(legal_basis) <= 1000),
  legal_basis_reference text not null default '' check (length(legal_basis_reference) <= 300),
  consent_needed boolean not null,
  sla_seconds integer not null check (sla_seconds between 1 and 86400),
  answered_by text not null check (answered_by in ('table', 'webhook', 'pull')),
  webhook_url text check (webhook_url is null or length(webhook_url) <= 2000),
  check ((answered_by = 'webhook') = (webhook_url is not null)),
  status text not null default 'published' check (status in ('published', 'withdrawn')),
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index evidence_types_organisation on evidence_types (organisation_id);

-- The answers of a table-answered type, one per subject (a National Insurance number, a UPRN
-- or a company number), kept up to date by the body through the API or a CSV upload.
create table evidence_table_rows (
  type_id uuid not null references evidence_types (id) on delete cascade,
  subject_key text not null check (length(subject_key) between 1 and 100),
  answer jsonb not null,
  updated_at timestamptz not null default now(),
  primary key (type_id, subject_key)
);

-- One request for evidence about a person, made in a journey of the requesting body's form.
create table evidence_requests (
  id uuid primary key default gen_random_uuid(),
  type_id uuid not null references evidence_types (id),
  answering_organisation_id uuid not null references organisations (id),
  requesting_organisation_id uuid not null references organisations (id),
  user_id uuid references users (id) on delete cascade,
  -- Which journey question asked it ("<service slug>:<question name>") and of what subject.
  journey_key text not null check (length(journey_key) between 1 and 200),
  subject jsonb not null,
  subject_key text not null,
  subject_digest text not null,
  consent text not null check (consent in ('not-needed', 'given', 'refused', 'withdrawn')),
  consent_at timestamptz,
  status text not null check (status in ('waiting', 'sent', 'answered', 'failed', 'not-sent')),
  reason text,
  via text check (via in ('table', 'webhook', 'pull')),
  attempts integer not null default 0,
  due_at timestamptz not null,
  sent_at timestamptz,
  answer jsonb,
  answered_at timestamptz,
  -- HMAC-SHA256 (base64url) of the canonical JSON of the answer's record (docs/guides/evidence-exchange.md).
  signature text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index evidence_requests_journey on evidence_requests (user_id, journey_key, created_at);
create index evidence_requests_answering on evidence_requests (answering_organisation_id, status, created_at);
create index evidence_requests_type on evidence_requests (type_id, created_at);
