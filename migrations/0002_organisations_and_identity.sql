create table organisations (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  gss_code text unique,
  name text not null,
  name_cy text,
  type text not null check (type in (
    'central-department', 'executive-agency', 'county', 'district', 'metropolitan-district',
    'london-borough', 'unitary', 'welsh-principal-area', 'scottish-council',
    'northern-ireland-district', 'fire-authority', 'police-authority', 'other')),
  parent_id uuid references organisations (id),
  created_at timestamptz not null default now()
);

create table users (
  id uuid primary key default gen_random_uuid(),
  email text not null,
  password_hash text not null,
  display_name text not null,
  kind text not null check (kind in ('citizen', 'staff')),
  organisation_id uuid references organisations (id),
  roles text[] not null default '{}',
  created_at timestamptz not null default now(),
  last_signed_in_at timestamptz,
  check ((kind = 'staff') = (organisation_id is not null))
);
create unique index users_email on users (lower(email));

create table sessions (
  id_hash text primary key,
  user_id uuid not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_user on sessions (user_id);
