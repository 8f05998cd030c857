-- The knowledge base and directory for contact-centre advisers (issue 10, item 5): articles
-- (scripts, FAQs, policy) per service with an owner and a review date; every body's contact
-- points, service experts and call-routing rules. Opening hours are stored as JSON periods
-- ([{"weekday": 1, "opens": 540, "closes": 1020}], minutes on a London clock), never as text.

create table knowledge_articles (
  id uuid primary key default gen_random_uuid(),
  -- The body that owns the article: the body of its service (checked by the command).
  organisation_id uuid not null references organisations (id),
  service_id uuid not null references services (id),
  kind text not null check (kind in ('script', 'faq', 'policy')),
  title text not null check (length(title) between 1 and 200),
  title_cy text not null default '' check (length(title_cy) <= 200),
  body text not null check (length(body) between 1 and 20000),
  body_cy text not null default '' check (length(body_cy) <= 20000),
  -- The member of staff who keeps it right; null once their account is deleted, when the
  -- body's admins see it as due for review.
  owner_user_id uuid references users (id) on delete set null,
  review_due date not null,
  status text not null default 'published' check (status in ('draft', 'published', 'archived')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  updated_by uuid references users (id) on delete set null,
  search_vector tsvector generated always as (
    setweight(to_tsvector('english', title), 'A') ||
    setweight(to_tsvector('simple', title_cy), 'A') ||
    setweight(to_tsvector('english', body), 'C') ||
    setweight(to_tsvector('simple', body_cy), 'C')
  ) stored
);
create index knowledge_articles_search on knowledge_articles using gin (search_vector);
create index knowledge_articles_service on knowledge_articles (service_id);
create index knowledge_articles_review on knowledge_articles (organisation_id, review_due)
  where status <> 'archived';

-- A way to reach a body: a phone line, a mailbox, an office, with its opening hours.
create table knowledge_contact_points (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  name text not null check (length(name) between 1 and 120),
  name_cy text not null default '' check (length(name_cy) <= 120),
  -- E.164 ('+441453766321'), as the forms module's phone parser gives it.
  phone text check (phone ~ '^\+44[0-9]{9,10}$'),
  email text check (length(email) <= 254),
  address text not null default '' check (length(address) <= 500),
  opening_hours jsonb not null default '[]',
  updated_at timestamptz not null default now(),
  updated_by uuid references users (id) on delete set null,
  check (phone is not null or email is not null or address <> ''),
  search_vector tsvector generated always as (
    setweight(to_tsvector('english', name), 'A') ||
    setweight(to_tsvector('simple', name_cy), 'A') ||
    setweight(to_tsvector('simple', address), 'C')
  ) stored
);
create index knowledge_contact_points_search on knowledge_contact_points using gin (search_vector);
create index knowledge_contact_points_body on knowledge_contact_points (organisation_id);

-- Someone at a body an adviser may pass a hard question to: their work contact, not a person's record.
create table knowledge_experts (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  name text not null check (length(name) between 1 and 120),
  role text not null check (length(role) between 1 and 120),
  -- What they know about, in the words advisers search with.
  topics text not null default '' check (length(topics) <= 500),
  how_to_reach text not null check (length(how_to_reach) between 1 and 300),
  updated_at timestamptz not null default now(),
  updated_by uuid references users (id) on delete set null,
  search_vector tsvector generated always as (
    setweight(to_tsvector('simple', name), 'A') ||
    setweight(to_tsvector('english', role || ' ' || topics), 'B')
  ) stored
);
create index knowledge_experts_search on knowledge_experts using gin (search_vector);
create index knowledge_experts_body on knowledge_experts (organisation_id);

-- Where to send a call: a service (its catalogue service key, shared by every body's version) or
-- a topic, in an area (a GSS code: a district, county, unitary or Welsh principal area), to a
-- contact point, with the hours of that line when they differ from the contact point's.
create table knowledge_routing_rules (
  id uuid primary key default gen_random_uuid(),
  -- The body that keeps the rule: the contact point's.
  organisation_id uuid not null references organisations (id),
  service_key text check (length(service_key) between 1 and 100),
  topic text not null default '' check (length(topic) <= 120),
  area_gss text not null check (area_gss ~ '^[EWSNK][0-9]{8}$'),
  contact_point_id uuid not null references knowledge_contact_points (id) on delete cascade,
  -- Null: the contact point's hours.
  opening_hours jsonb,
  notes text not null default '' check (length(notes) <= 500),
  updated_at timestamptz not null default now(),
  updated_by uuid references users (id) on delete set null,
  check (service_key is not null or topic <> '')
);
create index knowledge_routing_rules_area on knowledge_routing_rules (area_gss);
create index knowledge_routing_rules_service on knowledge_routing_rules (service_key);
