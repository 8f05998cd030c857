-- Agents applying for their clients: a draft and a submission belong to the client (user_id,
-- applicant_user_id); these columns record which agent user, through which agent business,
-- last changed the draft and sent the submission. Null when the person acted for themselves.

alter table form_drafts
  add column agent_user_id uuid references users (id) on delete set null,
  add column agent_business_id uuid references business_accounts (id) on delete set null;

-- Who pressed "Accept and send": the applicant themselves, or an agent acting for them.
alter table submissions
  add column submitted_by_user_id uuid references users (id) on delete set null,
  add column agent_business_id uuid references business_accounts (id) on delete set null;

update submissions set submitted_by_user_id = applicant_user_id where submitted_by_user_id is null;

create index submissions_submitted_by on submissions (submitted_by_user_id)
  where agent_business_id is not null;
