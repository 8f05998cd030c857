-- Deciding by rules (issue 16, "risk-managed exception"). A submission made on a service with
-- eligibility rules keeps the id of the version in force when it was made, and is decided under
-- it even after a newer version takes effect.
alter table submissions add column rule_set_version_id uuid references rule_sets (id);

-- A service's owner lets the rules decide: a submission whose evidence is verified and whose
-- rules say "eligible" is decided at once; `sample_percent` of those decisions are also sent to
-- a caseworker to check. No row: a person decides everything, as before.
create table rule_automation (
  service_id uuid primary key references services (id),
  decide boolean not null default false,
  sample_percent integer not null default 0 check (sample_percent between 0 and 100),
  updated_by uuid references users (id) on delete set null,
  updated_at timestamptz not null default now()
);

-- Every decision the rules made on their own: the version, the outcome and the explanation
-- shown to the person, whether it was picked at random to be checked, and the person's request
-- for a person to review it.
create table automatic_decisions (
  submission_id uuid primary key references submissions (id) on delete cascade,
  service_id uuid not null references services (id),
  organisation_id uuid not null references organisations (id),
  rule_set_version_id uuid not null references rule_sets (id),
  outcome text not null,
  -- { "en": "…", "cy": "…" }
  explanation jsonb not null,
  sampled boolean not null,
  decided_at timestamptz not null default now(),
  review_requested_at timestamptz,
  review_reason text
);
create index automatic_decisions_service on automatic_decisions (service_id, decided_at);

-- Every channel records the version: the web journey names it; a submission stored without one
-- (the hub API, Open311, an adviser's) gets the eligibility rules in force on that UK day, as the
-- rules module's ruleSetInForce would say (the latest effective date on or before the day, and of
-- those the newest version). Services without rules keep null.
create function submissions_rule_set_version() returns trigger language plpgsql as $$
begin
  if new.rule_set_version_id is null then
    select id into new.rule_set_version_id
      from rule_sets
     where service_id = new.service_id
       and purpose = 'eligibility'
       and effective_from <= to_char(now() at time zone 'Europe/London', 'YYYY-MM-DD')
     order by effective_from desc, version desc
     limit 1;
  end if;
  return new;
end;
$$;
create trigger submissions_rule_set_version before insert on submissions
  for each row execute function submissions_rule_set_version();
