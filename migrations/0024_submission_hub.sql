-- The submission hub (issue 5, parts 5–7): bodies' API keys, submissions sent through the API
-- (by a body's own system or an intermediary on a person's behalf), delivery to each body's
-- back office (a signed webhook, or a pull inbox) and the statuses its system replies with.

-- API keys of a body: `submit` sends to the body's own services, `submit-any` (an intermediary)
-- to any service, `receive` reads the body's inbox and replies with statuses. Only a SHA-256 of
-- the secret is kept; `hint` is its last characters, so a listed key can be recognised.
create table hub_api_keys (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  name text not null check (length(name) between 1 and 100),
  scope text not null check (scope in ('submit', 'submit-any', 'receive')),
  secret_sha256 text not null check (secret_sha256 ~ '^[0-9a-f]{64}$'),
  hint text not null,
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
create index hub_api_keys_organisation on hub_api_keys (organisation_id, created_at desc);

-- How a body takes its submissions. No row: Joinedup's casework is its back office.
create table hub_delivery (
  organisation_id uuid primary key references organisations (id),
  mode text not null check (mode in ('push', 'pull')),
  webhook_url text,
  -- Where "deliveries have stopped" alerts go.
  alert_email text,
  updated_by uuid references users (id) on delete set null,
  updated_at timestamptz not null default now(),
  check (mode <> 'push' or webhook_url is not null)
);

-- Webhook signing secrets. The secret itself is derived from the id and the site's secret, so
-- none is stored; a rotated-out secret keeps signing until `expires_at` (the overlap).
create table hub_webhook_secrets (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  created_at timestamptz not null default now(),
  expires_at timestamptz
);
create index hub_webhook_secrets_organisation on hub_webhook_secrets (organisation_id, created_at desc);

-- Hub statuses beside the web's: `submitted` is the hub's "received", `received` its
-- "delivered", `approved` (casework's decision) its "decided".
alter table submissions drop constraint submissions_status_check;
alter table submissions add constraint submissions_status_check
  check (status in ('submitted', 'received', 'accepted', 'rejected', 'in-progress', 'decided', 'approved'));

-- A submission through the API may have no Joinedup account behind it, and no draft.
alter table submissions alter column applicant_user_id drop not null;
alter table submissions alter column draft_id drop not null;

alter table submissions
  -- Who the applicant said they are, when a channel sent it (name, e-mail, phone, address).
  add column applicant jsonb,
  -- `web` (Joinedup's own forms), or the API caller's channel label.
  add column channel text not null default 'web',
  -- The body whose key sent it through the API, and the key.
  add column submitted_by_organisation_id uuid references organisations (id),
  add column submitted_by_key_id uuid references hub_api_keys (id) on delete set null,
  -- An intermediary's record of the person's consent to act for them.
  add column on_behalf_of jsonb,
  -- The caller's Idempotency-Key, in the caller's namespace, and a SHA-256 of what was sent.
  add column idempotency_scope text,
  add column idempotency_key text,
  add column request_sha256 text,
  -- The version of the form definition the answers were checked against.
  add column form_version integer,
  -- Delivery order for the pull inbox's cursor.
  add column seq bigint generated always as identity;

create unique index submissions_idempotency on submissions (idempotency_scope, idempotency_key)
  where idempotency_key is not null;
create index submissions_undelivered on submissions (organisation_id, seq)
  where status = 'submitted';
