-- Closing a multi-agency case plan (issue 17): the lead body closes it with an outcome from a
-- fixed list (for the figures) and a reason in its own words (the person sees both on their
-- page). A closed plan is read-only for every body (src/modules/caseplans/commands).
alter table case_plans
  add column closed_outcome text
    check (closed_outcome in ('needs-met', 'moved', 'disengaged', 'other')),
  add column closed_reason text check (length(closed_reason) between 1 and 1000),
  add column closed_by uuid references users (id) on delete set null;

-- A plan is closed exactly when it has a closing date and an outcome.
alter table case_plans
  add constraint case_plans_closed_has_outcome check (
    (state = 'closed') = (closed_at is not null and closed_outcome is not null and closed_reason is not null)
  );
