-- Payments (issue 8), shaped like GOV.UK Pay: a body's API keys, its payments, their events
-- and refunds. No card number is ever stored: only its last four digits and brand.

create table pay_api_keys (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  name text not null check (length(name) between 1 and 100),
  secret_sha256 text not null check (secret_sha256 ~ '^[0-9a-f]{64}$'),
  hint text not null,
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);
create index pay_api_keys_organisation on pay_api_keys (organisation_id, created_at desc);

create table payments (
  id uuid primary key default gen_random_uuid(),
  -- Pay's payment_id: 26 lower-case letters and digits.
  external_id text not null unique,
  organisation_id uuid not null references organisations (id),
  api_key_id uuid references pay_api_keys (id) on delete set null,
  amount integer not null check (amount between 1 and 10000000),
  description text not null check (length(description) between 1 and 255),
  reference text not null check (length(reference) between 1 and 255),
  return_url text not null,
  language text not null check (language in ('en', 'cy')),
  email text,
  metadata jsonb,
  status text not null check (status in
    ('created', 'started', 'submitted', 'capturable', 'success', 'failed', 'cancelled', 'error')),
  -- Pay's state code for a finished failure (P0010 … P0050).
  state_code text,
  gateway text not null,
  gateway_transaction_id text,
  card_last_four text check (card_last_four ~ '^[0-9]{4}$'),
  card_brand text,
  cardholder_name text,
  card_expiry text check (card_expiry ~ '^[0-9]{2}/[0-9]{2}$'),
  -- next_url's token is an HMAC of external_id (so an idempotent replay shows the same one);
  -- set when it is first used: the link works once.
  next_url_used_at timestamptz,
  idempotency_key text,
  idempotency_digest text,
  version integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organisation_id, idempotency_key)
);
create index payments_organisation_created on payments (organisation_id, created_at desc);
create index payments_organisation_reference on payments (organisation_id, reference);

create table payment_events (
  id bigserial primary key,
  payment_id uuid not null references payments (id),
  status text not null,
  state_code text,
  created_at timestamptz not null default now()
);
create index payment_events_payment on payment_events (payment_id, id);

create table payment_refunds (
  id uuid primary key default gen_random_uuid(),
  external_id text not null unique,
  payment_id uuid not null references payments (id),
  amount integer not null check (amount > 0),
  status text not null check (status in ('submitted', 'success', 'error')),
  created_at timestamptz not null default now()
);
create index payment_refunds_payment on payment_refunds (payment_id, created_at);

-- Where a body's payment events are sent, signed with Pay-Signature. The signing secret is
-- derived from the id and the site's secret, so none is stored.
create table pay_webhooks (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  callback_url text not null,
  created_at timestamptz not null default now(),
  disabled_at timestamptz
);
create index pay_webhooks_organisation on pay_webhooks (organisation_id);
