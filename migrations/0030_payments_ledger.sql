-- Payments (issue 8), part two: payments other modules ask for (a purpose instead of an API
-- key), a double-entry ledger of what each body took and gave back, and what a real card
-- gateway needs (its own refund ids, an answer that never came).

-- A module's payment says what it is for (`bookings` / the booking's id); the module is told
-- when it finishes. Its next_url token is random and only its SHA-256 is kept.
alter table payments add column purpose_kind text check (purpose_kind ~ '^[a-z][a-z0-9-]{0,39}$');
alter table payments add column purpose_id text check (length(purpose_id) between 1 and 100);
alter table payments add constraint payments_purpose_whole
  check ((purpose_kind is null) = (purpose_id is null));
alter table payments add column next_url_sha256 text check (next_url_sha256 ~ '^[0-9a-f]{64}$');
create index payments_purpose on payments (purpose_kind, purpose_id) where purpose_kind is not null;

-- The gateway is the one that took the card: a module's payment has none until then.
alter table payments alter column gateway drop not null;

-- Set when the gateway was asked to authorise and no answer came (a timeout): the card may or
-- may not have been charged, so the payment waits, unchangeable by the person, until the
-- gateway is asked again what happened.
alter table payments add column gateway_unknown_since timestamptz;

alter table payment_refunds add column gateway_refund_id text;
alter table payment_refunds add column settled_at timestamptz;

-- Each posting (a payment taken, a refund given, a failed refund put back) is two entries,
-- one debit and one credit of the same amount: `card_clearing` is what the card gateway holds
-- for the body, `income` what the body has taken. Entries are never changed or deleted.
create table ledger_entries (
  id bigserial primary key,
  posting text not null,
  organisation_id uuid not null references organisations (id),
  payment_id uuid not null references payments (id),
  refund_id uuid references payment_refunds (id),
  account text not null check (account in ('card_clearing', 'income')),
  debit integer not null default 0 check (debit >= 0),
  credit integer not null default 0 check (credit >= 0),
  created_at timestamptz not null default now(),
  check ((debit = 0) <> (credit = 0)),
  unique (posting, account)
);
create index ledger_entries_organisation_created on ledger_entries (organisation_id, created_at);
create index ledger_entries_payment on ledger_entries (payment_id);
