-- Platform tables: the outbox, the audit log, rate limits.

create table outbox (
  id bigserial primary key,
  topic text not null,
  payload jsonb not null,
  idempotency_key text not null unique,
  status text not null default 'pending' check (status in ('pending', 'done', 'dead')),
  attempts integer not null default 0,
  available_at timestamptz not null default now(),
  locked_until timestamptz,
  last_error text,
  created_at timestamptz not null default now(),
  processed_at timestamptz
);
create index outbox_due on outbox (available_at) where status = 'pending';

create table audit_log (
  id bigserial primary key,
  occurred_at timestamptz not null default now(),
  action text not null,
  actor_user_id uuid,
  actor_organisation_id uuid,
  actor_role text,
  subject_user_id uuid,
  resource_type text not null,
  resource_id text not null,
  request_id text,
  details jsonb not null default '{}'::jsonb
);
create index audit_log_subject on audit_log (subject_user_id, occurred_at);
create index audit_log_resource on audit_log (resource_type, resource_id, occurred_at);

-- The audit log is append-only: nothing may change or remove an entry.
create function audit_log_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only';
end;
$$;
create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_is_append_only();

create table rate_limits (
  key text primary key,
  window_ends_at timestamptz not null,
  hits integer not null
);
