/**
 * Reading case plans. Loading a plan gives its rows and the `PlanAccess` the policies judge;
 * every function that returns parts of a plan to a user filters them through the policies here,
 * so a page cannot show what the rules hide.
 */
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import type {
  CasePlanActionRow,
  CasePlanAssessmentRow,
  CasePlanBodyRow,
  CasePlanConferenceRow,
  CasePlanEventRow,
  CasePlanLinkRow,
  CasePlanRow,
  CasePlanTemplateRow,
  Section,
} from '../db/tables.js';
import {
  maySeeAction,
  maySeeContactDetails,
  maySeeLink,
  visibleSections,
  type BreakGlassGrants,
  type PlanAccess,
} from '../policies/caseplans.js';

/** A plan as loaded: its row, its bodies and what the policies need. */
export interface LoadedPlan {
  row: CasePlanRow;
  bodies: CasePlanBodyRow[];
  access: PlanAccess;
}

/** A calendar date as `YYYY-MM-DD`, whichever way the driver gave it. */
export function day(value: unknown): string {
  if (value instanceof Date) {
    const y = value.getFullYear();
    const m = String(value.getMonth() + 1).padStart(2, '0');
    const d = String(value.getDate()).padStart(2, '0');
    return `${y}-${m}-${d}`;
  }
  return typeof value === 'string' ? value.slice(0, 10) : '';
}

/** The policies' view of a plan's rows. */
export function accessOf(row: CasePlanRow, bodies: CasePlanBodyRow[]): PlanAccess {
  return {
    leadOrganisationId: row.lead_organisation_id,
    sensitive: row.sensitive,
    closed: row.state === 'closed',
    bodies: bodies.map((b) => ({
      organisationId: b.organisation_id,
      state: b.state,
      basis: b.basis,
      consentWithdrawn: b.consent_withdrawn_at !== null,
      named: b.named,
      sharedSections: b.shared_sections,
    })),
  };
}

/** A plan by its reference (CP-…), with its bodies; undefined when there is none. */
export async function loadPlan(db: Db, reference: string): Promise<LoadedPlan | undefined> {
  if (!/^CP-[A-Z0-9]{8}$/.test(reference)) return undefined;
  const row = await db
    .selectFrom('case_plans')
    .selectAll()
    .where('reference', '=', reference)
    .executeTakeFirst();
  if (!row) return undefined;
  const bodies = await db
    .selectFrom('case_plan_bodies')
    .selectAll()
    .where('case_plan_id', '=', row.id)
    .orderBy('invited_at')
    .execute();
  return { row, bodies, access: accessOf(row, bodies) };
}

/** The sections a user broke the glass to on a plan and may still see. */
export async function grantsOf(
  db: Db,
  planId: string,
  userId: string,
  now: Date,
): Promise<BreakGlassGrants> {
  const rows = await db
    .selectFrom('case_plan_break_glass')
    .select('section')
    .where('case_plan_id', '=', planId)
    .where('user_id', '=', userId)
    .where('expires_at', '>', now)
    .execute();
  return [...new Set(rows.map((r) => r.section))];
}

/** The templates of assessments, one per kind of case. */
export async function templates(db: Db): Promise<CasePlanTemplateRow[]> {
  return db.selectFrom('case_plan_templates').selectAll().orderBy('kind').execute();
}

/** The plans a user's body leads or takes part in (invited, accepted or with consent withdrawn). */
export async function plansOfBody(db: Db, organisationId: string) {
  return db
    .selectFrom('case_plans as p')
    .leftJoin('case_plan_bodies as b', (join) =>
      join.onRef('b.case_plan_id', '=', 'p.id').on('b.organisation_id', '=', organisationId),
    )
    .select([
      'p.id',
      'p.reference',
      'p.kind',
      'p.lead_organisation_id',
      'p.person_name',
      'p.state',
      'p.opened_at',
      'b.state as body_state',
      'b.basis',
      'b.consent_withdrawn_at',
    ])
    .where((eb) =>
      eb.or([
        eb('p.lead_organisation_id', '=', organisationId),
        eb('b.organisation_id', '=', organisationId),
      ]),
    )
    .orderBy('p.opened_at', 'desc')
    .limit(500)
    .execute();
}

