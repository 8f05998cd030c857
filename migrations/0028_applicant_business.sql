-- Services for businesses (issue 5: "apply for a small-business grant (business account, agent
-- allowed)"). A form says `"applicant": "business"`; the person applies for one of their
-- business or charity accounts (or an agent for one of their client's).

-- The business account the draft is for, chosen at the start of the journey.
alter table form_drafts
  add column business_id uuid references business_accounts (id) on delete set null;

-- The business an application is for: the account (null when it was named through the API by
-- a body or intermediary, or the account has gone) and, kept as it was when it was sent, its
-- name, type and registration numbers.
alter table submissions
  add column applicant_business_id uuid references business_accounts (id) on delete set null,
  add column applicant_business jsonb;

create index submissions_applicant_business on submissions (applicant_business_id)
  where applicant_business_id is not null;
