import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError } from '../../../../platform/errors/errors.js';
import { errorView, formText } from '../../../../platform/http/forms.js';
import type { Actor } from '../../../../platform/audit/audit.js';
import type { AppContext, CurrentUser } from '../../../../platform/http/types.js';
import {
  auditMoto,
  cancelByUser,
  confirmPayment,
  openPaymentPage,
  submitCard,
} from '../../commands/card.js';
import type { PaymentRow } from '../../db/tables.js';
import { CARD_BRANDS, type CardBrand } from '../../gateway/cards.js';
import type { CardGateway } from '../../gateway/gateway.js';
import { mayTakeMotoCard } from '../../policies/payments.js';
import { isFinished } from '../../state.js';
import { sessionSecrets, type SecretSource } from '../../../../platform/keyring/keyring.js';

const VIEWS = 'modules/payments/pages/pay';
/** Ties the browser that followed next_url to its payment: the link works once, this cookie after. */
const COOKIE = 'jupay_session';

const paths = {
  card: (id: string) => `/pay/card/${id}`,
  confirm: (id: string) => `/pay/confirm/${id}`,
  cancel: (id: string) => `/pay/cancel/${id}`,
};

function sessionValue(secret: string, paymentExternalId: string): string {
  const mac = createHmac('sha256', secret)
    .update(`pay-session:${paymentExternalId}`)
    .digest('base64url');
  return `${paymentExternalId}.${mac}`;
}

/** The cookie made under the current session secret, or one kept from before a rotation. */
function hasSession(
  request: FastifyRequest,
  secrets: SecretSource,
  paymentExternalId: string,
): boolean {
  const presented = Buffer.from(request.cookies[COOKIE] ?? '');
  return sessionSecrets(secrets).some((secret) => {
    const expected = Buffer.from(sessionValue(secret, paymentExternalId));
    return presented.length === expected.length && timingSafeEqual(presented, expected);
  });
}

/** The member of staff taking a card over the phone, as the audit log names them. */
function motoActor(request: FastifyRequest, user: CurrentUser): Actor {
  const role = user.roles.includes('counter-adviser') ? 'counter-adviser' : user.kind;
  return { userId: user.id, organisationId: user.organisationId, role, requestId: request.id };
}

