import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errorView, formText } from '../../../../platform/http/forms.js';
import type { AppContext } from '../../../../platform/http/types.js';
import {
  CODE_MINUTES,
  changePassword,
  confirmEmailChange,
  confirmPhoneChange,
  deleteAccount,
  normaliseUkMobile,
  startEmailChange,
  startPhoneChange,
  type LifecycleContext,
} from '../../commands/account-lifecycle.js';
import { emailProblem } from '../../commands/accounts.js';
import { clearDeliveryProblem } from '../../commands/delivery-problems.js';
import { SESSION_COOKIE } from '../../commands/sessions.js';
import { requireSignIn } from '../../guards.js';
import { findUserById } from '../../queries/users.js';
import { sendingRateLimit, signedInAttemptLimit } from '../confirm-email/limits.js';

const VIEWS = 'modules/identity/pages/account';
const ENTER_CODE = 'modules/identity/pages/confirm-email/enter-code.njk';
/** The banners /account shows after a change (`?done=`). */
const DONE = ['email', 'phone', 'password'] as const;

function password(request: FastifyRequest, name = 'password'): string {
  const value = (request.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

/**
 * "Your account": the person's details, with changing the e-mail address (confirmed by a code
 * sent to the new one), the mobile number (confirmed by a code sent by text), the password,
 * and deleting the account.
 */
export function accountRoutes(
  app: FastifyInstance,
  { db, config, wakeOutbox, accountEvent }: AppContext,
): void {
  const context = (request: FastifyRequest): LifecycleContext => ({
    baseUrl: config.baseUrl,
    requestId: request.id,
    accountEvent,
  });
  const selfActor = (request: FastifyRequest) => ({
    userId: request.user!.id,
    organisationId: request.user!.organisationId,
    role: request.user!.kind,
    requestId: request.id,
  });
  const attempts = { config: { rateLimit: signedInAttemptLimit(config) } };
  const sending = { config: { rateLimit: sendingRateLimit() } };

  app.get('/account', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const account = await findUserById(db, user.id);
    const done = (request.query as { done?: string }).done;
    return reply.view(`${VIEWS}/account.njk`, {
      account,
      done: DONE.find((d) => d === done),
    });
  });

  // ——— e-mail address ———

  function emailCodePage(request: FastifyRequest, email: string, extra = {}) {
    return {
      pageTitle: request.t('identity.account.emailCode.title'),
      intro: request.t('identity.account.emailCode.intro', { email }),
      minutes: CODE_MINUTES,
      action: '/account/email/confirm',
      hidden: [{ name: 'email', value: email }],
      resendHref: '/account/email',
      resendText: request.t('identity.account.emailCode.resend'),
      backLink: '/account/email',
      values: {},
      fieldErrors: {},
      ...extra,
    };
  }

  app.get('/account/email', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    return reply.view(`${VIEWS}/change-email.njk`, {
      currentEmail: user.email,
      minutes: CODE_MINUTES,
      values: {},
      fieldErrors: {},
      backLink: '/account',
    });
  });

  app.post('/account/email', sending, async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const email = formText(request.body, 'email');
    const outcome = await startEmailChange(
      db,
      user.id,
      { email, password: password(request) },
      context(request),
    );
    if (!outcome.ok) {
      return reply.code(400).view(`${VIEWS}/change-email.njk`, {
        currentEmail: user.email,
        minutes: CODE_MINUTES,
        values: { email },
        backLink: '/account',
        ...errorView(outcome.errors, request.t),
      });
    }
    wakeOutbox();
    return reply.redirect(`/account/email/confirm?email=${encodeURIComponent(email)}`, 303);
  });

  app.get('/account/email/confirm', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const email = String((request.query as { email?: unknown }).email ?? '').trim();
    if (emailProblem(email)) return reply.redirect('/account/email', 303);
    return reply.view(ENTER_CODE, emailCodePage(request, email));
  });

  app.post('/account/email/confirm', attempts, async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const email = formText(request.body, 'email');
    const code = formText(request.body, 'code');
    const outcome = await confirmEmailChange(db, user.id, { email, code }, context(request));
    if (outcome.ok) await clearDeliveryProblem(db, user.id, 'email', selfActor(request), 'changed');
    if (!outcome.ok) {
      return reply.code(400).view(
        ENTER_CODE,
        emailCodePage(request, email, {
          values: { code },
          ...errorView(outcome.errors, request.t),
        }),
      );
    }
    wakeOutbox();
    return reply.redirect('/account?done=email', 303);
  });

  // ——— mobile number ———

  function phoneCodePage(request: FastifyRequest, phone: string, extra = {}) {
    return {
      pageTitle: request.t('identity.account.phoneCode.title'),
      intro: request.t('identity.account.phoneCode.intro', { phone }),
      minutes: CODE_MINUTES,
      action: '/account/phone/confirm',
      hidden: [{ name: 'phone', value: phone }],
      resendHref: '/account/phone',
      resendText: request.t('identity.account.phoneCode.resend'),
      backLink: '/account/phone',
      values: {},
      fieldErrors: {},
      ...extra,
    };
  }

  app.get('/account/phone', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    return reply.view(`${VIEWS}/change-phone.njk`, {
      values: {},
      fieldErrors: {},
      backLink: '/account',
    });
  });

  app.post('/account/phone', sending, async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const phone = formText(request.body, 'phone');
    const outcome = await startPhoneChange(db, user.id, { phone }, context(request));
    if (!outcome.ok) {
      return reply.code(400).view(`${VIEWS}/change-phone.njk`, {
        values: { phone },
        backLink: '/account',
        ...errorView(outcome.errors, request.t),
      });
    }
    wakeOutbox();
    return reply.redirect(`/account/phone/confirm?phone=${encodeURIComponent(outcome.phone)}`, 303);
  });

  app.get('/account/phone/confirm', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const phone = normaliseUkMobile(String((request.query as { phone?: unknown }).phone ?? ''));
    if (!phone) return reply.redirect('/account/phone', 303);
    return reply.view(ENTER_CODE, phoneCodePage(request, phone));
  });

  app.post('/account/phone/confirm', attempts, async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const phone = formText(request.body, 'phone');
    const code = formText(request.body, 'code');
    const outcome = await confirmPhoneChange(db, user.id, { phone, code }, context(request));
    if (outcome.ok) await clearDeliveryProblem(db, user.id, 'sms', selfActor(request), 'changed');
    if (!outcome.ok) {
      return reply.code(400).view(
        ENTER_CODE,
        phoneCodePage(request, phone, {
          values: { code },
          ...errorView(outcome.errors, request.t),
        }),
      );
    }
    wakeOutbox();
    return reply.redirect('/account?done=phone', 303);
  });

  // ——— an address we could not deliver to (delivery-problems.njk) ———

  app.post('/account/delivery-problem', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const channel = formText(request.body, 'channel');
    if (channel !== 'email' && channel !== 'phone') return reply.redirect('/account', 303);
    await clearDeliveryProblem(
      db,
      user.id,
      channel === 'email' ? 'email' : 'sms',
      selfActor(request),
      'confirmed',
    );
    return reply.redirect('/account', 303);
  });

  // ——— password ———

  app.get('/account/password', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    return reply.view(`${VIEWS}/change-password.njk`, { fieldErrors: {}, backLink: '/account' });
  });

  app.post('/account/password', attempts, async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const outcome = await changePassword(
      db,
      user.id,
      {
        currentPassword: password(request, 'currentPassword'),
        password: password(request),
        keepSessionToken: request.cookies[SESSION_COOKIE],
      },
      context(request),
    );
    if (!outcome.ok) {
      return reply.code(400).view(`${VIEWS}/change-password.njk`, {
        backLink: '/account',
        ...errorView(outcome.errors, request.t),
      });
    }
    wakeOutbox();
    return reply.redirect('/account?done=password', 303);
  });

  // ——— deleting the account ———

  app.get('/account/delete', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    return reply.view(`${VIEWS}/delete.njk`, {
      staff: user.kind !== 'citizen',
      fieldErrors: {},
      backLink: '/account',
    });
  });

  app.post('/account/delete', attempts, async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const outcome = await deleteAccount(
      db,
      user.id,
      { password: password(request) },
      context(request),
    );
    if (!outcome.ok) {
      return reply.code(400).view(`${VIEWS}/delete.njk`, {
        staff: user.kind !== 'citizen',
        backLink: '/account',
        ...errorView(outcome.errors, request.t),
      });
    }
    wakeOutbox();
    request.log.info({ userId: user.id }, 'account deleted');
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/account/deleted', 303);
  });

  app.get('/account/deleted', async (_request, reply) => reply.view(`${VIEWS}/deleted.njk`, {}));
}
