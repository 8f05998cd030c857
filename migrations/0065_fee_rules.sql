-- Fees from rules (issue 16): a form's fee may be the service's `fee` rule set in force when the
-- application is sent. The charge keeps the id of the version that priced it, as a submission
-- keeps the eligibility version it was made under; null for every other fee, bill and instalment.
alter table fee_charges add column rule_set_version_id uuid references rule_sets (id);
