-- Delivery problems (issue 7): an e-mail address that bounced or a mobile number the text
-- provider refused is marked on the account, so "Your account" can ask the person to check it.
-- Changing or confirming the address clears the mark.
alter table users add column email_bounced_at timestamptz;
alter table users add column phone_failed_at timestamptz;

-- Welsh versions of Notify templates: a template with a Welsh body sends both languages,
-- Welsh first (see the README, "Welsh templates").
alter table notify_templates add column welsh_subject text;
alter table notify_templates add column welsh_body text;
alter table notify_template_versions add column welsh_subject text;
alter table notify_template_versions add column welsh_body text;
