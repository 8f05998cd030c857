/**
 * Changes to case plans. Each command calls its policy first (refusing with 404-shaped
 * `notFound` errors where the user may not even know the plan exists), validates, changes,
 * writes the chronology event and the audit entry in the caller's transaction.
 */
import { randomBytes } from 'node:crypto';
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import { notFound, type FieldError, type Outcome } from '../../../platform/errors/errors.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import { findCitizenByEmail, findUserById, staffWithRoles } from '../../identity/index.js';
import { findOrganisationById } from '../../organisations/index.js';
import {
  ACTION_STATUSES,
  CLOSING_OUTCOMES,
  LINK_KINDS,
  MAX_SCORE,
  SECTIONS,
  type ActionStatus,
  type Basis,
  type CasePlanActionRow,
  type CasePlanRow,
  type ClosingOutcome,
  type LinkKind,
  type Section,
} from '../db/tables.js';
import {
  isActive,
  isLead,
  isOpenPlan,
  isPractitionerOf,
  mayAnswerInvitation,
  mayBreakGlass,
  mayClosePlan,
  mayLinkRecord,
  mayManageCasePlan,
  mayOpenCasePlan,
  mayOwnAction,
  mayReadCasePlan,
  mayRecordAssessment,
  mayUpdateAction,
  mayViewOwnPlan,
} from '../policies/caseplans.js';
import { day, type LoadedPlan } from '../queries/plans.js';
import { queueCasePlanMail } from './mail.js';
import { isUuid } from '../../../platform/validation/uuid.js';

// 32 characters, so a byte modulo 32 is unbiased; no 0/O or 1/I to misread on the phone.
const CHARACTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A new plan reference, `CP-` and 8 characters. */
export function newPlanReference(): string {
  return `CP-${[...randomBytes(8)].map((b) => CHARACTERS[b % CHARACTERS.length]).join('')}`;
}

/** How long a break-glass grant lasts. */
export const BREAK_GLASS_HOURS = 24;

const fail = (field: string, message: string): { ok: false; errors: FieldError[] } => ({
  ok: false,
  errors: [{ field, message }],
});

/**
 * What a command on a plan answers: `stale` when the record changed since the form was read and
 * `closed` when the plan was closed meanwhile — both a 409 for the page, nothing saved.
 */
export type PlanOutcome<T = Record<never, never>> = Outcome<T> & {
  stale?: boolean;
  closed?: boolean;
};

/**
 * Whether the plan is closed, as it stands in the transaction: the row is read `for share`, so a
 * change waits for a close being committed at the same moment and then sees it.
 */
async function closedNow(trx: Db, plan: LoadedPlan): Promise<boolean> {
  if (!isOpenPlan(plan.access)) return true;
  const row = await trx
    .selectFrom('case_plans')
    .select('state')
    .where('id', '=', plan.row.id)
    .forShare()
    .executeTakeFirst();
  return row?.state !== 'open';
}

/** The refusal of any change to a closed plan (it is read-only for everyone). */
function refuseClosed(): { ok: false; errors: FieldError[]; closed: true } {
  return { ...fail('closed', 'caseplans.errors.closed'), closed: true };
}

/** Appends a chronology entry (a section, so readers see only what is theirs to see). */
export async function recordEvent(
  trx: Db,
  plan: Pick<CasePlanRow, 'id'>,
  organisationId: string,
  section: Section,
  kind: string,
  summary: string,
  actorUserId: string | null,
): Promise<void> {
  await trx
    .insertInto('case_plan_events')
    .values({
      case_plan_id: plan.id,
      organisation_id: organisationId,
      section,
      kind,
      summary: summary.slice(0, 1000),
      actor_user_id: actorUserId,
    })
    .execute();
}

async function audit(
  trx: Db,
  actor: Actor,
  plan: CasePlanRow,
  action: string,
  details: Record<string, unknown> = {},
) {
  await recordAudit(trx, actor, {
    action: `caseplans.${action}`,
    resourceType: 'case_plan',
    resourceId: plan.id,
    subjectUserId: plan.person_account_id,
    details: { reference: plan.reference, ...details },
  });
}

/** What the lead types to open a plan. */
export interface NewCasePlan {
  kind: string;
  subject: string;
  personName: string;
  personDateOfBirth: string | null;
  personAddress: string;
  personContact: string;
  personEmail: string;
  leadProfessionalId: string;
  sensitive: boolean;
  summary: string;
}

