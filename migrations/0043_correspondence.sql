-- Complaints, Freedom of Information requests and member correspondence (issue 10, item 6):
-- each a piece of correspondence to one body, with its own statutory or local clock, worked by
-- the body's staff at /staff/correspondence. FOI responses a body publishes form its public
-- disclosure log (redacted text only; never the requester's name or e-mail address).

-- A body's own time limits, in working days (complaints policy, member letters).
create table correspondence_settings (
  organisation_id uuid primary key references organisations (id),
  complaint_stage1_days integer not null default 10 check (complaint_stage1_days between 1 and 60),
  complaint_stage2_days integer not null default 20 check (complaint_stage2_days between 1 and 60),
  member_reply_days integer not null default 15 check (member_reply_days between 1 and 60),
  updated_by uuid references users (id) on delete set null,
  updated_at timestamptz not null default now()
);

create table correspondence (
  id uuid primary key default gen_random_uuid(),
  reference text not null unique check (reference ~ '^(CMP|FOI|MC)-[A-Z0-9]{8}$'),
  kind text not null check (kind in ('complaint', 'foi', 'member')),
  organisation_id uuid not null references organisations (id),
  -- The signed-in person who made it (complaints and FOI requests); null for anyone else.
  account_id uuid references users (id) on delete set null,
  -- The requester, or for a member's letter the member (MP, MS, councillor …).
  requester_name text not null check (length(requester_name) between 1 and 200),
  requester_email text check (length(requester_email) <= 254),
  language text not null default 'en' check (language in ('en', 'cy')),
  subject text not null check (length(subject) between 1 and 200),
  details text not null check (length(details) between 1 and 10000),
  member_role text check (member_role in ('mp', 'ms', 'councillor', 'peer', 'other')),
  constituent_name text check (length(constituent_name) <= 200),
  check ((kind = 'member') = (member_role is not null)),
  check (kind = 'member' or requester_email is not null),
  -- complaint: open → responded (stage 1) → open (stage 2) → closed;
  -- foi: open ⇄ clarification → closed; member: drafting ⇄ cleared → sent.
  state text not null check (state in ('open', 'clarification', 'responded', 'closed', 'drafting', 'cleared', 'sent')),
  stage integer not null default 1 check (stage in (1, 2)),
  received_at timestamptz not null default now(),
  -- When the running clock started: receipt, a complaint's escalation, or (FOI s.10(6)) the
  -- day the clarification asked for under s.1(3) arrived.
  clock_started_at timestamptz not null default now(),
  -- Null while the clock is stopped (waiting for clarification) or once answered.
  due_at timestamptz,
  clock_stopped_at timestamptz,
  clarification text check (length(clarification) <= 5000),
  -- FOI s.10(3): extra working days to consider the public interest, and the exemption why.
  extension_days integer check (extension_days between 1 and 20),
  extension_reason text check (length(extension_reason) <= 1000),
  owner_id uuid references users (id) on delete set null,
  outcome text check (outcome in ('upheld', 'partly-upheld', 'not-upheld', 'given-in-full', 'given-in-part', 'refused', 'not-held')),
  exemptions text[] not null default '{}',
  response text check (length(response) <= 20000),
  responded_at timestamptz,
  responded_by uuid references users (id) on delete set null,
  -- Member letters: the reply as drafted, who cleared it and when it was sent.
  draft text check (length(draft) <= 20000),
  cleared_by uuid references users (id) on delete set null,
  cleared_at timestamptz,
  -- The disclosure log entry of an FOI response, checked for the requester's personal data.
  published_at timestamptz,
  disclosure_title text check (length(disclosure_title) <= 200),
  disclosure_text text check (length(disclosure_text) <= 20000),
  check (published_at is null or (kind = 'foi' and disclosure_text is not null)),
  anonymised_at timestamptz,
  version integer not null default 1,
  created_at timestamptz not null default now()
);
create index correspondence_queue_idx on correspondence (organisation_id, kind, state);
create index correspondence_account_idx on correspondence (account_id) where account_id is not null;
create index correspondence_disclosure_idx on correspondence (published_at desc) where published_at is not null;
