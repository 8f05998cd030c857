import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { recordAudit, type Actor } from '../../../../platform/audit/audit.js';
import { notFound } from '../../../../platform/errors/errors.js';
import { errorView, formText } from '../../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../../platform/http/types.js';
import { requireSignIn } from '../../../identity/index.js';
import { createPlan, raiseBill, type BillInput, type PlanInput } from '../../commands/bills.js';
import { pounds } from '../../money.js';
import { mayManageCharges } from '../../policies/fees.js';
import { chargesOfOrganisation, findCharge, findPlan } from '../../queries/charges.js';
import { describe } from '../return/routes.js';
import { isUuid } from '../../../../platform/validation/uuid.js';

const VIEWS = 'modules/fees/pages/staff';
const BILL_FIELDS = [
  'email',
  'amount',
  'description',
  'reference',
  'due-day',
  'due-month',
  'due-year',
];
const PLAN_FIELDS = [
  'email',
  'total',
  'instalments',
  'description',
  'reference',
  'first-day',
  'first-month',
  'first-year',
];

function actorOf(request: FastifyRequest, user: CurrentUser): Actor & { userId: string } {
  return {
    userId: user.id,
    organisationId: user.organisationId,
    role: user.kind,
    requestId: request.id,
  };
}

function valuesOf(body: unknown, fields: string[]): Record<string, string> {
  return Object.fromEntries(fields.map((f) => [f, formText(body, f)]));
}

/**
 * Staff pages of a body's bills and instalment plans: the list with paid and unpaid, raising a
 * bill, setting a plan, and one bill or plan (each read audited against the person). Another
 * body's bill or plan is a 404, as is the whole area for staff who may not manage charges.
 */
export function staffRoutes(app: FastifyInstance, { db }: AppContext): void {
  /** The signed-in member of staff who may manage their body's charges, or a 404 thrown. */
  function staffOf(request: FastifyRequest, reply: FastifyReply) {
    const user = requireSignIn(request, reply);
    if (!user) return null;
    if (!user.organisationId || !mayManageCharges(user, user.organisationId))
      throw notFound({ userId: user.id, reason: 'may not manage charges' });
    return { user, organisationId: user.organisationId };
  }

  app.get('/fees/staff', async (request, reply) => {
    const staff = staffOf(request, reply);
    if (!staff) return reply;
    const { bills, plans } = await chargesOfOrganisation(db, staff.organisationId);
    const { done } = request.query as { done?: string };
    return reply.view(`${VIEWS}/list.njk`, {
      bills: bills.map((bill) => ({ ...describe(bill, request.locale), email: bill.email })),
      plans: plans.map((plan) => ({
        ...plan,
        total: pounds(plan.total),
        paid: Number(plan.paid ?? 0),
      })),
      done: done === 'bill' || done === 'plan' ? done : null,
    });
  });

  app.get('/fees/staff/bills/new', async (request, reply) => {
    if (!staffOf(request, reply)) return reply;
    return reply.view(`${VIEWS}/new-bill.njk`, { values: {}, fieldErrors: {} });
  });

  app.post('/fees/staff/bills', async (request, reply) => {
    const staff = staffOf(request, reply);
    if (!staff) return reply;
    const values = valuesOf(request.body, BILL_FIELDS);
    const input: BillInput = {
      email: values.email!,
      amount: values.amount!,
      description: values.description!,
      reference: values.reference!,
      dueDay: values['due-day']!,
      dueMonth: values['due-month']!,
      dueYear: values['due-year']!,
    };
    const outcome = await db
      .transaction()
      .execute((trx) => raiseBill(trx, actorOf(request, staff.user), staff.organisationId, input));
    if (!outcome.ok)
      return reply
        .code(400)
        .view(`${VIEWS}/new-bill.njk`, { values, ...errorView(outcome.errors, request.t) });
    return reply.redirect('/fees/staff?done=bill', 303);
  });

  app.get('/fees/staff/plans/new', async (request, reply) => {
    if (!staffOf(request, reply)) return reply;
    return reply.view(`${VIEWS}/new-plan.njk`, { values: {}, fieldErrors: {} });
  });

  app.post('/fees/staff/plans', async (request, reply) => {
    const staff = staffOf(request, reply);
    if (!staff) return reply;
    const values = valuesOf(request.body, PLAN_FIELDS);
    const input: PlanInput = {
      email: values.email!,
      total: values.total!,
      instalments: values.instalments!,
      description: values.description!,
      reference: values.reference!,
      firstDay: values['first-day']!,
      firstMonth: values['first-month']!,
      firstYear: values['first-year']!,
    };
    const outcome = await db
      .transaction()
      .execute((trx) => createPlan(trx, actorOf(request, staff.user), staff.organisationId, input));
    if (!outcome.ok)
      return reply
        .code(400)
        .view(`${VIEWS}/new-plan.njk`, { values, ...errorView(outcome.errors, request.t) });
    return reply.redirect('/fees/staff?done=plan', 303);
  });

  app.get('/fees/staff/bills/:id', async (request, reply) => {
    const staff = staffOf(request, reply);
    if (!staff) return reply;
    const { id } = request.params as { id: string };
    const bill = isUuid(id) ? await findCharge(db, id) : undefined;
    if (!bill || bill.kind !== 'bill' || bill.organisation_id !== staff.organisationId)
      throw notFound({ bill: id, organisationId: staff.organisationId });
    await recordAudit(db, actorOf(request, staff.user), {
      action: 'fees.bill.viewed',
      resourceType: 'fee_charge',
      resourceId: bill.id,
      subjectUserId: bill.user_id,
      details: { reference: bill.reference },
    });
    return reply.view(`${VIEWS}/bill.njk`, {
      bill: { ...describe(bill, request.locale), email: bill.email },
    });
  });

  app.get('/fees/staff/plans/:id', async (request, reply) => {
    const staff = staffOf(request, reply);
    if (!staff) return reply;
    const { id } = request.params as { id: string };
    const plan = isUuid(id) ? await findPlan(db, id) : undefined;
    if (!plan || plan.organisation_id !== staff.organisationId)
      throw notFound({ plan: id, organisationId: staff.organisationId });
    await recordAudit(db, actorOf(request, staff.user), {
      action: 'fees.plan.viewed',
      resourceType: 'fee_plan',
      resourceId: plan.id,
      subjectUserId: plan.user_id,
      details: { reference: plan.reference },
    });
    return reply.view(`${VIEWS}/plan.njk`, {
      plan: {
        description: plan.description,
        reference: plan.reference,
        email: plan.email,
        total: pounds(plan.total),
        instalments: plan.charges.map((c) => describe(c, request.locale)),
      },
    });
  });
}
