/**
 * The person's own view at /account/case-plans: what each plan about them says, where showing
 * it is safe (sections the lead withheld are named with the lead's reason, not shown), the
 * bodies involved (safeguarding bases marked not to be shown are left out), who read the plan,
 * and withdrawing consent to share with a body.
 */
import type { FastifyInstance } from 'fastify';
import { notFound } from '../../../../platform/errors/errors.js';
import { formText } from '../../../../platform/http/forms.js';
import type { AppContext } from '../../../../platform/http/types.js';
import { requireSignIn } from '../../../identity/index.js';
import { listOrganisationsByIds } from '../../../organisations/index.js';
import { withdrawConsent } from '../../commands/plans.js';
import { SECTIONS } from '../../db/tables.js';
import { isShownToPerson, mayViewOwnPlan } from '../../policies/caseplans.js';
import { day, loadPlan, plansOfPerson, readsOf, withheldOf } from '../../queries/plans.js';
import { actorOf } from '../shared.js';

const VIEWS = 'modules/caseplans/pages/account';

export function accountCasePlanRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;

  app.get('/account/case-plans', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const plans =
      user.kind === 'citizen' && !user.actingFor ? await plansOfPerson(db, user.id) : [];
    return reply.view(`${VIEWS}/list.njk`, { plans });
  });

  app.get<{ Params: { reference: string } }>(
    '/account/case-plans/:reference',
    async (request, reply) => {
      const user = requireSignIn(request, reply);
      if (!user) return reply;
      const plan = await loadPlan(db, request.params.reference);
      if (!plan || !mayViewOwnPlan(user, { personAccountId: plan.row.person_account_id }))
        throw notFound();
      const withheld = await withheldOf(db, plan.row.id);
      const hidden = new Set(withheld.map((w) => w.section));
      const shown = SECTIONS.filter((s) => !hidden.has(s));
      const id = plan.row.id;
      const bodies = plan.bodies.filter((b) =>
        isShownToPerson({
          state: b.state,
          basis: b.basis,
          basisShownToPerson: b.basis_shown_to_person,
        }),
      );
      const reads = await readsOf(db, id);
      const names = new Map(
        (
          await listOrganisationsByIds(
            db,
            [
              plan.row.lead_organisation_id,
              ...bodies.map((b) => b.organisation_id),
              ...reads.map((r) => r.actor_organisation_id ?? ''),
            ].filter(Boolean),
          )
        ).map((o) => [o.id, (request.locale === 'cy' && o.name_cy) || o.name]),
      );
      const assessments = shown.includes('assessment')
        ? await db
            .selectFrom('case_plan_assessments')
            .selectAll()
            .where('case_plan_id', '=', id)
            .orderBy('assessed_on')
            .execute()
        : [];
      const actions = shown.includes('plan')
        ? await db
            .selectFrom('case_plan_actions')
            .selectAll()
            .where('case_plan_id', '=', id)
            .orderBy('due_on')
            .execute()
        : [];
      const conferences = shown.includes('conferences')
        ? await db
            .selectFrom('case_plan_conferences')
            .select(['held_on', 'decisions'])
            .where('case_plan_id', '=', id)
            .orderBy('held_on', 'desc')
            .execute()
        : [];
      return reply.view(`${VIEWS}/plan.njk`, {
        plan: plan.row,
        lead: names.get(plan.row.lead_organisation_id) ?? '',
        bodies: bodies.map((b) => ({ ...b, name: names.get(b.organisation_id) ?? '' })),
        withheld,
        shown,
        assessments: assessments.map((a) => ({ ...a, on: day(a.assessed_on) })),
        actions: actions.map((a) => ({
          ...a,
          due: day(a.due_on),
          body: names.get(a.organisation_id) ?? '',
        })),
        conferences: conferences.map((c) => ({ ...c, on: day(c.held_on) })),
        reads: reads.map((r) => ({
          at: r.occurred_at,
          body: names.get(r.actor_organisation_id ?? '') ?? '',
          breakGlass: r.action.endsWith('break_glass'),
          reason:
            typeof r.details.accessReasonDetails === 'string' ? r.details.accessReasonDetails : '',
        })),
        done: formText(request.query, 'done'),
      });
    },
  );

  app.post<{ Params: { reference: string } }>(
    '/account/case-plans/:reference/withdraw',
    async (request, reply) => {
      const user = requireSignIn(request, reply);
      if (!user) return reply;
      const plan = await loadPlan(db, request.params.reference);
      if (!plan || !mayViewOwnPlan(user, { personAccountId: plan.row.person_account_id }))
        throw notFound();
      const outcome = await db
        .transaction()
        .execute((trx) =>
          withdrawConsent(
            trx,
            user,
            actorOf(request, user),
            plan,
            formText(request.body, 'organisationId'),
          ),
        );
      return reply.redirect(
        `/account/case-plans/${plan.row.reference}?done=${outcome.ok ? 'withdrawn' : 'not-withdrawn'}`,
        303,
      );
    },
  );
}
