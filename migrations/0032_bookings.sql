-- Bookings (issue 8, part 6): a body's bookable resources (a hall, a pitch, a course, an
-- appointment), their opening times and blackout days, and people's bookings of their slots.
-- Times are London wall-clock times; a slot's start is stored as an instant (timestamptz).

create table booking_resources (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  slug text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 80),
  kind text not null check (kind in ('venue', 'pitch', 'course', 'appointment')),
  name text not null check (length(name) between 1 and 120),
  name_cy text check (length(name_cy) between 1 and 120),
  description text not null default '',
  description_cy text,
  location text not null default '',
  slot_minutes integer not null check (slot_minutes between 5 and 1440),
  -- Places in one slot: 1 for a hall or an appointment, 12 for a course with 12 places.
  capacity integer not null check (capacity between 1 and 1000000),
  price_pence integer not null check (price_pence between 0 and 10000000),
  -- Left free after each slot (changeover, cleaning): the next slot starts slot + buffer later.
  buffer_minutes integer not null default 0 check (buffer_minutes between 0 and 1440),
  -- A person may cancel (with a full refund) until this many hours before the start.
  cancel_hours_before integer not null default 24 check (cancel_hours_before between 0 and 8760),
  days_ahead integer not null default 28 check (days_ahead between 1 and 366),
  created_at timestamptz not null default now(),
  unique (organisation_id, slug)
);

-- One opening period a weekday (0 Sunday … 6 Saturday), in minutes after London midnight.
create table booking_opening_times (
  resource_id uuid not null references booking_resources (id) on delete cascade,
  weekday smallint not null check (weekday between 0 and 6),
  opens_minute integer not null check (opens_minute between 0 and 1439),
  closes_minute integer not null check (closes_minute between 1 and 1440),
  check (closes_minute > opens_minute),
  primary key (resource_id, weekday)
);

create table booking_blackouts (
  resource_id uuid not null references booking_resources (id) on delete cascade,
  day date not null,
  reason text not null default '' check (length(reason) <= 200),
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  primary key (resource_id, day)
);

-- The counter that stops double booking: one row a slot that has ever been booked, locked by
-- the conditional update that takes a place. The check makes overbooking impossible even for
-- a writer that forgets the condition.
create table booking_slots (
  resource_id uuid not null references booking_resources (id) on delete cascade,
  starts_at timestamptz not null,
  capacity integer not null check (capacity >= 1),
  taken integer not null default 0,
  check (taken between 0 and capacity),
  primary key (resource_id, starts_at)
);

create table bookings (
  id uuid primary key default gen_random_uuid(),
  reference text not null unique check (reference ~ '^BK-[0-9A-Z]{8}$'),
  resource_id uuid not null references booking_resources (id),
  organisation_id uuid not null references organisations (id),
  user_id uuid not null references users (id),
  person_name text not null,
  email text not null,
  language text not null check (language in ('en', 'cy')),
  starts_at timestamptz not null,
  ends_at timestamptz not null check (ends_at > starts_at),
  amount integer not null check (amount >= 0),
  status text not null check (status in ('awaiting-payment', 'confirmed', 'payment-failed', 'cancelled')),
  -- The payments module's payment id (Pay-style external id); null for a free booking.
  payment_id text unique,
  refund_id text,
  refunded_amount integer not null default 0 check (refunded_amount >= 0),
  cancelled_by text check (cancelled_by in ('person', 'staff')),
  created_at timestamptz not null default now(),
  confirmed_at timestamptz,
  cancelled_at timestamptz,
  foreign key (resource_id, starts_at) references booking_slots (resource_id, starts_at)
);
create index bookings_user on bookings (user_id, starts_at desc);
create index bookings_resource_time on bookings (resource_id, starts_at);
