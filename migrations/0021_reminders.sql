-- Reminders: a person's dated prompts about a service (a renewal date, a payment instalment, a
-- bin collection day), sent by e-mail or text through the outbox at the right London time.

create table reminders (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  service_id uuid not null references services (id) on delete cascade,
  kind text not null check (kind in ('date', 'monthly', 'weekly')),
  channel text not null check (channel in ('email', 'sms')),
  locale text not null check (locale in ('en', 'cy')),
  -- kind 'date': the day itself, and how many days before it the reminder comes.
  event_date date,
  days_before smallint check (days_before in (0, 1, 7, 14, 28)),
  -- kind 'monthly': the day of each month, the first month (its 1st) and how many months.
  day_of_month smallint check (day_of_month between 1 and 28),
  start_month date check (extract(day from start_month) = 1),
  instalments smallint check (instalments between 1 and 24),
  -- kind 'weekly': the first collection day, and every week (1) or every other week (2).
  first_date date,
  every_weeks smallint check (every_weeks in (1, 2)),
  -- SHA-256 (hex) of the one-click unsubscribe token every message carries.
  unsubscribe_token_hash text not null unique check (unsubscribe_token_hash ~ '^[0-9a-f]{64}$'),
  next_due_at timestamptz,
  last_sent_at timestamptz,
  created_at timestamptz not null default now(),
  cancelled_at timestamptz,
  cancelled_via text check (cancelled_via in ('account', 'unsubscribe')),
  check (
    (kind = 'date' and event_date is not null and days_before is not null)
    or (kind = 'monthly' and day_of_month is not null and start_month is not null
        and instalments is not null)
    or (kind = 'weekly' and first_date is not null and every_weeks is not null)
  ),
  check ((cancelled_at is null) = (cancelled_via is null))
);
create index reminders_user on reminders (user_id, created_at);