/**
 * Opens a plan led by the user's body, with a named lead professional of that body. The person
 * is linked to their Joinedup account when the lead gives its e-mail address; otherwise the plan
 * holds only the name, date of birth and address the lead entered.
 */
export async function openCasePlan(
  trx: Db,
  user: CurrentUser,
  actor: Actor,
  input: NewCasePlan,
): Promise<Outcome<{ plan: CasePlanRow }>> {
  if (!mayOpenCasePlan(user) || !user.organisationId) throw notFound();
  const errors: FieldError[] = [];
  const kinds = await trx.selectFrom('case_plan_templates').select('kind').execute();
  if (!kinds.some((k) => k.kind === input.kind))
    errors.push({ field: 'kind', message: 'caseplans.errors.kind' });
  if (!['person', 'household'].includes(input.subject))
    errors.push({ field: 'subject', message: 'caseplans.errors.subject' });
  if (!input.personName || input.personName.length > 200)
    errors.push({ field: 'personName', message: 'caseplans.errors.personName' });
  if (input.personAddress.length > 500)
    errors.push({ field: 'personAddress', message: 'caseplans.errors.tooLong' });
  if (input.personContact.length > 200)
    errors.push({ field: 'personContact', message: 'caseplans.errors.tooLong' });
  if (input.summary.length > 5000)
    errors.push({ field: 'summary', message: 'caseplans.errors.tooLong' });
  let accountId: string | null = null;
  if (input.personEmail) {
    const person = await findCitizenByEmail(trx, input.personEmail);
    if (!person || person.deleted_at)
      errors.push({ field: 'personEmail', message: 'caseplans.errors.personEmail' });
    else accountId = person.id;
  }
  const colleagues = await staffWithRoles(trx, user.organisationId, ['caseworker', 'team-leader']);
  if (!colleagues.some((c) => c.id === input.leadProfessionalId))
    errors.push({ field: 'leadProfessionalId', message: 'caseplans.errors.leadProfessional' });
  if (errors.length) return { ok: false, errors };
  const plan = await trx
    .insertInto('case_plans')
    .values({
      reference: newPlanReference(),
      kind: input.kind,
      subject: input.subject as 'person' | 'household',
      lead_organisation_id: user.organisationId,
      lead_professional_id: input.leadProfessionalId,
      person_account_id: accountId,
      person_name: input.personName,
      person_date_of_birth: input.personDateOfBirth,
      person_address: input.personAddress || null,
      person_contact: input.personContact || null,
      sensitive: input.sensitive,
      summary: input.summary,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordEvent(
    trx,
    plan,
    user.organisationId,
    'chronology',
    'opened',
    'Case plan opened',
    user.id,
  );
  await audit(trx, actor, plan, 'plan.opened', { kind: plan.kind, sensitive: plan.sensitive });
  return { ok: true, plan };
}

/** The lead's invitation of a body, with the lawful basis for sharing with it. */
export interface Invitation {
  organisationId: string;
  basis: string;
  basisDetail: string;
  basisShownToPerson: boolean;
  /** For a consent basis: the lead confirms the person's consent was given. */
  consentConfirmed: boolean;
  named: boolean;
  sections: string[];
}

/** Sections from a form, keeping only real ones. */
export function sectionsOf(values: readonly string[]): Section[] {
  return SECTIONS.filter((s) => values.includes(s));
}

/**
 * The lead invites a body (any organisation on the platform) to take part, recording the lawful
 * basis: consent (which the lead confirms was given) or a safeguarding duty that needs none. The
 * body's practitioners are told by e-mail; it sees nothing until it accepts.
 */
export async function inviteBody(
  trx: Db,
  user: CurrentUser,
  actor: Actor,
  plan: LoadedPlan,
  input: Invitation,
): Promise<PlanOutcome> {
  if (!mayManageCasePlan(user, plan.access)) throw notFound();
  if (await closedNow(trx, plan)) return refuseClosed();
  const errors: FieldError[] = [];
  const body = input.organisationId
    ? await findOrganisationById(trx, input.organisationId).catch(() => undefined)
    : undefined;
  if (!body) errors.push({ field: 'organisationId', message: 'caseplans.errors.organisation' });
  else if (body.id === plan.row.lead_organisation_id)
    errors.push({ field: 'organisationId', message: 'caseplans.errors.organisationIsLead' });
  else if (plan.bodies.some((b) => b.organisation_id === body.id && b.state !== 'declined'))
    errors.push({ field: 'organisationId', message: 'caseplans.errors.alreadyInvited' });
  if (input.basis !== 'consent' && input.basis !== 'safeguarding')
    errors.push({ field: 'basis', message: 'caseplans.errors.basis' });
  if (!input.basisDetail || input.basisDetail.length > 300)
    errors.push({ field: 'basisDetail', message: 'caseplans.errors.basisDetail' });
  if (input.basis === 'consent' && !input.consentConfirmed)
    errors.push({ field: 'consentConfirmed', message: 'caseplans.errors.consentConfirmed' });
  if (errors.length || !body) return { ok: false, errors };
  const now = new Date();
  const values = {
    state: 'invited' as const,
    basis: input.basis as Basis,
    basis_detail: input.basisDetail,
    // Consent is always shown to the person: it is theirs.
    basis_shown_to_person: input.basis === 'consent' ? true : input.basisShownToPerson,
    consent_given_at: input.basis === 'consent' ? now : null,
    consent_withdrawn_at: null,
    named: input.named,
    shared_sections: sectionsOf(input.sections),
    invited_at: now,
    invited_by: user.id,
    responded_at: null,
    responded_by: null,
  };
  await trx
    .insertInto('case_plan_bodies')
    .values({ case_plan_id: plan.row.id, organisation_id: body.id, ...values })
    .onConflict((oc) => oc.columns(['case_plan_id', 'organisation_id']).doUpdateSet(values))
    .execute();
  await recordEvent(
    trx,
    plan.row,
    plan.row.lead_organisation_id,
    'chronology',
    'invited',
    `${body.name} invited to take part`,
    user.id,
  );
  await audit(trx, actor, plan.row, 'body.invited', {
    organisationId: body.id,
    basis: input.basis,
    basisDetail: input.basisDetail,
    sections: values.shared_sections,
  });
  const lead = await findOrganisationById(trx, plan.row.lead_organisation_id);
  const to = (await staffWithRoles(trx, body.id, ['caseworker', 'team-leader'])).map(
    (s) => s.email,
  );
  await queueCasePlanMail(
    trx,
    'invited',
    to,
    { reference: plan.row.reference, lead: lead?.name ?? '' },
    `caseplans:invited:${plan.row.id}:${body.id}:${now.getTime()}`,
  );
  return { ok: true };
}

/** A practitioner of an invited body accepts or declines; the lead professional is told. */
export async function answerInvitation(
  trx: Db,
  user: CurrentUser,
  actor: Actor,
  plan: LoadedPlan,
  answer: string,
): Promise<PlanOutcome> {
  if (!mayAnswerInvitation(user, plan.access) || !user.organisationId) throw notFound();
  if (await closedNow(trx, plan)) return refuseClosed();
  if (answer !== 'accept' && answer !== 'decline') return fail('answer', 'caseplans.errors.answer');
  const state = answer === 'accept' ? 'accepted' : 'declined';
  await trx
    .updateTable('case_plan_bodies')
    .set({ state, responded_at: new Date(), responded_by: user.id })
    .where('case_plan_id', '=', plan.row.id)
    .where('organisation_id', '=', user.organisationId)
    .where('state', '=', 'invited')
    .execute();
  const body = await findOrganisationById(trx, user.organisationId);
  await recordEvent(
    trx,
    plan.row,
    user.organisationId,
    'chronology',
    state,
    `${body?.name ?? ''} ${state} the invitation`,
    user.id,
  );
  await audit(trx, actor, plan.row, `body.${state}`, { organisationId: user.organisationId });
  const lead = await findUserById(trx, plan.row.lead_professional_id);
  if (lead)
    await queueCasePlanMail(
      trx,
      'answered',
      [lead.email],
      { reference: plan.row.reference, body: body?.name ?? '', answer: state },
      `caseplans:answered:${plan.row.id}:${user.organisationId}:${Date.now()}`,
    );
  return { ok: true };
}

/**
 * The lead decides which sections a body sees and whether it is named in the plan (named bodies
 * see a sensitive case's address and contact details). Takes effect on the body's next request.
 */
export async function setSharing(
  trx: Db,
  user: CurrentUser,
  actor: Actor,
  plan: LoadedPlan,
  organisationId: string,
  sections: readonly string[],
  named: boolean,
): Promise<PlanOutcome> {
  if (!mayManageCasePlan(user, plan.access)) throw notFound();
  if (await closedNow(trx, plan)) return refuseClosed();
  if (!plan.bodies.some((b) => b.organisation_id === organisationId))
    return fail('organisationId', 'caseplans.errors.notInPlan');
  const shared = sectionsOf(sections);
  await trx
    .updateTable('case_plan_bodies')
    .set({ shared_sections: shared, named })
    .where('case_plan_id', '=', plan.row.id)
    .where('organisation_id', '=', organisationId)
    .execute();
  await audit(trx, actor, plan.row, 'body.sharing-changed', {
    organisationId,
    sections: shared,
    named,
  });
  return { ok: true };
}

/**
 * The person's consent to sharing with a body is withdrawn — recorded by the lead, or by the
 * person on their own page. The body loses access at once (its next request is a 404).
 * A safeguarding basis has no consent to withdraw.
 */
export async function withdrawConsent(
  trx: Db,
  user: CurrentUser,
  actor: Actor,
  plan: LoadedPlan,
  organisationId: string,
): Promise<Outcome<Record<never, never>>> {
  const byPerson = mayViewOwnPlan(user, { personAccountId: plan.row.person_account_id });
  if (!byPerson && !mayManageCasePlan(user, plan.access)) throw notFound();
  const body = plan.bodies.find((b) => b.organisation_id === organisationId);
  if (!body || body.basis !== 'consent' || body.consent_withdrawn_at)
    return fail('organisationId', 'caseplans.errors.noConsent');
  await trx
    .updateTable('case_plan_bodies')
    .set({ consent_withdrawn_at: new Date() })
    .where('case_plan_id', '=', plan.row.id)
    .where('organisation_id', '=', organisationId)
    .execute();
  // Its break-glass grants end with it.
  await trx
    .deleteFrom('case_plan_break_glass')
    .where('case_plan_id', '=', plan.row.id)
    .where('organisation_id', '=', organisationId)
    .execute();
  await recordEvent(
    trx,
    plan.row,
    plan.row.lead_organisation_id,
    'chronology',
    'consent-withdrawn',
    'Consent to share with a body withdrawn',
    user.id,
  );
  await audit(trx, actor, plan.row, 'body.consent-withdrawn', { organisationId, byPerson });
  const lead = await findUserById(trx, plan.row.lead_professional_id);
  if (lead && byPerson)
    await queueCasePlanMail(
      trx,
      'consent-withdrawn',
      [lead.email],
      { reference: plan.row.reference },
      `caseplans:withdrawn:${plan.row.id}:${organisationId}`,
    );
  return { ok: true };
}

/** The lead flags a plan sensitive (or not): address and contact details then go to named bodies only. */
export async function setSensitive(
  trx: Db,
  user: CurrentUser,
  actor: Actor,
  plan: LoadedPlan,
  sensitive: boolean,
): Promise<PlanOutcome> {
  if (!mayManageCasePlan(user, plan.access)) throw notFound();
  if (await closedNow(trx, plan)) return refuseClosed();
  await trx.updateTable('case_plans').set({ sensitive }).where('id', '=', plan.row.id).execute();
  await audit(trx, actor, plan.row, 'plan.sensitivity-changed', { sensitive });
  return { ok: true };
}

/** The lead withholds a section from the person's own view with a reason, or shows it again (no reason). */
export async function withholdSection(
  trx: Db,
  user: CurrentUser,
  actor: Actor,
  plan: LoadedPlan,
  section: string,
  withhold: boolean,
  reason: string,
): Promise<PlanOutcome> {
  if (!mayManageCasePlan(user, plan.access)) throw notFound();
  if (await closedNow(trx, plan)) return refuseClosed();
  const [known] = sectionsOf([section]);
  if (!known) return fail('section', 'caseplans.errors.section');
  if (!withhold) {
    await trx
      .deleteFrom('case_plan_withheld')
      .where('case_plan_id', '=', plan.row.id)
      .where('section', '=', known)
      .execute();
  } else {
    if (!reason || reason.length > 1000) return fail('reason', 'caseplans.errors.withholdReason');
    await trx
      .insertInto('case_plan_withheld')
      .values({ case_plan_id: plan.row.id, section: known, reason, recorded_by: user.id })
      .onConflict((oc) =>
        oc
          .columns(['case_plan_id', 'section'])
          .doUpdateSet({ reason, recorded_by: user.id, recorded_at: new Date() }),
      )
      .execute();
  }
  await audit(trx, actor, plan.row, withhold ? 'plan.section-withheld' : 'plan.section-shown', {
    section: known,
    reason,
  });
  return { ok: true };
}

/**
 * Emergency access ("break glass") to a section not shared with the user's body: refused
 * without a reason of at least 10 characters; granted to this user for 24 hours, audited as a
 * read with the reason (the person sees it in their access log), and the lead professional is
 * e-mailed at once.
 */
export async function breakGlass(
  trx: Db,
  user: CurrentUser,
  actor: Actor,
  plan: LoadedPlan,
  section: string,
  reason: string,
  now = new Date(),
): Promise<Outcome<{ section: Section }>> {
  const [known] = sectionsOf([section]);
  if (!mayReadCasePlan(user, plan.access) || !user.organisationId) throw notFound();
  if (!known || !mayBreakGlass(user, plan.access, known))
    return fail('section', 'caseplans.errors.section');
  if (reason.length < 10 || reason.length > 1000)
    return fail('reason', 'caseplans.errors.breakGlassReason');
  await trx
    .insertInto('case_plan_break_glass')
    .values({
      case_plan_id: plan.row.id,
      organisation_id: user.organisationId,
      user_id: user.id,
      section: known,
      reason,
      granted_at: now,
      expires_at: new Date(now.getTime() + BREAK_GLASS_HOURS * 3600_000),
    })
    .execute();
  const body = await findOrganisationById(trx, user.organisationId);
  await recordEvent(
    trx,
    plan.row,
    plan.row.lead_organisation_id,
    'chronology',
    'break-glass',
    `Emergency access to ${known} by ${body?.name ?? ''}`,
    user.id,
  );
  await audit(trx, actor, plan.row, 'plan.viewed_break_glass', {
    section: known,
    accessReason: 'break-glass',
    accessReasonDetails: reason,
  });
  const lead = await findUserById(trx, plan.row.lead_professional_id);
  if (lead)
    await queueCasePlanMail(
      trx,
      'break-glass',
      [lead.email],
      {
        reference: plan.row.reference,
        body: body?.name ?? '',
        who: user.displayName,
        section: known,
        reason,
      },
      `caseplans:break-glass:${plan.row.id}:${user.id}:${now.getTime()}`,
    );
  return { ok: true, section: known };
}

/**
 * A needs assessment against the plan's template: a score 0–4 for every domain, dated. Earlier
 * assessments are kept, so the plan shows progress.
 */
export async function recordAssessment(
  trx: Db,
  user: CurrentUser,
  actor: Actor,
  plan: LoadedPlan,
  input: { assessedOn: string | null; scores: Record<string, string>; notes: string },
): Promise<PlanOutcome> {
  if (!mayReadCasePlan(user, plan.access) || !user.organisationId) throw notFound();
  if (!mayRecordAssessment(user, plan.access)) throw notFound();
  if (await closedNow(trx, plan)) return refuseClosed();
  const template = await trx
    .selectFrom('case_plan_templates')
    .select('domains')
    .where('kind', '=', plan.row.kind)
    .executeTakeFirstOrThrow();
  const errors: FieldError[] = [];
  if (!input.assessedOn) errors.push({ field: 'assessedOn', message: 'caseplans.errors.date' });
  const scores: Record<string, number> = {};
  for (const domain of template.domains) {
    const text = input.scores[domain] ?? '';
    const score = /^\d$/.test(text) ? Number(text) : NaN;
    if (!(score >= 0 && score <= MAX_SCORE))
      errors.push({ field: `score-${domain}`, message: 'caseplans.errors.score' });
    else scores[domain] = score;
  }
  if (input.notes.length > 5000)
    errors.push({ field: 'notes', message: 'caseplans.errors.tooLong' });
  if (errors.length || !input.assessedOn) return { ok: false, errors };
  await trx
    .insertInto('case_plan_assessments')
    .values({
      case_plan_id: plan.row.id,
      organisation_id: user.organisationId,
      assessed_on: input.assessedOn,
      assessed_by: user.id,
      scores: JSON.stringify(scores),
      notes: input.notes,
    })
    .execute();
  const total = Object.values(scores).reduce((a, b) => a + b, 0);
  await recordEvent(
    trx,
    plan.row,
    user.organisationId,
    'assessment',
    'assessed',
    `Needs assessed: total ${total}`,
    user.id,
  );
  await audit(trx, actor, plan.row, 'assessment.recorded', { assessedOn: input.assessedOn });
  return { ok: true };
}

/** A new action in the shared plan. */
export interface NewAction {
  organisationId: string;
  description: string;
  responsible: string;
  dueOn: string | null;
}

/**
 * The lead adds an action owned by a body in the plan: the lead body or one that accepted and
 * still takes part. An action for any other body is refused with a clear error.
 */
export async function addAction(
  trx: Db,
  user: CurrentUser,
  actor: Actor,
  plan: LoadedPlan,
  input: NewAction,
): Promise<PlanOutcome<{ actionId: string }>> {
  if (!mayManageCasePlan(user, plan.access)) throw notFound();
  if (await closedNow(trx, plan)) return refuseClosed();
  const errors: FieldError[] = [];
  if (!mayOwnAction(plan.access, input.organisationId))
    errors.push({ field: 'owner', message: 'caseplans.errors.ownerNotInPlan' });
  if (!input.description || input.description.length > 1000)
    errors.push({ field: 'description', message: 'caseplans.errors.description' });
  if (!input.responsible || input.responsible.length > 200)
    errors.push({ field: 'responsible', message: 'caseplans.errors.responsible' });
  if (!input.dueOn) errors.push({ field: 'dueOn', message: 'caseplans.errors.date' });
  if (errors.length || !input.dueOn) return { ok: false, errors };
  const action = await trx
    .insertInto('case_plan_actions')
    .values({
      case_plan_id: plan.row.id,
      organisation_id: input.organisationId,
      description: input.description,
      responsible: input.responsible,
      due_on: input.dueOn,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordEvent(
    trx,
    plan.row,
    input.organisationId,
    'plan',
    'action-added',
    `Action added: ${input.description}`,
    user.id,
  );
  await audit(trx, actor, plan.row, 'action.added', {
    actionId: action.id,
    organisationId: input.organisationId,
  });
  return { ok: true, actionId: action.id };
}

/**
 * An action of the plan the user may change (the lead's, or one their body owns), or a 404 as if
 * there were none.
 */
export async function actionToChange(
  db: Db,
  user: CurrentUser,
  plan: LoadedPlan,
  actionId: string,
): Promise<CasePlanActionRow> {
  if (!mayReadCasePlan(user, plan.access)) throw notFound();
  const action = isUuid(actionId)
    ? await db
        .selectFrom('case_plan_actions')
        .selectAll()
        .where('id', '=', actionId)
        .where('case_plan_id', '=', plan.row.id)
        .executeTakeFirst()
    : undefined;
  if (!action || !mayUpdateAction(user, plan.access, { organisationId: action.organisation_id }))
    throw notFound();
  return action;
}

/**
 * The owning body (or the lead) updates an action's status and outcome. The form carries the
 * version it was read at; if someone changed the action since, nothing is saved and the
 * outcome says so (`stale`), for a 409 re-render.
 */
export async function updateAction(
  trx: Db,
  user: CurrentUser,
  actor: Actor,
  plan: LoadedPlan,
  actionId: string,
  input: { status: string; outcome: string; version: number },
  today: string,
): Promise<PlanOutcome> {
  const action = await actionToChange(trx, user, plan, actionId);
  if (await closedNow(trx, plan)) return refuseClosed();
  if (!(ACTION_STATUSES as readonly string[]).includes(input.status))
    return fail('status', 'caseplans.errors.status');
  if (input.outcome.length > 2000) return fail('outcome', 'caseplans.errors.tooLong');
  const status = input.status as ActionStatus;
  const updated = await trx
    .updateTable('case_plan_actions')
    .set({
      status,
      outcome: input.outcome,
      completed_on:
        status === 'done' ? (action.completed_on ? day(action.completed_on) : today) : null,
      version: action.version + 1,
      updated_at: new Date(),
    })
    .where('id', '=', action.id)
    .where('version', '=', input.version)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0)
    return { ...fail('version', 'caseplans.errors.stale'), stale: true };
  await recordEvent(
    trx,
    plan.row,
    action.organisation_id,
    'plan',
    'action-updated',
    `Action ${status}: ${action.description}`,
    user.id,
  );
  await audit(trx, actor, plan.row, 'action.updated', { actionId: action.id, status });
  return { ok: true };
}

/** What an edit of an action changes, and the version the form was read at. */
export interface ActionEdit {
  description: string;
  dueOn: string | null;
  version: number;
}

/**
 * The owning body (or the lead) corrects an action's description or moves its due date. A
 * finished action (done or cancelled) is not edited: its due date is what "done on time" is
 * measured against, so it is reopened (its status changed) first. The form carries the version
 * it was read at; a stale edit saves nothing (`stale`, for a 409 re-render).
 */
export async function editAction(
  trx: Db,
  user: CurrentUser,
  actor: Actor,
  plan: LoadedPlan,
  actionId: string,
  input: ActionEdit,
): Promise<PlanOutcome> {
  const action = await actionToChange(trx, user, plan, actionId);
  if (await closedNow(trx, plan)) return refuseClosed();
  if (action.version !== input.version)
    return { ...fail('version', 'caseplans.errors.stale'), stale: true };
  if (action.status === 'done' || action.status === 'cancelled')
    return fail('description', 'caseplans.errors.actionFinished');
  const errors: FieldError[] = [];
  if (!input.description || input.description.length > 1000)
    errors.push({ field: 'description', message: 'caseplans.errors.description' });
  if (!input.dueOn) errors.push({ field: 'dueOn', message: 'caseplans.errors.date' });
  if (errors.length || !input.dueOn) return { ok: false, errors };
  const before = { description: action.description, dueOn: day(action.due_on) };
  if (before.description === input.description && before.dueOn === input.dueOn) return { ok: true };
  const updated = await trx
    .updateTable('case_plan_actions')
    .set({
      description: input.description,
      due_on: input.dueOn,
      version: action.version + 1,
      updated_at: new Date(),
    })
    .where('id', '=', action.id)
    .where('version', '=', input.version)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0)
    return { ...fail('version', 'caseplans.errors.stale'), stale: true };
  const moved = before.dueOn !== input.dueOn;
  await recordEvent(
    trx,
    plan.row,
    action.organisation_id,
    'plan',
    'action-edited',
    moved
      ? `Action edited, due ${before.dueOn} now ${input.dueOn}: ${input.description}`
      : `Action edited: ${input.description}`,
    user.id,
  );
  await audit(trx, actor, plan.row, 'action.edited', {
    actionId: action.id,
    before,
    after: { description: input.description, dueOn: input.dueOn },
  });
  return { ok: true };
}

/** The lead records a case conference: date, who attended, minutes and decisions. */
export async function addConference(
  trx: Db,
  user: CurrentUser,
  actor: Actor,
  plan: LoadedPlan,
  input: { heldOn: string | null; attendees: string; minutes: string; decisions: string },
): Promise<PlanOutcome> {
  if (!mayManageCasePlan(user, plan.access)) throw notFound();
  if (await closedNow(trx, plan)) return refuseClosed();
  const errors: FieldError[] = [];
  if (!input.heldOn) errors.push({ field: 'heldOn', message: 'caseplans.errors.date' });
  if (!input.attendees || input.attendees.length > 2000)
    errors.push({ field: 'attendees', message: 'caseplans.errors.attendees' });
  if (!input.minutes || input.minutes.length > 20000)
    errors.push({ field: 'minutes', message: 'caseplans.errors.minutes' });
  if (input.decisions.length > 5000)
    errors.push({ field: 'decisions', message: 'caseplans.errors.tooLong' });
  if (errors.length || !input.heldOn) return { ok: false, errors };
  await trx
    .insertInto('case_plan_conferences')
    .values({
      case_plan_id: plan.row.id,
      held_on: input.heldOn,
      attendees: input.attendees,
      minutes: input.minutes,
      decisions: input.decisions,
      recorded_by: user.id,
    })
    .execute();
  await recordEvent(
    trx,
    plan.row,
    plan.row.lead_organisation_id,
    'conferences',
    'conference',
    `Case conference held on ${input.heldOn}`,
    user.id,
  );
  await audit(trx, actor, plan.row, 'conference.recorded', { heldOn: input.heldOn });
  return { ok: true };
}

/** How the lead closes a plan: an outcome from the list and a reason the person will read. */
export interface Closing {
  outcome: string;
  reason: string;
}

/**
 * The lead closes the plan with an outcome and a reason. From then on it is read-only for every
 * body (every command refuses it); pending invitations lapse; the person sees the outcome and
 * the reason on their page, and the practitioners of the bodies taking part are e-mailed (the
 * reference only).
 */
export async function closePlan(
  trx: Db,
  user: CurrentUser,
  actor: Actor,
  plan: LoadedPlan,
  input: Closing,
  now = new Date(),
): Promise<PlanOutcome> {
  if (!mayManageCasePlan(user, plan.access)) throw notFound();
  if (!mayClosePlan(user, plan.access)) return refuseClosed();
  const errors: FieldError[] = [];
  if (!(CLOSING_OUTCOMES as readonly string[]).includes(input.outcome))
    errors.push({ field: 'outcome', message: 'caseplans.errors.closingOutcome' });
  if (!input.reason || input.reason.length > 1000)
    errors.push({ field: 'reason', message: 'caseplans.errors.closingReason' });
  if (errors.length) return { ok: false, errors };
  const closed = await trx
    .updateTable('case_plans')
    .set({
      state: 'closed',
      closed_at: now,
      closed_outcome: input.outcome as ClosingOutcome,
      closed_reason: input.reason,
      closed_by: user.id,
    })
    .where('id', '=', plan.row.id)
    .where('state', '=', 'open')
    .executeTakeFirst();
  // Closed by a colleague between the page and the click.
  if (Number(closed.numUpdatedRows) === 0) return refuseClosed();
  await recordEvent(
    trx,
    plan.row,
    plan.row.lead_organisation_id,
    'chronology',
    'closed',
    `Case plan closed: ${input.outcome}`,
    user.id,
  );
  await audit(trx, actor, plan.row, 'plan.closed', {
    outcome: input.outcome,
    reason: input.reason,
  });
  const lead = await findOrganisationById(trx, plan.row.lead_organisation_id);
  const taking = plan.access.bodies.filter(isActive).map((b) => b.organisationId);
  const to = (
    await Promise.all(taking.map((id) => staffWithRoles(trx, id, ['caseworker', 'team-leader'])))
  ).flatMap((list) => list.map((s) => s.email));
  await queueCasePlanMail(
    trx,
    'closed',
    to,
    { reference: plan.row.reference, lead: lead?.name ?? '' },
    `caseplans:closed:${plan.row.id}`,
  );
  return { ok: true };
}

/**
 * A body links one of the person's records it holds — an application, a casework case, a
 * tell-us-once change — by reference; it is resolved when shown, never copied. The record
 * must be the body's own and about the person (checked by the caller through the owning module).
 */
export async function linkRecord(
  trx: Db,
  user: CurrentUser,
  actor: Actor,
  plan: LoadedPlan,
  input: { kind: string; reference: string },
  belongsToBody: (kind: LinkKind, reference: string, organisationId: string) => Promise<boolean>,
): Promise<PlanOutcome> {
  if (!mayLinkRecord(user, plan.access) || !user.organisationId) throw notFound();
  if (await closedNow(trx, plan)) return refuseClosed();
  if (!(LINK_KINDS as readonly string[]).includes(input.kind))
    return fail('kind', 'caseplans.errors.linkKind');
  const kind = input.kind as LinkKind;
  const reference = input.reference.toUpperCase();
  if (!reference || !(await belongsToBody(kind, reference, user.organisationId)))
    return fail('reference', 'caseplans.errors.linkReference');
  await trx
    .insertInto('case_plan_links')
    .values({
      case_plan_id: plan.row.id,
      organisation_id: user.organisationId,
      kind,
      reference,
      linked_by: user.id,
    })
    .onConflict((oc) => oc.columns(['case_plan_id', 'kind', 'reference']).doNothing())
    .execute();
  await recordEvent(
    trx,
    plan.row,
    user.organisationId,
    'links',
    'linked',
    `Linked ${kind} ${reference}`,
    user.id,
  );
  await audit(trx, actor, plan.row, 'link.added', { kind, linked: reference });
  return { ok: true };
}

/**
 * Audits a staff read of a plan (the person sees it in their access log and on their plan page).
 * Called by every page that shows a plan to staff, with the sections shown and the linked
 * records it resolved and showed (`"change TUO-…"`, `"submission JU-…"`).
 */
export async function auditRead(
  db: Db,
  user: CurrentUser,
  actor: Actor,
  plan: LoadedPlan,
  what: string,
  sections: readonly Section[],
  linked: readonly string[] = [],
): Promise<void> {
  if (!isLead(user, plan.access) && !isPractitionerOf(user, user.organisationId ?? '')) return;
  await audit(db, actor, plan.row, `plan.viewed`, {
    page: what,
    sections,
    ...(linked.length ? { linked } : {}),
  });
}
