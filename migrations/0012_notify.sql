-- Notifications: a GOV.UK Notify-compatible service per organisation, its API keys,
-- versioned templates, and every notification sent with its delivery status.

create table notify_services (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null unique references organisations (id),
  name text not null,
  -- Requests a minute per key type (Notify: 3,000) and live messages a day (Notify: 250,000).
  rate_limit integer not null default 3000 check (rate_limit > 0),
  message_limit integer not null default 250000 check (message_limit > 0),
  -- Delivery-status callbacks: the body's URL and the bearer token we send (sealed, AES-256-GCM).
  callback_url text,
  callback_token_sealed text,
  created_at timestamptz not null default now()
);

create table notify_api_keys (
  id uuid primary key default gen_random_uuid(),
  service_id uuid not null references notify_services (id),
  name text not null,
  key_type text not null check (key_type in ('normal', 'team', 'test')),
  -- HS256 needs the secret itself to check a signature, so it is sealed rather than hashed.
  secret_sealed text not null,
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);
create index notify_api_keys_service on notify_api_keys (service_id);

create table notify_templates (
  id uuid primary key default gen_random_uuid(),
  service_id uuid not null references notify_services (id),
  type text not null check (type in ('email', 'sms', 'letter')),
  name text not null,
  subject text,
  body text not null,
  postage text check (postage in ('first', 'second', 'economy', 'europe', 'rest-of-world')),
  version integer not null default 1,
  -- The service's template for precompiled PDF letters: used by the API, never listed.
  hidden boolean not null default false,
  archived boolean not null default false,
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz
);
create index notify_templates_service on notify_templates (service_id, type);

create table notify_template_versions (
  template_id uuid not null references notify_templates (id),
  version integer not null,
  name text not null,
  subject text,
  body text not null,
  postage text,
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  primary key (template_id, version)
);

create table notify_notifications (
  id uuid primary key,
  service_id uuid not null references notify_services (id),
  api_key_id uuid references notify_api_keys (id),
  key_type text not null check (key_type in ('normal', 'team', 'test')),
  type text not null check (type in ('email', 'sms', 'letter')),
  template_id uuid not null references notify_templates (id),
  template_version integer not null,
  -- An e-mail address, a phone number as given, or a letter's first address line.
  recipient text not null,
  address_lines jsonb,
  reference text,
  subject text,
  body text not null,
  postage text,
  precompiled_pdf bytea,
  status text not null,
  failure_reason text,
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  completed_at timestamptz,
  updated_at timestamptz
);
create index notify_notifications_listing
  on notify_notifications (service_id, key_type, created_at desc, id desc);
create index notify_notifications_reference on notify_notifications (service_id, reference);
