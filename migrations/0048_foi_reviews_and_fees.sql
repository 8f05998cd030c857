-- FOI internal reviews and fees (issue 10, item 6).
--
-- An internal review is a piece of correspondence of its own (kind 'review', reference IR-…) on
-- the body's queue, linked to the FOI request whose answer it looks at again, with its own clock
-- (the ICO's target of 20 working days) and its own outcome: upheld, partly upheld, overturned.
--
-- Fees: the s.12 cost estimate (hours per activity, Freedom of Information and Data Protection
-- (Appropriate Limit and Fees) Regulations 2004, reg. 4(3)) and the s.9 fees notice, whose
-- working days until payment are disregarded (s.10(2)): the state 'fee-due' stops the clock.

alter table correspondence drop constraint correspondence_kind_check;
alter table correspondence add constraint correspondence_kind_check
  check (kind in ('complaint', 'foi', 'member', 'review'));
alter table correspondence drop constraint correspondence_reference_check;
alter table correspondence add constraint correspondence_reference_check
  check (reference ~ '^(CMP|FOI|MC|IR)-[A-Z0-9]{8}$');
alter table correspondence drop constraint correspondence_state_check;
alter table correspondence add constraint correspondence_state_check
  check (state in ('open', 'clarification', 'fee-due', 'responded', 'closed', 'drafting', 'cleared', 'sent'));
alter table correspondence drop constraint correspondence_outcome_check;
alter table correspondence add constraint correspondence_outcome_check
  check (outcome in ('upheld', 'partly-upheld', 'not-upheld', 'overturned', 'given-in-full', 'given-in-part', 'refused', 'not-held'));

-- The FOI request an internal review looks at again; one review per answer. A request deleted
-- under the body's retention rule takes its review with it (the review is part of its record).
alter table correspondence add column review_of uuid references correspondence (id) on delete cascade;
alter table correspondence add constraint correspondence_review_of_check
  check ((kind = 'review') = (review_of is not null));
create unique index correspondence_review_of_idx on correspondence (review_of) where review_of is not null;

-- s.12: estimated hours per activity ({"determining": 2, "locating": 10.5, …}), and who estimated.
alter table correspondence add column cost_hours jsonb;
alter table correspondence add column cost_estimated_at timestamptz;
alter table correspondence add column cost_estimated_by uuid references users (id) on delete set null;

-- s.9: the fees notice (disbursements: copying, postage), when it was given and paid, and the
-- due date it stopped, which payment moves on by the working days it was waited for.
alter table correspondence add column fee_pence integer check (fee_pence between 1 and 100000000);
alter table correspondence add column fee_description text check (length(fee_description) <= 2000);
alter table correspondence add column fee_notice_at timestamptz;
alter table correspondence add column fee_paid_at timestamptz;
alter table correspondence add column due_before_fee timestamptz;
