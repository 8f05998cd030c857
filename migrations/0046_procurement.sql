-- E-procurement (issue 13): businesses register as suppliers; a public body (alone or with
-- others buying together) publishes an opportunity; suppliers ask clarification questions and
-- send sealed tenders; the body evaluates, moderates and awards; purchase orders, receipts and
-- invoices follow the contract. Money is held in pence.

-- A business account (agents module) registered as a supplier.
create table procurement_suppliers (
  id uuid primary key default gen_random_uuid(),
  business_id uuid not null unique references business_accounts (id) on delete cascade,
  -- Companies House number (8 characters) and GB VAT number (9 or 12 digits, no prefix).
  company_number text not null check (company_number ~ '^([0-9]{8}|[A-Z]{2}[0-9]{6})$'),
  vat_number text check (vat_number ~ '^([0-9]{9}|[0-9]{12})$'),
  is_sme boolean not null,
  -- CPV division or group codes (8 digits, no check digit) the supplier works in.
  sectors text[] not null check (cardinality(sectors) between 1 and 40),
  -- ONS region and country GSS codes the supplier works in.
  regions text[] not null check (cardinality(regions) between 1 and 12),
  alerts boolean not null default true,
  registered_by uuid references users (id) on delete set null,
  registered_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- An opportunity (a contract notice). `ocid` is its Open Contracting id, stable for ever.
create table procurement_notices (
  id uuid primary key default gen_random_uuid(),
  ocid text not null unique,
  organisation_id uuid not null references organisations (id),
  title text not null check (length(title) between 1 and 200),
  description text not null check (length(description) between 1 and 20000),
  value_min_pence bigint not null check (value_min_pence >= 0),
  value_max_pence bigint not null check (value_max_pence >= value_min_pence),
  cpv_codes text[] not null check (cardinality(cpv_codes) between 1 and 10),
  region text not null,
  sme_suitable boolean not null default false,
  clarification_deadline timestamptz not null,
  tender_deadline timestamptz not null,
  check (tender_deadline > clarification_deadline),
  -- Questions suppliers answer in their tender, and the weighted award criteria (weights sum 100).
  questions jsonb not null,
  criteria jsonb not null,
  status text not null default 'open' check (status in ('open', 'awarded', 'cancelled')),
  version integer not null default 1,
  published_by uuid references users (id) on delete set null,
  published_at timestamptz not null,
  updated_at timestamptz not null
);
create index procurement_notices_organisation_idx on procurement_notices (organisation_id);
create index procurement_notices_deadline_idx on procurement_notices (tender_deadline);

-- Other bodies buying together with the lead body (a consortium).
create table procurement_notice_buyers (
  notice_id uuid not null references procurement_notices (id) on delete cascade,
  organisation_id uuid not null references organisations (id),
  primary key (notice_id, organisation_id)
);

-- Each earlier version of a notice edited after it was published, as it then stood.
create table procurement_notice_versions (
  notice_id uuid not null references procurement_notices (id) on delete cascade,
  version integer not null,
  snapshot jsonb not null,
  replaced_by uuid references users (id) on delete set null,
  replaced_at timestamptz not null,
  change_summary text not null check (length(change_summary) between 1 and 1000),
  primary key (notice_id, version)
);

-- A supplier's clarification question; answered publicly without saying who asked.
create table procurement_clarifications (
  id uuid primary key default gen_random_uuid(),
  notice_id uuid not null references procurement_notices (id) on delete cascade,
  supplier_id uuid references procurement_suppliers (id) on delete set null,
  asked_by uuid references users (id) on delete set null,
  question text not null check (length(question) between 1 and 2000),
  answer text check (length(answer) between 1 and 5000),
  asked_at timestamptz not null,
  answered_by uuid references users (id) on delete set null,
  answered_at timestamptz,
  check ((answer is null) = (answered_at is null))
);
create index procurement_clarifications_notice_idx on procurement_clarifications (notice_id);

-- A supplier's tender: one per supplier and notice, replaced until the deadline.
create table procurement_responses (
  id uuid primary key default gen_random_uuid(),
  notice_id uuid not null references procurement_notices (id) on delete cascade,
  supplier_id uuid not null references procurement_suppliers (id) on delete cascade,
  answers jsonb not null,
  price_pence bigint not null check (price_pence > 0),
  notice_version integer not null,
  submitted_by uuid references users (id) on delete set null,
  submitted_at timestamptz not null,
  unique (notice_id, supplier_id)
);

-- The evaluation panel's scores for one tender against the notice's criteria. Evaluators edit
-- it with optimistic locking (`version`); the moderator agrees it, after which it is fixed.
create table procurement_evaluations (
  response_id uuid primary key references procurement_responses (id) on delete cascade,
  -- [{ "score": 0..10, "comment": "…" }] in the order of the notice's criteria.
  scores jsonb not null,
  version integer not null default 1,
  updated_by uuid references users (id) on delete set null,
  updated_at timestamptz not null,
  agreed_by uuid references users (id) on delete set null,
  agreed_at timestamptz
);

-- The award: one winning tender per notice; unsuccessful suppliers are told their scores.
create table procurement_awards (
  id uuid primary key default gen_random_uuid(),
  notice_id uuid not null unique references procurement_notices (id) on delete cascade,
  response_id uuid not null references procurement_responses (id),
  supplier_id uuid not null references procurement_suppliers (id),
  value_pence bigint not null check (value_pence > 0),
  reasons text not null check (length(reasons) between 1 and 5000),
  awarded_by uuid references users (id) on delete set null,
  awarded_at timestamptz not null
);

-- Purchase orders under an awarded contract: ordered → received → invoiced → approved for payment.
create table procurement_orders (
  id uuid primary key default gen_random_uuid(),
  award_id uuid not null references procurement_awards (id) on delete cascade,
  reference text not null unique check (reference ~ '^PO-[A-Z0-9]{8}$'),
  description text not null check (length(description) between 1 and 500),
  amount_pence bigint not null check (amount_pence > 0),
  status text not null default 'ordered'
    check (status in ('ordered', 'received', 'invoiced', 'approved')),
  ordered_by uuid references users (id) on delete set null,
  ordered_at timestamptz not null,
  received_at timestamptz,
  invoice_number text check (length(invoice_number) between 1 and 50),
  invoice_amount_pence bigint check (invoice_amount_pence > 0),
  invoiced_at timestamptz,
  approved_by uuid references users (id) on delete set null,
  approved_at timestamptz
);
create index procurement_orders_award_idx on procurement_orders (award_id);
