-- Suppliers send their own invoices against purchase orders (issue 13): the invoice's date and
-- who sent it, and a buyer's rejection of an invoice with the reason the supplier reads. A
-- rejected invoice sends the order back to "received" so the supplier can invoice again; its
-- number stays on the order (and cannot be used again by that supplier) until replaced.
alter table procurement_orders
  add column invoice_date date,
  add column invoiced_by uuid references users (id) on delete set null,
  add column invoice_rejected_reason text
    check (length(invoice_rejected_reason) between 1 and 1000),
  add column invoice_rejected_at timestamptz,
  add column invoice_rejected_by uuid references users (id) on delete set null;