const pounds = (pence: number) =>
  `£${(pence / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;

/**
 * The hosted payment pages a service sends people to through next_url: card details, confirm,
 * then back to the service's return_url. In the payment's language (the person can switch), no
 * JavaScript needed; the card number is never shown back, stored or logged. A MOTO payment's
 * pages are for the one signed-in member of staff taking the card over the phone (see
 * `mayTakeMotoCard`), and each step they take there is audited with them as the actor.
 */
export function paymentPageRoutes(
  app: FastifyInstance,
  { db, config }: AppContext,
  gateway: CardGateway,
): void {
  const secure = config.baseUrl.startsWith('https://');
  const secret = config.SESSION_SECRET;

  /**
   * The person's payment if this browser opened it (and, for a MOTO payment, the member of
   * staff taking it is the one signed in), else a 404 page (nothing about it shown).
   */
  async function ownPayment(
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<PaymentRow | null> {
    const { id } = request.params as { id: string };
    const payment = hasSession(request, config, id)
      ? await db.selectFrom('payments').selectAll().where('external_id', '=', id).executeTakeFirst()
      : undefined;
    if (payment && mayTakeMotoCard(request.user ?? null, payment)) return payment;
    await reply.code(404).view(`${VIEWS}/unavailable.njk`, {});
    return null;
  }

  function summary(payment: PaymentRow) {
    return { description: payment.description, amount: pounds(payment.amount) };
  }

  function cardPage(reply: FastifyReply, payment: PaymentRow, data: Record<string, unknown> = {}) {
    return reply.view(`${VIEWS}/card.njk`, {
      payment: summary(payment),
      moto: payment.moto,
      action: paths.card(payment.external_id),
      cancelAction: paths.cancel(payment.external_id),
      values: {},
      fieldErrors: {},
      ...data,
    });
  }

  app.get('/pay/:token', async (request, reply) => {
    const { token } = request.params as { token: string };
    const user = request.user ?? null;
    const opened = await db.transaction().execute(async (trx) => {
      const outcome = await openPaymentPage(trx, config, token, user);
      if (outcome.ok && outcome.payment.moto && user)
        await auditMoto(trx, motoActor(request, user), outcome.payment, 'opened');
      return outcome;
    });
    if (!opened.ok) return reply.code(404).view(`${VIEWS}/unavailable.njk`, {});
    const { payment } = opened;
    void reply.setCookie(COOKIE, sessionValue(secret, payment.external_id), {
      path: '/pay',
      httpOnly: true,
      sameSite: 'lax',
      secure,
      maxAge: 90 * 60,
    });
    return reply.redirect(`${paths.card(payment.external_id)}?lang=${payment.language}`, 303);
  });

  app.get('/pay/card/:id', async (request, reply) => {
    const payment = await ownPayment(request, reply);
    if (!payment) return reply;
    if (isFinished(payment.status)) return reply.redirect(payment.return_url, 303);
    // The card may have been charged: the person waits, and cannot pay a second time.
    if (payment.gateway_unknown_since)
      return reply.view(`${VIEWS}/checking.njk`, { againUrl: paths.card(payment.external_id) });
    if (payment.status === 'submitted')
      return reply.redirect(paths.confirm(payment.external_id), 303);
    return cardPage(reply, payment);
  });

  app.post('/pay/card/:id', async (request, reply) => {
    const payment = await ownPayment(request, reply);
    if (!payment) return reply;
    if (payment.status !== 'started') return reply.redirect(paths.card(payment.external_id), 303);
    const body = request.body;
    const month = formText(body, 'expiryMonth').padStart(2, '0');
    const year = formText(body, 'expiryYear');
    const card = {
      number: formText(body, 'cardNo'),
      expiry: `${month}/${year.length === 4 ? year.slice(2) : year}`,
      cvc: formText(body, 'cvc'),
      cardholderName: formText(body, 'cardholderName'),
    };
    const outcome = await submitCard(db, gateway, payment.id, card);
    if (payment.moto && outcome.ok)
      await auditMoto(db, motoActor(request, request.user!), payment, 'card-submitted', {
        outcome: outcome.outcome,
      });
    if (!outcome.ok && 'problems' in outcome) {
      const errors: FieldError[] = outcome.problems.map((p) => ({
        field: p.field === 'expiry' ? 'expiryMonth' : p.field,
        message: p.key,
      }));
      // The card number and security code are never put back into the page.
      return cardPage(reply.code(400), payment, {
        values: {
          expiryMonth: formText(body, 'expiryMonth'),
          expiryYear: year,
          cardholderName: card.cardholderName,
        },
        ...errorView(errors, request.t),
      });
    }
    if (!outcome.ok || outcome.outcome === 'authorised' || outcome.outcome === 'unknown')
      return reply.redirect(paths.confirm(payment.external_id), 303);
    return reply
      .code(outcome.outcome === 'processing-error' ? 502 : 402)
      .view(`${VIEWS}/declined.njk`, {
        returnUrl: payment.return_url,
        error: outcome.outcome === 'processing-error',
      });
  });

  app.get('/pay/confirm/:id', async (request, reply) => {
    const payment = await ownPayment(request, reply);
    if (!payment) return reply;
    if (payment.status !== 'submitted' || !payment.gateway_transaction_id)
      return reply.redirect(paths.card(payment.external_id), 303);
    const brand = payment.card_brand as CardBrand | null;
    return reply.view(`${VIEWS}/confirm.njk`, {
      payment: summary(payment),
      card: {
        lastFour: payment.card_last_four,
        brand: brand ? CARD_BRANDS[brand] : '',
        name: payment.cardholder_name,
      },
      action: paths.confirm(payment.external_id),
      cancelAction: paths.cancel(payment.external_id),
    });
  });

  app.post('/pay/confirm/:id', async (request, reply) => {
    const payment = await ownPayment(request, reply);
    if (!payment) return reply;
    await db.transaction().execute(async (trx) => {
      const confirmed = await confirmPayment(trx, payment.id);
      if (confirmed?.moto)
        await auditMoto(trx, motoActor(request, request.user!), confirmed, 'confirmed');
    });
    return reply.redirect(payment.return_url, 303);
  });

  app.post('/pay/cancel/:id', async (request, reply) => {
    const payment = await ownPayment(request, reply);
    if (!payment) return reply;
    await db.transaction().execute(async (trx) => {
      const cancelled = await cancelByUser(trx, payment.id);
      if (cancelled?.moto)
        await auditMoto(trx, motoActor(request, request.user!), cancelled, 'cancelled');
    });
    return reply.redirect(payment.return_url, 303);
  });
}
