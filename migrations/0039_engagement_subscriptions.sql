-- The engagement home (issue 11, part 3): anyone subscribes by e-mail to new petitions, to one
-- body or any, near a postcode district or nationally, confirmed by an e-mailed link.

create table engagement_subscriptions (
  id uuid primary key default gen_random_uuid(),
  -- Lower case, trimmed (as petition signatures): one subscription per address and choice.
  email text not null check (email = lower(email) and length(email) <= 254),
  -- null: petitions to any body.
  organisation_id uuid references organisations (id) on delete cascade,
  -- A postcode district (outward code, 'GL5'): petitions of the bodies covering it and national
  -- bodies; null: nationally (every petition in the country).
  district text check (district ~ '^[A-Z0-9]{2,4}$'),
  language text not null default 'en' check (language in ('en', 'cy')),
  -- The confirmation link's token, hashed; replaced when the person subscribes again unconfirmed.
  token_hash text not null unique,
  -- The unsubscribe link's token in every e-mail: it can only end this subscription.
  unsubscribe_token text not null unique,
  -- '<body id or any>:<district or national>': one subscription per address and choice.
  choice text not null,
  created_at timestamptz not null default now(),
  confirmed_at timestamptz,
  unique (email, choice)
);
create index engagement_subscriptions_email_idx on engagement_subscriptions (email);
