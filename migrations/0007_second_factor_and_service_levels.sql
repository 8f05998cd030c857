-- Second factor (level 2, `Cl.Cm`) and the level each service needs.

-- The phone is also added by 0006 (phone numbers); `if not exists` lets either run first.
alter table users add column if not exists phone text;
alter table users add column if not exists phone_verified_at timestamptz;

-- The second factor a person chose. The TOTP secret is sealed with AES-256-GCM under a key
-- derived from SESSION_SECRET (see commands/second-factor.ts); totp_last_step is the last time
-- step accepted, so a code cannot be used twice. A secret being set up waits in
-- totp_pending_secret until the person proves their app holds it.
alter table users
  add column second_factor text not null default 'none'
    check (second_factor in ('none', 'totp', 'sms', 'email')),
  add column totp_secret text,
  add column totp_pending_secret text,
  add column totp_last_step integer;

-- A sign-in waiting for its second factor: the password was right, but no session exists
-- yet. The cookie holds a random token; only its hash is kept. Lives 15 minutes.
create table pending_sign_ins (
  id_hash text primary key,
  user_id uuid not null references users (id) on delete cascade,
  return_to text not null default '/',
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index pending_sign_ins_user on pending_sign_ins (user_id);

-- The assurance level a service needs: 0 anonymous, 1 password, 2 second factor, 3 identity
-- verified. Applying always needs an account, so 0 behaves as 1 for the application journey.
alter table services
  add column required_level smallint not null default 1 check (required_level between 0 and 3);
