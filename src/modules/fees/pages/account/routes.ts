import type { FastifyInstance } from 'fastify';
import { notFound } from '../../../../platform/errors/errors.js';
import { formatDate } from '../../../../platform/i18n/i18n.js';
import type { AppContext } from '../../../../platform/http/types.js';
import { requireSignIn } from '../../../identity/index.js';
import { startPayment } from '../../commands/charges.js';
import { pounds } from '../../money.js';
import { hasBillsPage, mayPayOwn } from '../../policies/fees.js';
import { chargesOfPerson, findCharge } from '../../queries/charges.js';
import { describe } from '../return/routes.js';
import { isUuid } from '../../../../platform/validation/uuid.js';

const VIEW = 'modules/fees/pages/account/bills.njk';

/**
 * "Bills to pay" in a person's account: bills bodies raised to them, and their instalment plans
 * with what is due and when; each unpaid bill, and the next instalment of a plan, can be paid
 * here. Another person's bill is a 404.
 */
export function accountRoutes(app: FastifyInstance, { db, config }: AppContext): void {
  app.get('/account/bills', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    if (!hasBillsPage(user)) throw notFound({ reason: 'bills are a citizen’s own' });
    const { bills, plans } = await chargesOfPerson(db, user.id);
    const locale = request.locale;
    return reply.view(VIEW, {
      bills: bills.map((bill) => describe(bill, locale)),
      plans: plans.map((plan) => {
        const next = plan.charges.find((c) => c.status === 'unpaid');
        const paid = plan.charges.filter((c) => c.status === 'paid');
        return {
          id: plan.id,
          description: plan.description,
          reference: plan.reference,
          total: pounds(plan.total),
          paidSoFar: pounds(paid.reduce((sum, c) => sum + c.amount, 0)),
          instalments: plan.charges.map((c) => describe(c, locale)),
          next: next ? describe(next, locale) : null,
        };
      }),
      today: formatDate(new Date(), locale),
    });
  });

  app.post('/account/bills/:id/pay', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const { id } = request.params as { id: string };
    const charge = isUuid(id) ? await findCharge(db, id) : undefined;
    if (!charge || charge.kind === 'form' || !mayPayOwn(user, charge))
      throw notFound({ charge: id, userId: user.id });
    if (charge.kind === 'instalment' && !(await isNextInstalment(charge.plan_id!, charge.id)))
      return reply.redirect('/account/bills', 303);
    const started = await db
      .transaction()
      .execute((trx) => startPayment(trx, config.SESSION_SECRET, charge.id, request.locale));
    if (!started.ok) return reply.redirect('/account/bills', 303);
    return reply.redirect(started.nextUrl, 303);
  });

  /** Instalments are paid in order: only the earliest unpaid one can be paid now. */
  async function isNextInstalment(planId: string, chargeId: string): Promise<boolean> {
    const next = await db
      .selectFrom('fee_charges')
      .select('id')
      .where('plan_id', '=', planId)
      .where('status', '=', 'unpaid')
      .orderBy('instalment')
      .executeTakeFirst();
    return next?.id === chargeId;
  }
}
