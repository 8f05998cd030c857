/**
 * The staff pages at /staff/case-plans: the plans of my body, opening one, the plan page (every
 * open audited as a read, showing only what the policies allow), the lead's invitations and
 * sharing decisions, answering an invitation, assessments, actions (stale edits refused with
 * 409), conferences, links, the chronology, break glass and closing the plan (after which every
 * change is refused with 409).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound, type FieldError } from '../../../../platform/errors/errors.js';
import { errorView, formText } from '../../../../platform/http/forms.js';
import type { Db } from '../../../../platform/db/database.js';
import type { AppContext, CurrentUser } from '../../../../platform/http/types.js';
import { ukToday } from '../../../../platform/validation/validators.js';
import { requireSignIn, staffWithRoles } from '../../../identity/index.js';
import { listOrganisations, listOrganisationsByIds } from '../../../organisations/index.js';
import {
  actionToChange,
  addAction,
  addConference,
  answerInvitation,
  auditRead,
  breakGlass,
  closePlan,
  editAction,
  inviteBody,
  linkRecord,
  openCasePlan,
  recordAssessment,
  setSensitive,
  setSharing,
  updateAction,
  withdrawConsent,
  withholdSection,
} from '../../commands/plans.js';
import {
  ACTION_STATUSES,
  CLOSING_OUTCOMES,
  LINK_KINDS,
  SECTIONS,
  type CasePlanActionRow,
  type Section,
} from '../../db/tables.js';
import {
  bodyOf,
  isLead,
  isOpenPlan,
  mayAnswerInvitation,
  mayClosePlan,
  mayOpenCasePlan,
  mayReadCasePlan,
  mayRecordAssessment,
  mayUpdateAction,
} from '../../policies/caseplans.js';
import {
  chronologyPage,
  day,
  grantsOf,
  loadPlan,
  planViewFor,
  plansOfBody,
  templates,
  withheldOf,
  type LoadedPlan,
} from '../../queries/plans.js';
import { actorOf, formDate, linkResolver, listOf, resolveLink } from '../shared.js';

const VIEWS = 'modules/caseplans/pages/staff';

/** The linked records a plan page shows, named in its read's audit entry. */
const linkedOf = (page: { links: { kind: string; reference: string }[] }) =>
  page.links.map((l) => `${l.kind} ${l.reference}`);

type Outcomeish =
  { ok: true } | { ok: false; errors: FieldError[]; stale?: boolean; closed?: boolean };

