-- Fees (issue 8, part four): a fee a form charges before its application goes to the body, a
-- bill a body raises to a person (a penalty charge notice), and council tax-style instalment
-- plans. Each thing to pay is one charge; each try at paying it is an attempt (a payment).

-- An application whose form charges a fee waits, acknowledged but undelivered, until it is paid.
alter table submissions drop constraint submissions_status_check;
alter table submissions add constraint submissions_status_check
  check (status in ('awaiting-payment', 'submitted', 'received', 'accepted', 'rejected',
    'in-progress', 'decided', 'approved'));

create table fee_plans (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  user_id uuid not null references users (id),
  -- The account's e-mail address when the plan was set, as staff typed it to find the person.
  email text not null,
  description text not null check (length(description) between 1 and 255),
  reference text not null check (length(reference) between 1 and 100),
  total integer not null check (total between 1 and 10000000),
  instalments integer not null check (instalments between 2 and 12),
  first_due date not null,
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now()
);
create index fee_plans_user on fee_plans (user_id, created_at desc);
create index fee_plans_organisation on fee_plans (organisation_id, created_at desc);

create table fee_charges (
  id uuid primary key default gen_random_uuid(),
  kind text not null check (kind in ('form', 'bill', 'instalment')),
  organisation_id uuid not null references organisations (id),
  -- The person who owes it; null only for a form's fee sent without an account.
  user_id uuid references users (id),
  email text,
  amount integer not null check (amount between 1 and 10000000),
  description text not null check (length(description) between 1 and 255),
  reference text not null check (length(reference) between 1 and 100),
  due_date date,
  submission_id uuid unique references submissions (id),
  plan_id uuid references fee_plans (id),
  instalment integer check (instalment between 1 and 12),
  status text not null default 'unpaid' check (status in ('unpaid', 'paid')),
  paid_at timestamptz,
  -- The payment (the payments module's id) that paid it.
  paid_by_payment text,
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  check ((kind = 'form') = (submission_id is not null)),
  check ((kind = 'instalment') = (plan_id is not null and instalment is not null)),
  check (kind = 'form' or user_id is not null),
  check ((status = 'paid') = (paid_at is not null and paid_by_payment is not null)),
  unique (plan_id, instalment)
);
create index fee_charges_user on fee_charges (user_id, status, due_date);
create index fee_charges_organisation on fee_charges (organisation_id, kind, created_at desc);

-- Every payment asked for a charge: the return page and the outbox find the charge by it.
create table fee_attempts (
  id bigserial primary key,
  payment_id text not null unique,
  charge_id uuid not null references fee_charges (id),
  created_at timestamptz not null default now()
);
create index fee_attempts_charge on fee_attempts (charge_id, id desc);
