/**
 * Who may see and do what on a multi-agency case plan: the strictest rules on the platform.
 * Every command and query calls one of these first; they are pure, so the property test
 * (`caseplans.property.test.ts`) can drive them through any history of invitations, answers,
 * withdrawals and sharing changes.
 *
 * - The lead body's practitioners see everything.
 * - A taking-part body sees nothing (404) until it has accepted, and nothing again the moment
 *   its consent is withdrawn; then only the sections the lead shares with it, the actions it
 *   owns, and any section it broke the glass to, for a while, with a reason.
 * - In a sensitive case the address and contact details are shown only to the lead and to
 *   bodies named in the plan.
 */
import type { CurrentUser } from '../../../platform/http/types.js';
import { isStaffOf } from '../../identity/index.js';
import { SECTIONS, type Basis, type BodyState, type Section } from '../db/tables.js';

/** What the rules need to know of a plan: who leads, whether it is sensitive, who takes part. */
export interface PlanAccess {
  leadOrganisationId: string;
  sensitive: boolean;
  /** Closed by the lead: read-only for everyone (absent means open). */
  closed?: boolean;
  bodies: readonly BodyAccess[];
}

/** What the rules need to know of one body taking part. */
export interface BodyAccess {
  organisationId: string;
  state: BodyState;
  basis: Basis;
  consentWithdrawn: boolean;
  named: boolean;
  sharedSections: readonly Section[];
}

/** Sections a user broke the glass to and may still see (unexpired grants). */
export type BreakGlassGrants = readonly Section[];

/** A practitioner of a body: its caseworkers and team leaders (and its admins). */
export function isPractitionerOf(user: CurrentUser | null, organisationId: string): boolean {
  return (
    isStaffOf(user, organisationId, 'caseworker') || isStaffOf(user, organisationId, 'team-leader')
  );
}

/** Whether to show "Case plans" in the staff navigation, and who may open a plan for their body. */
export function mayOpenCasePlan(user: CurrentUser | null): boolean {
  return !!user?.organisationId && isPractitionerOf(user, user.organisationId);
}

/** A practitioner of the lead body: sees and manages everything in the plan. */
export function isLead(user: CurrentUser | null, plan: Pick<PlanAccess, 'leadOrganisationId'>) {
  return isPractitionerOf(user, plan.leadOrganisationId);
}

/** A body whose invitation stands accepted under a basis still in force: it takes part. */
export function isActive(body: BodyAccess): boolean {
  return body.state === 'accepted' && !(body.basis === 'consent' && body.consentWithdrawn);
}

/** The user's body in the plan, if the user is one of its practitioners (the lead's is not here). */
export function bodyOf(user: CurrentUser | null, plan: PlanAccess): BodyAccess | null {
  if (!user?.organisationId || !isPractitionerOf(user, user.organisationId)) return null;
  return plan.bodies.find((b) => b.organisationId === user.organisationId) ?? null;
}

/** Who may read the plan at all; everyone else gets 404, as if it did not exist. */
export function mayReadCasePlan(user: CurrentUser | null, plan: PlanAccess): boolean {
  if (isLead(user, plan)) return true;
  const body = bodyOf(user, plan);
  return !!body && isActive(body);
}

/** Who may answer the invitation of their body: its practitioners, while it stands invited and the plan is open. */
export function mayAnswerInvitation(user: CurrentUser | null, plan: PlanAccess): boolean {
  const body = bodyOf(user, plan);
  return !!body && body.state === 'invited' && !plan.closed;
}

/**
 * Whether the plan may still change: not once the lead has closed it. Every command that changes
 * the plan checks this after its own rule (withdrawing consent and breaking the glass excepted:
 * the first is the person's right, the second changes nothing in the plan).
 */
export function isOpenPlan(plan: Pick<PlanAccess, 'closed'>): boolean {
  return !plan.closed;
}

/** Who may close the plan: the lead, while it is open. */
export function mayClosePlan(user: CurrentUser | null, plan: PlanAccess): boolean {
  return isLead(user, plan) && isOpenPlan(plan);
}

/** Who may invite bodies, decide what is shared, flag, withhold and record conferences: the lead. */
export function mayManageCasePlan(user: CurrentUser | null, plan: PlanAccess): boolean {
  return isLead(user, plan);
}

/**
 * The sections the user sees: every one for the lead; for an active body the ones shared with
 * it and those it broke the glass to; none for anyone else.
 */