export function staffCasePlanRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;

  /** A signed-in practitioner, or 404. */
  function practitioner(request: FastifyRequest, reply: FastifyReply): CurrentUser | null {
    const user = requireSignIn(request, reply);
    if (!user) return null;
    if (!mayOpenCasePlan(user)) throw notFound();
    return user;
  }

  /** The plan, if the user may read it; 404 otherwise (as if there were none). */
  async function readable(user: CurrentUser, reference: string): Promise<LoadedPlan> {
    const plan = await loadPlan(db, reference);
    if (!plan || !mayReadCasePlan(user, plan.access)) throw notFound();
    return plan;
  }

  async function bodyNames(ids: string[]) {
    return new Map(
      (await listOrganisationsByIds(db, [...new Set(ids)])).map((o) => [o.id, o.name]),
    );
  }

  /** The plan page, with what this user may see (the caller audits the read). */
  async function planPage(
    user: CurrentUser,
    plan: LoadedPlan,
    extra: Record<string, unknown> = {},
  ) {
    const grants = await grantsOf(db, plan.row.id, user.id, new Date());
    const view = await planViewFor(db, user, plan, grants);
    const lead = isLead(user, plan.access);
    // A closed plan is read-only: its pages show no forms.
    const open = isOpenPlan(plan.access);
    const template = (await templates(db)).find((t) => t.kind === plan.row.kind);
    const names = await bodyNames([
      plan.row.lead_organisation_id,
      ...plan.bodies.map((b) => b.organisation_id),
      ...view.actions.map((a) => a.organisation_id),
    ]);
    const activeOwners = [
      plan.row.lead_organisation_id,
      ...plan.bodies
        .filter((b) => b.state === 'accepted' && !(b.basis === 'consent' && b.consent_withdrawn_at))
        .map((b) => b.organisation_id),
    ];
    const links = await Promise.all(
      view.links.map(async (l) => ({
        ...l,
        resolved: await resolveLink(db, l, plan.row.person_account_id),
      })),
    );
    return {
      plan: plan.row,
      dateOfBirth: plan.row.person_date_of_birth ? day(plan.row.person_date_of_birth) : '',
      view,
      links,
      lead,
      open,
      mayClose: mayClosePlan(user, plan.access),
      own: bodyOf(user, plan.access),
      bodies: plan.bodies.map((b) => ({ ...b, name: names.get(b.organisation_id) ?? '' })),
      leadName: names.get(plan.row.lead_organisation_id) ?? '',
      names: Object.fromEntries(names),
      domains: template?.domains ?? [],
      assessments: view.assessments.map((a) => ({ ...a, on: day(a.assessed_on) })),
      actions: view.actions.map((a) => ({
        ...a,
        due: day(a.due_on),
        mayUpdate:
          open && mayUpdateAction(user, plan.access, { organisationId: a.organisation_id }),
      })),
      conferences: view.conferences.map((c) => ({ ...c, on: day(c.held_on) })),
      owners: activeOwners.map((id) => ({ value: id, text: names.get(id) ?? id })),
      allBodies: lead
        ? (await listOrganisations(db))
            .filter((o) => o.id !== plan.row.lead_organisation_id)
            .map((o) => ({ value: o.id, text: o.name }))
        : [],
      withheld: lead ? await withheldOf(db, plan.row.id) : [],
      mayAssess: open && mayRecordAssessment(user, plan.access),
      hidden: SECTIONS.filter((s) => !view.sections.includes(s)),
      sections: SECTIONS,
      statuses: ACTION_STATUSES,
      linkKinds: LINK_KINDS,
      ...extra,
    };
  }

  app.get('/staff/case-plans', async (request, reply) => {
    const user = practitioner(request, reply);
    if (!user) return reply;
    const rows = await plansOfBody(db, user.organisationId!);
    const names = await bodyNames(rows.map((r) => r.lead_organisation_id));
    return reply.view(`${VIEWS}/list.njk`, {
      rows: rows.map((r) => {
        const leads = r.lead_organisation_id === user.organisationId;
        const active =
          leads ||
          (r.body_state === 'accepted' && !(r.basis === 'consent' && r.consent_withdrawn_at));
        return {
          reference: r.reference,
          kind: r.kind,
          lead: names.get(r.lead_organisation_id) ?? '',
          leads,
          // The person's name only to those who may read the plan.
          person: active ? r.person_name : '',
          status: leads
            ? 'lead'
            : r.consent_withdrawn_at
              ? 'withdrawn'
              : (r.body_state ?? 'invited'),
          closed: r.state === 'closed',
          // An invitation lapses when the plan is closed.
          href: active
            ? `/staff/case-plans/${r.reference}`
            : r.body_state === 'invited' && r.state === 'open'
              ? `/staff/case-plans/${r.reference}/invitation`
              : null,
        };
      }),
    });
  });

  async function newPage(
    user: CurrentUser,
    values: Record<string, unknown>,
    errors: FieldError[] = [],
    t?: FastifyRequest['t'],
  ) {
    return {
      kinds: await templates(db),
      colleagues: await staffWithRoles(db, user.organisationId!, ['caseworker', 'team-leader']),
      values,
      ...(t ? errorView(errors, t) : {}),
    };
  }

  app.get('/staff/case-plans/new', async (request, reply) => {
    const user = practitioner(request, reply);
    if (!user) return reply;
    return reply.view(`${VIEWS}/new.njk`, await newPage(user, { leadProfessionalId: user.id }));
  });

  app.post('/staff/case-plans/new', async (request, reply) => {
    const user = practitioner(request, reply);
    if (!user) return reply;
    const b = request.body;
    const values = {
      kind: formText(b, 'kind'),
      subject: formText(b, 'subject') || 'person',
      personName: formText(b, 'personName'),
      personDateOfBirth: formDate(b, 'dob'),
      personAddress: formText(b, 'personAddress'),
      personContact: formText(b, 'personContact'),
      personEmail: formText(b, 'personEmail'),
      leadProfessionalId: formText(b, 'leadProfessionalId'),
      sensitive: formText(b, 'sensitive') === 'yes',
      summary: formText(b, 'summary'),
    };
    const outcome = await db
      .transaction()
      .execute((trx) => openCasePlan(trx, user, actorOf(request, user), values));
    if (!outcome.ok)
      return reply
        .code(400)
        .view(
          `${VIEWS}/new.njk`,
          await newPage(user, { ...values, ...(b as object) }, outcome.errors, request.t),
        );
    return reply.redirect(`/staff/case-plans/${outcome.plan.reference}`, 303);
  });

  app.get<{ Params: { reference: string } }>(
    '/staff/case-plans/:reference',
    async (request, reply) => {
      const user = practitioner(request, reply);
      if (!user) return reply;
      const plan = await readable(user, request.params.reference);
      const page = await planPage(user, plan, { done: formText(request.query, 'done') });
      await auditRead(
        db,
        user,
        actorOf(request, user),
        plan,
        'plan',
        page.view.sections,
        linkedOf(page),
      );
      return reply.view(`${VIEWS}/plan.njk`, page);
    },
  );

  /** Runs a command on a readable plan, then back to the plan page, or the page again with the errors. */
  function planCommand(
    path: string,
    run: (
      trx: Db,
      user: CurrentUser,
      plan: LoadedPlan,
      request: FastifyRequest,
    ) => Promise<Outcomeish>,
  ) {
    app.post<{ Params: { reference: string } }>(path, async (request, reply) => {
      const user = practitioner(request, reply);
      if (!user) return reply;
      const plan = await readable(user, request.params.reference);
      const outcome = await db.transaction().execute((trx) => run(trx, user, plan, request));
      if (outcome.ok)
        return reply.redirect(`/staff/case-plans/${plan.row.reference}?done=saved`, 303);
      const fresh = (await loadPlan(db, plan.row.reference))!;
      const page = await planPage(user, fresh, {
        ...errorView(outcome.errors, request.t),
        values: request.body,
      });
      await auditRead(
        db,
        user,
        actorOf(request, user),
        fresh,
        'plan',
        page.view.sections,
        linkedOf(page),
      );
      return reply
        .code(outcome.stale || outcome.closed ? 409 : 400)
        .view(`${VIEWS}/plan.njk`, page);
    });
  }

  planCommand('/staff/case-plans/:reference/invite', (trx, user, plan, request) =>
    inviteBody(trx, user, actorOf(request, user), plan, {
      organisationId: formText(request.body, 'organisationId'),
      basis: formText(request.body, 'basis'),
      basisDetail: formText(request.body, 'basisDetail'),
      basisShownToPerson: formText(request.body, 'basisShownToPerson') !== 'no',
      consentConfirmed: formText(request.body, 'consentConfirmed') === 'yes',
      named: formText(request.body, 'named') === 'yes',
      sections: listOf(request.body, 'sections'),
    }),
  );
  planCommand('/staff/case-plans/:reference/sharing', (trx, user, plan, request) =>
    setSharing(
      trx,
      user,
      actorOf(request, user),
      plan,
      formText(request.body, 'organisationId'),
      listOf(request.body, 'sections'),
      formText(request.body, 'named') === 'yes',
    ),
  );
  planCommand('/staff/case-plans/:reference/consent-withdrawn', (trx, user, plan, request) =>
    withdrawConsent(
      trx,
      user,
      actorOf(request, user),
      plan,
      formText(request.body, 'organisationId'),
    ),
  );
  planCommand('/staff/case-plans/:reference/sensitive', (trx, user, plan, request) =>
    setSensitive(
      trx,
      user,
      actorOf(request, user),
      plan,
      formText(request.body, 'sensitive') === 'yes',
    ),
  );
  planCommand('/staff/case-plans/:reference/withhold', (trx, user, plan, request) =>
    withholdSection(
      trx,
      user,
      actorOf(request, user),
      plan,
      formText(request.body, 'section'),
      formText(request.body, 'withhold') !== 'no',
      formText(request.body, 'reason'),
    ),
  );
  planCommand('/staff/case-plans/:reference/assessments', async (trx, user, plan, request) => {
    const domains = (await templates(trx)).find((t) => t.kind === plan.row.kind)?.domains ?? [];
    return recordAssessment(trx, user, actorOf(request, user), plan, {
      assessedOn: formDate(request.body, 'assessedOn'),
      scores: Object.fromEntries(domains.map((d) => [d, formText(request.body, `score-${d}`)])),
      notes: formText(request.body, 'notes'),
    });
  });
  planCommand('/staff/case-plans/:reference/actions', (trx, user, plan, request) =>
    addAction(trx, user, actorOf(request, user), plan, {
      organisationId: formText(request.body, 'organisationId'),
      description: formText(request.body, 'description'),
      responsible: formText(request.body, 'responsible'),
      dueOn: formDate(request.body, 'dueOn'),
    }),
  );
  planCommand('/staff/case-plans/:reference/actions/:actionId', (trx, user, plan, request) =>
    updateAction(
      trx,
      user,
      actorOf(request, user),
      plan,
      (request.params as { actionId: string }).actionId,
      {
        status: formText(request.body, 'status'),
        outcome: formText(request.body, 'outcome'),
        version: Number(formText(request.body, 'version')) || 0,
      },
      ukToday(),
    ),
  );
  planCommand('/staff/case-plans/:reference/conferences', (trx, user, plan, request) =>
    addConference(trx, user, actorOf(request, user), plan, {
      heldOn: formDate(request.body, 'heldOn'),
      attendees: formText(request.body, 'attendees'),
      minutes: formText(request.body, 'minutes'),
      decisions: formText(request.body, 'decisions'),
    }),
  );
  planCommand('/staff/case-plans/:reference/links', (trx, user, plan, request) =>
    linkRecord(
      trx,
      user,
      actorOf(request, user),
      plan,
      { kind: formText(request.body, 'kind'), reference: formText(request.body, 'reference') },
      linkResolver(trx, plan.row.person_account_id),
    ),
  );

  /** The page editing one action: its current values (or what was typed), and any errors. */
  async function editPage(
    plan: LoadedPlan,
    action: CasePlanActionRow,
    values: Record<string, unknown>,
  ) {
    const names = await bodyNames([action.organisation_id]);
    return {
      plan: plan.row,
      action: { ...action, due: day(action.due_on), body: names.get(action.organisation_id) },
      values,
    };
  }

  /** An action's description and due date as the edit form shows them. */
  function editValues(action: CasePlanActionRow): Record<string, string> {
    const [year, month, dayOf] = day(action.due_on).split('-');
    return {
      description: action.description,
      'dueOn-day': String(Number(dayOf)),
      'dueOn-month': String(Number(month)),
      'dueOn-year': year ?? '',
      version: String(action.version),
    };
  }

  app.get<{ Params: { reference: string; actionId: string } }>(
    '/staff/case-plans/:reference/actions/:actionId/edit',
    async (request, reply) => {
      const user = practitioner(request, reply);
      if (!user) return reply;
      const plan = await readable(user, request.params.reference);
      const action = await actionToChange(db, user, plan, request.params.actionId);
      if (!isOpenPlan(plan.access))
        return reply.redirect(`/staff/case-plans/${plan.row.reference}`, 303);
      await auditRead(db, user, actorOf(request, user), plan, 'action', ['plan']);
      return reply.view(
        `${VIEWS}/edit-action.njk`,
        await editPage(plan, action, editValues(action)),
      );
    },
  );

  app.post<{ Params: { reference: string; actionId: string } }>(
    '/staff/case-plans/:reference/actions/:actionId/edit',
    async (request, reply) => {
      const user = practitioner(request, reply);
      if (!user) return reply;
      const plan = await readable(user, request.params.reference);
      const { actionId } = request.params;
      const outcome = await db.transaction().execute((trx) =>
        editAction(trx, user, actorOf(request, user), plan, actionId, {
          description: formText(request.body, 'description'),
          dueOn: formDate(request.body, 'dueOn'),
          version: Number(formText(request.body, 'version')) || 0,
        }),
      );
      if (outcome.ok)
        return reply.redirect(`/staff/case-plans/${plan.row.reference}?done=saved#plan`, 303);
      if (outcome.closed) {
        // Closed meanwhile: the plan as it is now, read-only, with the error summary.
        const fresh = (await loadPlan(db, plan.row.reference))!;
        const page = await planPage(user, fresh, errorView(outcome.errors, request.t));
        await auditRead(
          db,
          user,
          actorOf(request, user),
          fresh,
          'plan',
          page.view.sections,
          linkedOf(page),
        );
        return reply.code(409).view(`${VIEWS}/plan.njk`, page);
      }
      const action = await actionToChange(db, user, plan, actionId);
      // Stale: the action as it is now, to check before editing again; otherwise what was typed.
      const values = outcome.stale
        ? editValues(action)
        : { ...(request.body as object), version: String(action.version) };
      return reply.code(outcome.stale ? 409 : 400).view(`${VIEWS}/edit-action.njk`, {
        ...(await editPage(plan, action, values)),
        ...errorView(outcome.errors, request.t),
      });
    },
  );

  /** The closing page: the outcome, the reason, and what closing means. */
  async function closePage(plan: LoadedPlan, extra: Record<string, unknown> = {}) {
    return { plan: plan.row, outcomes: CLOSING_OUTCOMES, values: {}, ...extra };
  }

  app.get<{ Params: { reference: string } }>(
    '/staff/case-plans/:reference/close',
    async (request, reply) => {
      const user = practitioner(request, reply);
      if (!user) return reply;
      const plan = await readable(user, request.params.reference);
      if (!isLead(user, plan.access)) throw notFound();
      if (!mayClosePlan(user, plan.access))
        return reply.redirect(`/staff/case-plans/${plan.row.reference}`, 303);
      return reply.view(`${VIEWS}/close.njk`, await closePage(plan));
    },
  );

  app.post<{ Params: { reference: string } }>(
    '/staff/case-plans/:reference/close',
    async (request, reply) => {
      const user = practitioner(request, reply);
      if (!user) return reply;
      const plan = await readable(user, request.params.reference);
      const values = {
        outcome: formText(request.body, 'outcome'),
        reason: formText(request.body, 'reason'),
      };
      const outcome = await db
        .transaction()
        .execute((trx) => closePlan(trx, user, actorOf(request, user), plan, values));
      if (outcome.ok)
        return reply.redirect(`/staff/case-plans/${plan.row.reference}?done=closed`, 303);
      return reply
        .code(outcome.closed ? 409 : 400)
        .view(
          `${VIEWS}/close.njk`,
          await closePage(plan, { values, ...errorView(outcome.errors, request.t) }),
        );
    },
  );

  app.get<{ Params: { reference: string } }>(
    '/staff/case-plans/:reference/chronology',
    async (request, reply) => {
      const user = practitioner(request, reply);
      if (!user) return reply;
      const plan = await readable(user, request.params.reference);
      const grants = await grantsOf(db, plan.row.id, user.id, new Date());
      const view = await planViewFor(db, user, plan, grants);
      const page = Math.max(1, Math.min(10_000, Number(formText(request.query, 'page')) || 1));
      const own = isLead(user, plan.access) ? null : user.organisationId;
      const { events, more } = await chronologyPage(db, plan.row.id, view.sections, own, page);
      await auditRead(db, user, actorOf(request, user), plan, 'chronology', view.sections);
      const names = await bodyNames(events.map((e) => e.organisation_id));
      return reply.view(`${VIEWS}/chronology.njk`, {
        plan: plan.row,
        shown: view.sections.includes('chronology'),
        events: events.map((e) => ({ ...e, body: names.get(e.organisation_id) ?? '' })),
        page,
        more,
      });
    },
  );

  app.get<{ Params: { reference: string } }>(
    '/staff/case-plans/:reference/break-glass',
    async (request, reply) => {
      const user = practitioner(request, reply);
      if (!user) return reply;
      const plan = await readable(user, request.params.reference);
      const own = bodyOf(user, plan.access);
      if (!own) throw notFound();
      return reply.view(`${VIEWS}/break-glass.njk`, {
        plan: plan.row,
        sections: SECTIONS.filter((s) => !own.sharedSections.includes(s)),
        values: { section: formText(request.query, 'section') },
      });
    },
  );

  app.post<{ Params: { reference: string } }>(
    '/staff/case-plans/:reference/break-glass',
    async (request, reply) => {
      const user = practitioner(request, reply);
      if (!user) return reply;
      const plan = await readable(user, request.params.reference);
      const values = {
        section: formText(request.body, 'section'),
        reason: formText(request.body, 'reason'),
      };
      const outcome = await db
        .transaction()
        .execute((trx) =>
          breakGlass(trx, user, actorOf(request, user), plan, values.section, values.reason),
        );
      if (!outcome.ok) {
        const own = bodyOf(user, plan.access);
        return reply.code(400).view(`${VIEWS}/break-glass.njk`, {
          plan: plan.row,
          sections: SECTIONS.filter((s) => !own?.sharedSections.includes(s)),
          values,
          ...errorView(outcome.errors, request.t),
        });
      }
      return reply.redirect(`/staff/case-plans/${plan.row.reference}#${outcome.section}`, 303);
    },
  );

  app.get<{ Params: { reference: string } }>(
    '/staff/case-plans/:reference/invitation',
    async (request, reply) => {
      const user = practitioner(request, reply);
      if (!user) return reply;
      const plan = await loadPlan(db, request.params.reference);
      if (!plan || !mayAnswerInvitation(user, plan.access)) throw notFound();
      const own = plan.bodies.find((b) => b.organisation_id === user.organisationId)!;
      const names = await bodyNames([plan.row.lead_organisation_id]);
      // Before accepting, the body sees only who asks, on what basis and what would be shared.
      return reply.view(`${VIEWS}/invitation.njk`, {
        plan: { reference: plan.row.reference, kind: plan.row.kind },
        lead: names.get(plan.row.lead_organisation_id) ?? '',
        own,
      });
    },
  );

  app.post<{ Params: { reference: string } }>(
    '/staff/case-plans/:reference/invitation',
    async (request, reply) => {
      const user = practitioner(request, reply);
      if (!user) return reply;
      const plan = await loadPlan(db, request.params.reference);
      if (!plan || !mayAnswerInvitation(user, plan.access)) throw notFound();
      const answer = formText(request.body, 'answer');
      const outcome = await db
        .transaction()
        .execute((trx) => answerInvitation(trx, user, actorOf(request, user), plan, answer));
      if (!outcome.ok) {
        const own = plan.bodies.find((b) => b.organisation_id === user.organisationId)!;
        const names = await bodyNames([plan.row.lead_organisation_id]);
        return reply.code(outcome.closed ? 409 : 400).view(`${VIEWS}/invitation.njk`, {
          plan: { reference: plan.row.reference, kind: plan.row.kind },
          lead: names.get(plan.row.lead_organisation_id) ?? '',
          own,
          ...errorView(outcome.errors, request.t),
        });
      }
      return reply.redirect(
        answer === 'accept' ? `/staff/case-plans/${plan.row.reference}` : '/staff/case-plans',
        303,
      );
    },
  );
}

/** The sections, for templates that list them. */
export const SECTION_LIST: readonly Section[] = SECTIONS;
