-- Assurance: what a session proved (credential level, RFC 8485 / One Login vectors) and
-- what is known of the person (identity confidence). Level 0 anonymous, 1 = Cl,
-- 2 = Cl.Cm, 3 = Cl.Cm with P2.
alter table sessions
  add column credential_level text not null default 'Cl' check (credential_level in ('Cl', 'Cl.Cm')),
  add column last_seen_at timestamptz not null default now();

alter table users
  add column identity_level text not null default 'P0' check (identity_level in ('P0', 'P2')),
  add column email_verified_at timestamptz;

-- Accounts made before e-mail confirmation existed were made by staff or the demo seed.
update users set email_verified_at = created_at;

-- One-time codes sent by e-mail, text or letter: only a hash is kept; each is single-use,
-- expires, and allows a few wrong tries before it is spent.
create table one_time_codes (
  id uuid primary key default gen_random_uuid(),
  purpose text not null,
  user_id uuid references users (id) on delete cascade,
  destination text not null,
  code_hash text not null,
  payload jsonb not null default '{}'::jsonb,
  attempts integer not null default 0,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);
create index one_time_codes_lookup on one_time_codes (purpose, destination, created_at desc);
