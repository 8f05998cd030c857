-- Consultations, more of issue 11 part 1: moderation (holding abusive text, redacting personal
-- data and abuse), themes staff define and tag free text with, "you said, we did" with the
-- respondents who asked told by e-mail, and withdrawing a consultation.

-- A response whose text looks abusive or holds someone's contact details is held: it counts in
-- no result and is shown to no one but the body's moderators until one of them releases it.
alter table consultation_responses add column held_reasons text[] not null default '{}';
alter table consultation_responses add column held boolean not null default false;
alter table consultation_responses add column reviewed_by uuid references users (id) on delete set null;
alter table consultation_responses add column reviewed_at timestamptz;
-- Told by e-mail when the outcome is published, if the respondent asked (lower case, trimmed);
-- erased once that e-mail is queued.
alter table consultation_responses add column notify_email text
  check (notify_email = lower(notify_email) and length(notify_email) <= 254);
alter table consultation_responses add column language text not null default 'en'
  check (language in ('en', 'cy'));
-- Set by retention: the free text and every link to the person are gone, the choices stay.
alter table consultation_responses add column anonymised_at timestamptz;
create index consultation_responses_held_idx on consultation_responses (consultation_id) where held;

-- One redaction of one answer (or the organisation's name): what was removed and why, by whom.
create table consultation_redactions (
  id uuid primary key default gen_random_uuid(),
  response_id uuid not null references consultation_responses (id) on delete cascade,
  -- The answer's question number (0-based, as text) or 'organisation'.
  field text not null check (field ~ '^([0-9]{1,2}|organisation)$'),
  reason text not null check (reason in ('personal-data', 'abuse')),
  passages integer not null check (passages > 0),
  -- The text before redaction: never for personal data; for abuse (which may have to be
  -- reported) only while the body analyses the responses, erased when the outcome is published.
  original text,
  redacted_by uuid references users (id) on delete set null,
  redacted_at timestamptz not null default now()
);
create index consultation_redactions_response_idx on consultation_redactions (response_id);

-- Themes a body's staff define for one consultation, to tag free-text answers with.
create table consultation_themes (
  id uuid primary key default gen_random_uuid(),
  consultation_id uuid not null references consultations (id) on delete cascade,
  name text not null check (length(name) between 1 and 80),
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now()
);
create unique index consultation_themes_name_idx on consultation_themes (consultation_id, lower(name));

create table consultation_answer_themes (
  response_id uuid not null references consultation_responses (id) on delete cascade,
  question_index integer not null check (question_index between 0 and 99),
  theme_id uuid not null references consultation_themes (id) on delete cascade,
  tagged_by uuid references users (id) on delete set null,
  tagged_at timestamptz not null default now(),
  primary key (response_id, question_index, theme_id)
);
create index consultation_answer_themes_theme_idx on consultation_answer_themes (theme_id);

-- "You said, we did": the outcome the body publishes once the consultation has closed.
alter table consultations add column outcome text check (length(outcome) between 1 and 20000);
alter table consultations add column outcome_published_at timestamptz;
alter table consultations add column outcome_published_by uuid references users (id) on delete set null;
alter table consultations add constraint consultations_outcome_pair
  check ((outcome is null) = (outcome_published_at is null));

-- Withdrawn: it takes no more responses and says why; what was sent stays with the body.
alter table consultations add column withdrawn_at timestamptz;
alter table consultations add column withdrawn_reason text check (length(withdrawn_reason) between 1 and 1000);
alter table consultations add column withdrawn_by uuid references users (id) on delete set null;
alter table consultations add constraint consultations_withdrawn_pair
  check ((withdrawn_at is null) = (withdrawn_reason is null));

-- Save and return for someone not signed in: an e-mailed link to their draft, valid 28 days,
-- used once. Only the link's token's hash is kept, never the address it went to.
alter table consultation_responses add column return_token_hash text unique;
alter table consultation_responses add column return_expires_at timestamptz;

-- Optional versions of the consultation's text: in Welsh (title, summary and document go
-- together) and an easy-read version of the document.
alter table consultations add column title_cy text check (length(title_cy) between 1 and 150);
alter table consultations add column summary_cy text check (length(summary_cy) between 1 and 600);
alter table consultations add column body_cy text check (length(body_cy) between 1 and 20000);
alter table consultations add column easy_read text check (length(easy_read) between 1 and 20000);
alter table consultations add constraint consultations_welsh_together
  check ((title_cy is null) = (body_cy is null) and (title_cy is null) = (summary_cy is null));
