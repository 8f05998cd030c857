-- What a person chose to tell us about their life (life events) and themselves (customer groups),
-- so their home page can suggest services. Optional: no row means nothing was told. Read and
-- written by the home module only; the values are the catalogue's vocabularies.

create table personal_interests (
  user_id uuid primary key references users (id) on delete cascade,
  life_events jsonb not null default '[]'::jsonb check (jsonb_typeof(life_events) = 'array'),
  customer_groups jsonb not null default '[]'::jsonb check (jsonb_typeof(customer_groups) = 'array'),
  updated_at timestamptz not null default now()
);
