-- E-procurement, the rest of issue 13: documents on notices and on tenders, tender questions as a
-- forms-engine definition, and several invoices per purchase order (each approved separately),
-- with each supplier's invoice numbers unique in the database, whatever their letter case.

-- Files a buyer attaches to its notice (public once published, served through the app).
create table procurement_notice_documents (
  id uuid primary key default gen_random_uuid(),
  notice_id uuid not null references procurement_notices (id) on delete cascade,
  attachment_id uuid not null unique references attachments (id) on delete cascade,
  added_by uuid references users (id) on delete set null,
  added_at timestamptz not null default now()
);
create index procurement_notice_documents_notice_idx on procurement_notice_documents (notice_id);

-- Files a supplier attaches to its tender: sealed with it until the tender deadline. They belong
-- to the supplier's tender for the notice (notice + supplier), so they can be added before the
-- tender is first sent and stay when it is replaced.
create table procurement_tender_documents (
  id uuid primary key default gen_random_uuid(),
  notice_id uuid not null references procurement_notices (id) on delete cascade,
  supplier_id uuid not null references procurement_suppliers (id) on delete cascade,
  attachment_id uuid not null unique references attachments (id) on delete cascade,
  added_by uuid references users (id) on delete set null,
  added_at timestamptz not null default now()
);
create index procurement_tender_documents_tender_idx
  on procurement_tender_documents (notice_id, supplier_id);

-- The notice's tender questions as a forms-engine definition (src/modules/forms). Null for a
-- notice published before this: its `questions` (one text each) are read as long-text questions
-- q1, q2, … and its tenders' answer lists as { q1: …, q2: … } (converted on read).
alter table procurement_notices add column question_form jsonb;

-- Several invoices per order, up to the order's value; each approved for payment (or rejected)
-- on its own. The order's status sums them up: `received` while some is left to invoice,
-- `invoiced` once invoices cover its value, `approved` once approved invoices do.
create table procurement_invoices (
  id uuid primary key default gen_random_uuid(),
  order_id uuid not null references procurement_orders (id) on delete cascade,
  supplier_id uuid not null references procurement_suppliers (id) on delete cascade,
  invoice_number text not null check (length(invoice_number) between 1 and 50),
  amount_pence bigint not null check (amount_pence > 0),
  invoice_date date,
  status text not null default 'submitted' check (status in ('submitted', 'approved', 'rejected')),
  submitted_by uuid references users (id) on delete set null,
  submitted_at timestamptz not null,
  approved_by uuid references users (id) on delete set null,
  approved_at timestamptz,
  rejected_reason text check (length(rejected_reason) between 1 and 1000),
  rejected_by uuid references users (id) on delete set null,
  rejected_at timestamptz,
  check ((status = 'approved') = (approved_at is not null)),
  check ((status = 'rejected') = (rejected_at is not null and rejected_reason is not null))
);
create index procurement_invoices_order_idx on procurement_invoices (order_id);
-- A supplier never uses an invoice number twice, in any letter case (a rejected one included).
create unique index procurement_invoices_supplier_number_key
  on procurement_invoices (supplier_id, lower(invoice_number));

-- The one invoice each order could hold until now becomes its first invoice.
insert into procurement_invoices (order_id, supplier_id, invoice_number, amount_pence,
  invoice_date, status, submitted_by, submitted_at, approved_by, approved_at, rejected_reason,
  rejected_by, rejected_at)
select o.id, a.supplier_id, o.invoice_number, o.invoice_amount_pence, o.invoice_date,
  case
    when o.status = 'approved' then 'approved'
    when o.status = 'invoiced' then 'submitted'
    else 'rejected'
  end,
  o.invoiced_by, coalesce(o.invoiced_at, o.invoice_rejected_at, o.ordered_at),
  case when o.status = 'approved' then o.approved_by end,
  case when o.status = 'approved' then coalesce(o.approved_at, o.invoiced_at) end,
  case when o.status not in ('approved', 'invoiced') then coalesce(o.invoice_rejected_reason, 'Rejected') end,
  case when o.status not in ('approved', 'invoiced') then o.invoice_rejected_by end,
  case when o.status not in ('approved', 'invoiced')
    then coalesce(o.invoice_rejected_at, o.invoiced_at, o.ordered_at) end
from procurement_orders o
join procurement_awards a on a.id = o.award_id
where o.invoice_number is not null and o.invoice_amount_pence is not null;

alter table procurement_orders
  drop column invoice_number,
  drop column invoice_amount_pence,
  drop column invoice_date,
  drop column invoiced_at,
  drop column invoiced_by,
  drop column invoice_rejected_reason,
  drop column invoice_rejected_at,
  drop column invoice_rejected_by;
