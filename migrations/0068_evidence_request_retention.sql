-- Evidence requests are anonymised by the retention job once the requesting body's period is
-- over (record type `evidence-request`): marked here so an anonymised one is never due again.
alter table evidence_requests add column anonymised_at timestamptz;
