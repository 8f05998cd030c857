-- Card payments over the phone (MOTO, issue 10 item 3). A body's admin allows them in its
-- payment settings (off until turned on, as GOV.UK Pay's accounts are); a MOTO payment is
-- marked as one, and its card page is for one signed-in member of staff only: the adviser who
-- asked for it, or the body's staff member who first opened its next_url.

create table payment_settings (
  organisation_id uuid primary key references organisations (id),
  moto_allowed boolean not null default false,
  updated_by uuid references users (id) on delete set null,
  updated_at timestamptz not null default now()
);

alter table payments add column moto boolean not null default false;
alter table payments add column moto_user_id uuid references users (id) on delete set null;
alter table payments add constraint payments_moto_user check (moto or moto_user_id is null);
