-- The performance platform (issue 12): facts about every completed transaction and every journey
-- started on a form, fed by the outbox in the same transaction as the change they record, and
-- daily roll-ups kept up to date as each fact arrives, so a dashboard over millions of
-- transactions reads a few thousand roll-up rows instead of the facts.

-- One row per submission: where it came from and how long it took.
create table performance_transactions (
  submission_id uuid primary key,
  service_id uuid not null,
  organisation_id uuid not null,
  -- online | online-agent | phone | face-to-face | post
  channel text not null,
  -- The web draft it was sent from, to join it to its journey.
  draft_id uuid,
  -- Filled in by an adviser with the person there and then (assisted digital, the crm desk).
  assisted boolean not null default false,
  started_at timestamptz,
  submitted_at timestamptz not null,
  decided_at timestamptz,
  -- The deadline casework set, when there was one.
  due_at timestamptz,
  -- Whether the person gave feedback (never what they said: the feedback is anonymous).
  feedback_given boolean not null default false
);
create index performance_transactions_draft on performance_transactions (draft_id) where draft_id is not null;

-- A journey on a form: begun when the first page is answered, completed when it is sent.
create table performance_journeys (
  draft_id uuid primary key,
  service_id uuid not null,
  organisation_id uuid not null,
  started_at timestamptz not null,
  -- The page the person stood on after their last answer: where they left, if they did.
  last_page text not null,
  last_step_at timestamptz not null,
  completed_at timestamptz
);

-- Daily roll-ups: day is the date in London.
create table performance_daily_transactions (
  day date not null,
  service_id uuid not null,
  organisation_id uuid not null,
  channel text not null,
  transactions integer not null default 0,
  primary key (day, service_id, organisation_id, channel)
);

-- Decisions made each day by whole hours taken (for the median and 90th percentile) and deadlines kept.
create table performance_daily_decisions (
  day date not null,
  service_id uuid not null,
  organisation_id uuid not null,
  hours integer not null,
  decisions integer not null default 0,
  with_deadline integer not null default 0,
  within_deadline integer not null default 0,
  primary key (day, service_id, organisation_id, hours)
);

-- Journeys by the day they began: how many, how many were sent.
create table performance_daily_journeys (
  day date not null,
  service_id uuid not null,
  organisation_id uuid not null,
  started integer not null default 0,
  completed integer not null default 0,
  primary key (day, service_id, organisation_id)
);

-- Journeys not (yet) sent, by the day they began and the page they were last on.
create table performance_daily_dropoff (
  day date not null,
  service_id uuid not null,
  organisation_id uuid not null,
  page text not null,
  journeys integer not null default 0,
  primary key (day, service_id, organisation_id, page)
);

-- Feedback after a transaction: anonymous (no person, no submission), a rating of 1 to 5 and a comment.
create table performance_feedback (
  id uuid primary key default gen_random_uuid(),
  service_id uuid not null,
  organisation_id uuid not null,
  rating smallint not null check (rating between 1 and 5),
  comment text not null default '',
  day date not null
);
create index performance_feedback_service on performance_feedback (service_id, day);

create table performance_daily_satisfaction (
  day date not null,
  service_id uuid not null,
  organisation_id uuid not null,
  rating smallint not null,
  responses integer not null default 0,
  primary key (day, service_id, organisation_id, rating)
);

-- What one transaction costs a body on each channel, in pence, as the body sets it.
create table performance_unit_costs (
  organisation_id uuid not null,
  channel text not null,
  pence integer not null check (pence >= 0),
  updated_by uuid,
  updated_at timestamptz not null default now(),
  primary key (organisation_id, channel)
);

-- BVPI 157: for each service and interaction type a body provides, what its service owner says.
create table performance_e_enablement (
  service_id uuid not null,
  interaction_type text not null,
  organisation_id uuid not null,
  applicable boolean not null,
  -- legal | operational, with a reason, when the interaction is exempt.
  exemption text check (exemption in ('legal', 'operational')),
  exemption_reason text not null default '',
  e_enabled boolean not null,
  channels jsonb not null default '[]'::jsonb,
  target_date date,
  updated_by uuid,
  updated_at timestamptz not null default now(),
  primary key (service_id, interaction_type)
);

-- A body's BVPI 157 percentage, kept each day it changes: its trajectory.
create table performance_e_enablement_history (
  organisation_id uuid not null,
  day date not null,
  counted integer not null,
  e_enabled integer not null,
  primary key (organisation_id, day)
);

-- A service's page and a body's dashboard read their own rows of a date range.
create index performance_daily_transactions_service on performance_daily_transactions (service_id, day);
create index performance_daily_transactions_body on performance_daily_transactions (organisation_id, day);