export function visibleSections(
  user: CurrentUser | null,
  plan: PlanAccess,
  grants: BreakGlassGrants = [],
): Section[] {
  if (isLead(user, plan)) return [...SECTIONS];
  const body = bodyOf(user, plan);
  if (!body || !isActive(body)) return [];
  return SECTIONS.filter((s) => body.sharedSections.includes(s) || grants.includes(s));
}

/** Whether the user sees one section. */
export function maySeeSection(
  user: CurrentUser | null,
  plan: PlanAccess,
  section: Section,
  grants: BreakGlassGrants = [],
): boolean {
  return visibleSections(user, plan, grants).includes(section);
}

/**
 * Whether the user sees one action: the lead every action; an active body the actions it owns,
 * and every action when the plan section is shared with it (or broken into).
 */
export function maySeeAction(
  user: CurrentUser | null,
  plan: PlanAccess,
  action: { organisationId: string },
  grants: BreakGlassGrants = [],
): boolean {
  if (isLead(user, plan)) return true;
  const body = bodyOf(user, plan);
  if (!body || !isActive(body)) return false;
  return action.organisationId === body.organisationId || maySeeSection(user, plan, 'plan', grants);
}

/**
 * Who may change an action (status, outcome, description, due date): the lead, and the body that
 * owns it (while the plan is open: see `isOpenPlan`).
 */
export function mayUpdateAction(
  user: CurrentUser | null,
  plan: PlanAccess,
  action: { organisationId: string },
): boolean {
  if (isLead(user, plan)) return true;
  const body = bodyOf(user, plan);
  return !!body && isActive(body) && action.organisationId === body.organisationId;
}

/** Who may record a needs assessment: the lead, and an active body the assessment is shared with. */
export function mayRecordAssessment(user: CurrentUser | null, plan: PlanAccess): boolean {
  return isLead(user, plan) || maySeeSection(user, plan, 'assessment');
}

/** Whether a body may own an action: the lead body, or a body that accepted and still takes part. */
export function mayOwnAction(plan: PlanAccess, organisationId: string): boolean {
  if (organisationId === plan.leadOrganisationId) return true;
  const body = plan.bodies.find((b) => b.organisationId === organisationId);
  return !!body && isActive(body);
}

/**
 * Whether the user sees the person's address and contact details: anyone who may read the plan,
 * unless it is sensitive — then only the lead and bodies named in the plan.
 */
export function maySeeContactDetails(user: CurrentUser | null, plan: PlanAccess): boolean {
  if (!mayReadCasePlan(user, plan)) return false;
  if (!plan.sensitive || isLead(user, plan)) return true;
  return !!bodyOf(user, plan)?.named;
}

/**
 * Who may break the glass to a section not shared with their body: practitioners of an active
 * body. A body that has not accepted, declined or lost consent may not: an emergency does not
 * override a person's withdrawn consent (a safeguarding basis needs no consent to withdraw).
 */
export function mayBreakGlass(user: CurrentUser | null, plan: PlanAccess, section: Section) {
  if (isLead(user, plan)) return false;
  const body = bodyOf(user, plan);
  return !!body && isActive(body) && !body.sharedSections.includes(section);
}

/** Who may link a record of their own body to the plan: the lead and active bodies. */
export function mayLinkRecord(user: CurrentUser | null, plan: PlanAccess): boolean {
  return mayReadCasePlan(user, plan);
}

/** Whether a linked record shows to the user: the lead, its body, or bodies the links are shared with. */
export function maySeeLink(
  user: CurrentUser | null,
  plan: PlanAccess,
  link: { organisationId: string },
  grants: BreakGlassGrants = [],
): boolean {
  if (isLead(user, plan)) return true;
  const body = bodyOf(user, plan);
  if (!body || !isActive(body)) return false;
  return link.organisationId === body.organisationId || maySeeSection(user, plan, 'links', grants);
}

/** The person's own view: the signed-in person whose account the plan is about, for themselves. */
export function mayViewOwnPlan(
  user: CurrentUser | null,
  plan: { personAccountId: string | null },
): boolean {
  return (
    !!user &&
    user.kind === 'citizen' &&
    !user.actingFor &&
    plan.personAccountId !== null &&
    plan.personAccountId === user.id
  );
}

/** Whether the person is told about a body's part: consent always; safeguarding where marked safe. */
export function isShownToPerson(body: {
  state: BodyState;
  basis: Basis;
  basisShownToPerson: boolean;
}): boolean {
  return body.state === 'accepted' && (body.basis === 'consent' || body.basisShownToPerson);
}
