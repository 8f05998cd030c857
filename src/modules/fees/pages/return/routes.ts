import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formatDate } from '../../../../platform/i18n/i18n.js';
import type { AppContext } from '../../../../platform/http/types.js';
import { findSubmissionById } from '../../../submissions/index.js';
import { reconcile, startPayment } from '../../commands/charges.js';
import type { FeeChargeRow } from '../../db/tables.js';
import { pounds } from '../../money.js';
import { findCharge } from '../../queries/charges.js';
import { chargeIdOf, payPath } from '../../tokens.js';

const OUTCOME = 'modules/fees/pages/return/outcome.njk';
const UNAVAILABLE = 'modules/fees/pages/return/unavailable.njk';
const FAILED = new Set(['failed', 'cancelled', 'error']);

/**
 * Where the payment pages send the person back to (`/fees/return/<charge>.<hmac>`), and the
 * button that pays, or tries again (`POST /fees/pay/<charge>.<hmac>`). The token is the key: it
 * is only ever given to the person paying, so someone without an account can come back too.
 */
export function returnRoutes(app: FastifyInstance, { db, config }: AppContext): void {
  const secret = config.SESSION_SECRET;

  async function chargeOf(request: FastifyRequest, reply: FastifyReply) {
    const { token } = request.params as { token: string };
    const id = chargeIdOf(config, token);
    const charge = id ? await findCharge(db, id) : undefined;
    if (!charge) {
      await reply.code(404).view(UNAVAILABLE, {});
      return null;
    }
    return { charge, token };
  }

  app.get('/fees/return/:token', async (request, reply) => {
    const found = await chargeOf(request, reply);
    if (!found) return reply;
    const status =
      found.charge.status === 'paid' ? 'success' : await reconcile(db, found.charge.id);
    const charge = (await findCharge(db, found.charge.id))!;
    if (charge.status === 'paid') return paid(request, reply, charge);
    return reply.view(OUTCOME, {
      outcome: status && FAILED.has(status) ? 'failed' : 'unfinished',
      charge: describe(charge, request.locale),
      payAction: payPath(secret, charge.id),
      signedIn: !!request.user,
    });
  });

  app.post('/fees/pay/:token', async (request, reply) => {
    const found = await chargeOf(request, reply);
    if (!found) return reply;
    const started = await db
      .transaction()
      .execute((trx) => startPayment(trx, secret, found.charge.id, request.locale));
    if (!started.ok) return reply.redirect(`/fees/return/${found.token}`, 303);
    return reply.redirect(started.nextUrl, 303);
  });

  /** Paid: a signed-in applicant's confirmation is their application's; otherwise this page. */
  async function paid(request: FastifyRequest, reply: FastifyReply, charge: FeeChargeRow) {
    const submission = charge.submission_id
      ? await findSubmissionById(db, charge.submission_id)
      : undefined;
    if (submission && request.user && request.user.kind === 'citizen' && charge.user_id)
      return reply.redirect(`/applications/${submission.reference}/confirmation`, 303);
    const nextSteps = submission?.answers.nextSteps?.[request.locale] ?? '';
    return reply.view(OUTCOME, {
      outcome: 'paid',
      charge: describe(charge, request.locale),
      nextSteps: nextSteps
        .split(/\n\s*\n/)
        .map((p) => p.trim())
        .filter(Boolean),
      signedIn: !!request.user,
    });
  }
}

/** A charge as the pages show it. */
export function describe(charge: FeeChargeRow, locale: 'en' | 'cy') {
  return {
    id: charge.id,
    kind: charge.kind,
    description: charge.description,
    reference: charge.reference,
    amount: pounds(charge.amount),
    due: charge.due_date ? formatDate(charge.due_date, locale) : null,
    paid: charge.status === 'paid',
    paidOn: charge.paid_at ? formatDate(charge.paid_at, locale) : null,
  };
}
