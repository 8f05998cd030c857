-- The identity a person proved at P2: the name, date of birth and address a register held
-- (online) or an adviser confirmed from documents (face to face). Single sign-on releases it
-- to a relying party only for a P2 sign-in that asks for it. One row per account, replaced
-- when the person proves their identity again; deleted with the account's personal details.
create table verified_identities (
  user_id uuid primary key references users (id) on delete cascade,
  given_name text not null,
  family_name text not null,
  birthdate date not null,
  -- {"lines": ["1 High Street"], "town": "Stroud", "postcode": "GL5 4UB", "country": "GB"}
  address jsonb not null,
  method text not null check (method in ('online-known-facts', 'face-to-face')),
  verified_at timestamptz not null default now()
);
