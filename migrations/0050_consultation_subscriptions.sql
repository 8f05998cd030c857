-- Subscriptions to new consultations (issue 11, part 3): a consultation is tagged with one topic
-- from a fixed list, and the engagement subscriptions, until now to new petitions only, may be
-- to new consultations on a topic (or any) near a postcode district (or nationally).

-- The fixed list is CONSULTATION_TOPICS in src/modules/engagement/consultations/topics.ts.
-- Consultations published before topics existed are 'other'.
alter table consultations add column topic text not null default 'other'
  check (topic in ('environment', 'housing', 'planning', 'transport', 'health-and-care',
    'education', 'community-and-culture', 'money-and-tax', 'benefits-and-work', 'other'));
create index consultations_topic_idx on consultations (topic);

-- What a subscription is to: new petitions (every subscription so far) or new consultations.
alter table engagement_subscriptions add column kind text not null default 'petitions'
  check (kind in ('petitions', 'consultations'));
-- A consultation subscription's topic; null: any topic. Petitions have no topics.
alter table engagement_subscriptions add column topic text
  check (topic in ('environment', 'housing', 'planning', 'transport', 'health-and-care',
    'education', 'community-and-culture', 'money-and-tax', 'benefits-and-work', 'other'));
alter table engagement_subscriptions add constraint engagement_subscriptions_topic_kind
  check (kind = 'consultations' or topic is null);
-- Consultation subscriptions are not to one body (organisation_id stays null for them).
alter table engagement_subscriptions add constraint engagement_subscriptions_body_kind
  check (kind = 'petitions' or organisation_id is null);
create index engagement_subscriptions_kind_idx on engagement_subscriptions (kind) where confirmed_at is not null;

-- A consultation's documents (issue 11, part 1): files its body's service owners attach, held by
-- the attachments module (content-sniffed, size-limited), kept with the body rather than expired
-- as unsent uploads. Anyone downloads them once the consultation has opened; before its opening
-- day only the body's staff.
create table consultation_documents (
  id uuid primary key default gen_random_uuid(),
  consultation_id uuid not null references consultations (id) on delete cascade,
  attachment_id uuid not null unique references attachments (id) on delete cascade,
  added_by uuid references users (id) on delete set null,
  added_at timestamptz not null default now()
);
create index consultation_documents_consultation_idx on consultation_documents (consultation_id);

-- Editing after the first response (issue 11, part 1): the edit makes a new version, the one
-- replaced is kept as it was, and each response records the version it answered.
alter table consultations add column version integer not null default 1 check (version >= 1);
alter table consultation_responses add column version integer not null default 1 check (version >= 1);
create table consultation_versions (
  consultation_id uuid not null references consultations (id) on delete cascade,
  version integer not null check (version >= 1),
  title text not null,
  summary text not null,
  body text not null,
  audience text not null,
  topic text not null,
  opens_on text not null,
  closes_on text not null,
  area_districts text[] not null,
  questions jsonb not null,
  sign_in_required boolean not null,
  title_cy text,
  summary_cy text,
  body_cy text,
  easy_read text,
  -- When, and by whom, this version was replaced by the next.
  replaced_at timestamptz not null default now(),
  replaced_by uuid references users (id) on delete set null,
  primary key (consultation_id, version)
);
