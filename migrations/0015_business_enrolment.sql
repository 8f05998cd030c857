-- Business enrolment: a business or charity account links itself to a record a body holds
-- (a business rates or trade waste account). The enrolment belongs to the business; user_id is
-- the member who asked. Trade waste collection accounts join the registers.

alter table enrolment_records drop constraint enrolment_records_service_check;
alter table enrolment_records add constraint enrolment_records_service_check
  check (service in ('council-tax', 'business-rates', 'trade-waste'));

alter table enrolments
  add column business_account_id uuid references business_accounts (id) on delete cascade;

-- A person links a record to themself once, and a business links it to itself once; a person
-- may hold the same record personally and through a business.
alter table enrolments drop constraint enrolments_user_id_record_id_key;
create unique index enrolments_personal_record on enrolments (user_id, record_id)
  where business_account_id is null;
create unique index enrolments_business_record on enrolments (business_account_id, record_id)
  where business_account_id is not null;
create index enrolments_business on enrolments (business_account_id)
  where business_account_id is not null;
