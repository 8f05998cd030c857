-- Protection of accounts (issue 3): lockout after repeated wrong passwords, and what a
-- person needs to recognise their own sessions on their Security page.

-- Consecutive wrong passwords since the last successful sign-in or unlock; at five the
-- account is locked until locked_until (30 minutes) or until unlocked by the e-mailed link.
alter table users
  add column failed_sign_ins integer not null default 0 check (failed_sign_ins >= 0),
  add column locked_until timestamptz;

-- The browser a session was started from (truncated), shown on the Security page so a person
-- can tell their own sessions from someone else's.
alter table sessions
  add column user_agent text;