/** What a user may see of a plan: the person (contact details only where allowed) and each section. */
export interface PlanView {
  sections: Section[];
  contactDetails: boolean;
  assessments: CasePlanAssessmentRow[];
  actions: CasePlanActionRow[];
  conferences: CasePlanConferenceRow[];
  links: CasePlanLinkRow[];
}

/**
 * The parts of a plan the user may see, read in one go; sections they may not see are empty.
 * The caller has already checked `mayReadCasePlan` (and audits the read).
 */
export async function planViewFor(
  db: Db,
  user: CurrentUser,
  plan: LoadedPlan,
  grants: BreakGlassGrants,
): Promise<PlanView> {
  const sections = visibleSections(user, plan.access, grants);
  const id = plan.row.id;
  const assessments = sections.includes('assessment')
    ? await db
        .selectFrom('case_plan_assessments')
        .selectAll()
        .where('case_plan_id', '=', id)
        .orderBy('assessed_on')
        .orderBy('recorded_at')
        .execute()
    : [];
  const allActions = await db
    .selectFrom('case_plan_actions')
    .selectAll()
    .where('case_plan_id', '=', id)
    .orderBy('due_on')
    .orderBy('created_at')
    .execute();
  const conferences = sections.includes('conferences')
    ? await db
        .selectFrom('case_plan_conferences')
        .selectAll()
        .where('case_plan_id', '=', id)
        .orderBy('held_on', 'desc')
        .execute()
    : [];
  const allLinks = await db
    .selectFrom('case_plan_links')
    .selectAll()
    .where('case_plan_id', '=', id)
    .orderBy('linked_at')
    .execute();
  return {
    sections,
    contactDetails: maySeeContactDetails(user, plan.access),
    assessments,
    actions: allActions.filter((a) =>
      maySeeAction(user, plan.access, { organisationId: a.organisation_id }, grants),
    ),
    conferences,
    links: allLinks.filter((l) =>
      maySeeLink(user, plan.access, { organisationId: l.organisation_id }, grants),
    ),
  };
}

/** How many chronology entries a page shows. */
export const CHRONOLOGY_PAGE = 50;

/**
 * One page of the chronology, newest first: events of the sections the user sees, and those
 * their own body recorded. Keyset-free offset paging is enough for a plan's few thousand events.
 */
export async function chronologyPage(
  db: Db,
  planId: string,
  sections: Section[],
  ownOrganisationId: string | null,
  page: number,
): Promise<{ events: CasePlanEventRow[]; more: boolean }> {
  if (!sections.includes('chronology')) return { events: [], more: false };
  const rows = await db
    .selectFrom('case_plan_events')
    .selectAll()
    .where('case_plan_id', '=', planId)
    .where((eb) =>
      eb.or([
        eb('section', 'in', sections.length ? sections : ['none' as Section]),
        ...(ownOrganisationId ? [eb('organisation_id', '=', ownOrganisationId)] : []),
      ]),
    )
    .orderBy('occurred_at', 'desc')
    .orderBy('id', 'desc')
    .offset((page - 1) * CHRONOLOGY_PAGE)
    .limit(CHRONOLOGY_PAGE + 1)
    .execute();
  return { events: rows.slice(0, CHRONOLOGY_PAGE), more: rows.length > CHRONOLOGY_PAGE };
}

/** The plans about a person's account, for their own view. */
export async function plansOfPerson(db: Db, accountId: string) {
  return db
    .selectFrom('case_plans')
    .selectAll()
    .where('person_account_id', '=', accountId)
    .orderBy('opened_at', 'desc')
    .execute();
}

/** Sections withheld from the person, with the lead's reasons. */
export async function withheldOf(db: Db, planId: string) {
  return db
    .selectFrom('case_plan_withheld')
    .selectAll()
    .where('case_plan_id', '=', planId)
    .execute();
}

/** Reads of a plan by staff (the audit log), newest first: the person's trail of who looked. */
export async function readsOf(db: Db, planId: string) {
  return db
    .selectFrom('audit_log')
    .select(['occurred_at', 'action', 'actor_organisation_id', 'details'])
    .where('resource_type', '=', 'case_plan')
    .where('resource_id', '=', planId)
    .where(sql<boolean>`action ~ 'viewed'`)
    .orderBy('id', 'desc')
    .limit(200)
    .execute();
}
