-- Files people upload with their applications (issue 5, part 3). The file itself is in the file
-- store (DATA_DIR/files or an S3-compatible bucket) under `storage_key`, a random name that is
-- never the uploader's file name; this row says what it is and who may read it.

create table attachments (
  id uuid primary key default gen_random_uuid(),
  -- The random name in the file store (32 hex characters).
  storage_key text not null unique check (storage_key ~ '^[0-9a-f]{32}$'),
  -- Who uploaded it from a page; null for an upload through the API.
  owner_user_id uuid references users (id),
  -- The body whose system uploaded it through the API; null for a page upload.
  uploader_organisation_id uuid references organisations (id),
  -- The name the person gave it, cleaned; shown and offered when it is downloaded, never a path.
  filename text not null check (length(filename) between 1 and 200),
  -- The type sniffed from the content, not the name or what the browser claimed.
  content_type text not null,
  size_bytes integer not null check (size_bytes > 0),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  created_at timestamptz not null default now(),
  -- The application it was sent with, and the body that received it (whose staff may read it).
  submission_id uuid references submissions (id) on delete set null,
  organisation_id uuid references organisations (id),
  linked_at timestamptz
);
create index attachments_owner on attachments (owner_user_id);
create index attachments_submission on attachments (submission_id);
-- Uploads never sent with an application, oldest first, for the clean-up.
create index attachments_unlinked on attachments (created_at) where submission_id is null;
