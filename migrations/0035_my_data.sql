-- My data (issue 9, part six): subject access requests a person sends to public bodies for what
-- those bodies hold about them, and the reasons caseworkers give for opening a case outside
-- their own queue (shown to the person in their access log).

-- One row for each body a request went to; the bodies asked together share `request_group`.
create table subject_access_requests (
  id uuid primary key default gen_random_uuid(),
  request_group uuid not null,
  reference text not null unique check (reference ~ '^SAR-[0-9A-Z]{4}-[0-9A-Z]{4}$'),
  user_id uuid not null references users (id),
  organisation_id uuid not null references organisations (id),
  -- What the person said they are looking for (optional).
  details text not null default '' check (length(details) <= 2000),
  received_at timestamptz not null default now(),
  -- The London date it was received, and the statutory date to answer by (one calendar month,
  -- or up to three when the body extended it).
  received_on date not null,
  due_on date not null,
  status text not null default 'received' check (status in ('received', 'extended', 'responded')),
  extended_months integer check (extended_months between 1 and 2),
  extension_reason text check (length(extension_reason) between 1 and 2000),
  extended_by uuid references users (id) on delete set null,
  extended_at timestamptz,
  response_note text check (length(response_note) between 1 and 2000),
  responded_by uuid references users (id) on delete set null,
  responded_at timestamptz,
  check ((status = 'responded') = (responded_at is not null)),
  check ((extended_months is null) = (extended_at is null))
);
create index subject_access_requests_user on subject_access_requests (user_id, received_at desc);
-- One request waiting for an answer per person and body: a second would restart the clock on the
-- same search (the form refuses it; this stops two sent at once).
create unique index subject_access_requests_one_open on subject_access_requests (user_id, organisation_id)
  where status <> 'responded';
create index subject_access_requests_body on subject_access_requests (organisation_id, status, due_on);

-- A caseworker's reason for opening a case of their body that is not in their own queue
-- (assigned to a colleague), given before the case is shown; it holds for an hour and goes
-- into the audit entry of every look at the case meanwhile.
create table case_access_reasons (
  user_id uuid not null references users (id) on delete cascade,
  case_id uuid not null references cases (id) on delete cascade,
  reason text not null check (reason in ('covering', 'quality-check', 'complaint',
    'person-contacted-us', 'legal-request', 'other')),
  details text not null default '' check (length(details) <= 500),
  given_at timestamptz not null default now(),
  primary key (user_id, case_id)
);
