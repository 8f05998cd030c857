-- Account lifecycle: a confirmed mobile number, and accounts deleted at the person's request.
-- A deleted account keeps its row (submissions and the audit log refer to it) but loses its
-- personal details: see commands/account-lifecycle.ts.

-- The phone is also added by 0007 (second factor); `if not exists` lets either run first.
alter table users add column if not exists phone text;
alter table users add column if not exists phone_verified_at timestamptz;
alter table users add column deleted_at timestamptz;
