-- Form definitions as data (issue 5): every version of a service's form, as JSON checked by the
-- forms module's FormDefinitionSchema. A version is a draft until published; a published version
-- never changes, so an application in flight finishes on the version it began on.
create table form_definitions (
  id uuid primary key default gen_random_uuid(),
  key text not null check (key ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
  version integer not null check (version > 0),
  definition jsonb not null,
  status text not null default 'draft' check (status in ('draft', 'published')),
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  published_by uuid references users (id) on delete set null,
  published_at timestamptz,
  unique (key, version),
  check ((status = 'published') = (published_at is not null))
);

-- "The latest published version of a form": one index probe per journey request.
create index form_definitions_published on form_definitions (key, version desc)
  where status = 'published';

-- Drafts remember the form version they started on, and may belong to nobody yet: someone
-- reporting a missed bin needs no account, and continues through a secret token (kept hashed)
-- from a cookie or from the "save and come back later" link e-mailed to them.
alter table form_drafts
  alter column user_id drop not null,
  add column form_key text,
  add column form_version integer,
  add column token_hash text unique,
  add column resume_expires_at timestamptz,
  add constraint form_drafts_has_owner check (user_id is not null or token_hash is not null);

-- Anonymous drafts nobody came back to are removed after 28 days (oldest first).
create index form_drafts_anonymous_updated on form_drafts (updated_at) where user_id is null;
