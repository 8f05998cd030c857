-- The account inbox (secure mail): messages public bodies send to a person's account, their
-- attachments (kept in the database), and the person's replies where the body allows them.

create table inbox_messages (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  recipient_user_id uuid not null references users (id) on delete cascade,
  -- Who sent it: a member of staff, or the body's system through a Notify API key.
  sent_by_user_id uuid references users (id) on delete set null,
  sent_by_api_key_id uuid references notify_api_keys (id) on delete set null,
  -- The application it is about, when there is one.
  submission_id uuid references submissions (id) on delete set null,
  submission_reference text,
  subject text not null check (length(subject) between 1 and 200),
  body text not null check (length(body) between 1 and 20000),
  replies_allowed boolean not null default false,
  sent_at timestamptz not null default now(),
  read_at timestamptz,
  -- Deleted by the person: hidden from them, kept for the body that sent it.
  recipient_deleted_at timestamptz
);
create index inbox_messages_recipient on inbox_messages (recipient_user_id, sent_at desc);
create index inbox_messages_organisation on inbox_messages (organisation_id, sent_at desc);

create table inbox_attachments (
  id uuid primary key default gen_random_uuid(),
  message_id uuid not null references inbox_messages (id) on delete cascade,
  filename text not null check (length(filename) between 1 and 200),
  content_type text not null check (content_type in ('application/pdf', 'image/png', 'image/jpeg')),
  size_bytes integer not null check (size_bytes between 1 and 2097152),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  content bytea not null,
  position integer not null default 0
);
create index inbox_attachments_message on inbox_attachments (message_id, position);

create table inbox_replies (
  id uuid primary key default gen_random_uuid(),
  message_id uuid not null references inbox_messages (id) on delete cascade,
  author_user_id uuid not null references users (id) on delete cascade,
  body text not null check (length(body) between 1 and 5000),
  sent_at timestamptz not null default now()
);
create index inbox_replies_message on inbox_replies (message_id, sent_at);
