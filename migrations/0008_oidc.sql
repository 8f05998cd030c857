-- Single sign-on: Joinedup as an OpenID Connect provider for other public bodies' services.

-- Relying parties (other bodies' online services). `metadata` is the OpenID Connect client
-- metadata oidc-provider reads (redirect_uris, token_endpoint_auth_method, jwks…);
-- a client_secret is kept there only for client_secret_post clients.
create table oidc_clients (
  client_id text primary key,
  name text not null,
  metadata jsonb not null,
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now()
);

-- Everything oidc-provider stores (sessions, interactions, codes, tokens, grants, replay
-- markers for client assertion `jti`s…), in the database so that any node can serve any
-- step of a sign-in.
create table oidc_payloads (
  id text not null,
  type text not null,
  payload jsonb not null,
  grant_id text,
  user_code text,
  uid text,
  expires_at timestamptz,
  consumed_at timestamptz,
  primary key (type, id)
);
create index oidc_payloads_grant on oidc_payloads (grant_id) where grant_id is not null;
create index oidc_payloads_uid on oidc_payloads (uid) where uid is not null;
create index oidc_payloads_user_code on oidc_payloads (user_code) where user_code is not null;
create index oidc_payloads_expires on oidc_payloads (expires_at) where expires_at is not null;

-- Signing keys (private JWKs). The newest unretired key of each algorithm signs; retired keys
-- stay published in the JWKS until they expire, so tokens they signed can still be checked.
create table oidc_keys (
  kid text primary key,
  alg text not null check (alg in ('ES256', 'RS256')),
  private_jwk jsonb not null,
  created_at timestamptz not null default now(),
  retired_at timestamptz,
  expires_at timestamptz
);

-- Secrets generated on first start and shared by every node (e.g. the pairwise subject salt).
create table oidc_secrets (
  name text primary key,
  value text not null,
  created_at timestamptz not null default now()
);
