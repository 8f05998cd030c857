import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errorView, formText } from '../../../../platform/http/forms.js';
import type { AppContext } from '../../../../platform/http/types.js';
import {
  CODE_MINUTES,
  resetPassword,
  startPasswordReset,
} from '../../commands/account-lifecycle.js';
import { emailProblem } from '../../commands/accounts.js';
import { sendingRateLimit } from '../confirm-email/limits.js';
import { perAccountRateLimit } from '../shared.js';
import { signInAfterMailboxProof } from '../sign-in/second-factor.js';

const FORGOT = 'modules/identity/pages/forgot-password/forgot-password.njk';
const RESET = 'modules/identity/pages/forgot-password/reset.njk';

/**
 * "Forgot your password?": a code by e-mail, then a new password. The page after the address
 * is the same whether or not it has an account.
 */
export function forgotPasswordRoutes(app: FastifyInstance, context: AppContext): void {
  const { db, config, wakeOutbox } = context;
  function resetPage(request: FastifyRequest, email: string, extra: Record<string, unknown> = {}) {
    return {
      pageTitle: request.t('identity.account.reset.title'),
      intro: request.t('identity.account.reset.intro', { email }),
      minutes: CODE_MINUTES,
      action: '/forgot-password/reset',
      hidden: [{ name: 'email', value: email }],
      resendHref: '/forgot-password',
      resendText: request.t('identity.account.reset.resend'),
      buttonText: request.t('identity.account.reset.button'),
      backLink: '/forgot-password',
      values: {},
      fieldErrors: {},
      ...extra,
    };
  }

  app.get('/forgot-password', async (_request, reply) =>
    reply.view(FORGOT, {
      values: {},
      fieldErrors: {},
      minutes: CODE_MINUTES,
      backLink: '/sign-in',
    }),
  );

  app.post(
    '/forgot-password',
    { config: { rateLimit: sendingRateLimit() } },
    async (request, reply) => {
      const email = formText(request.body, 'email');
      const outcome = await startPasswordReset(db, email, {
        baseUrl: config.baseUrl,
        requestId: request.id,
      });
      if (!outcome.ok) {
        return reply.code(400).view(FORGOT, {
          values: { email },
          minutes: CODE_MINUTES,
          backLink: '/sign-in',
          ...errorView(outcome.errors, request.t),
        });
      }
      wakeOutbox();
      return reply.redirect(`/forgot-password/reset?email=${encodeURIComponent(email)}`, 303);
    },
  );

  app.get('/forgot-password/reset', async (request, reply) => {
    const email = String((request.query as { email?: unknown }).email ?? '').trim();
    if (emailProblem(email)) return reply.redirect('/forgot-password', 303);
    return reply.view(RESET, resetPage(request, email));
  });

  app.post(
    '/forgot-password/reset',
    { config: { rateLimit: perAccountRateLimit(config) } },
    async (request, reply) => {
      const email = formText(request.body, 'email');
      const code = formText(request.body, 'code');
      const password = (request.body as { password?: unknown }).password;
      const outcome = await resetPassword(
        db,
        { email, code, password: typeof password === 'string' ? password : '' },
        { baseUrl: config.baseUrl, requestId: request.id },
      );
      if (!outcome.ok) {
        return reply.code(400).view(
          RESET,
          resetPage(request, email, {
            values: { code },
            ...errorView(outcome.errors, request.t),
          }),
        );
      }
      wakeOutbox();
      request.log.info({ userId: outcome.userId }, 'password reset');
      return signInAfterMailboxProof(
        context,
        request,
        reply,
        outcome.userId,
        '/account?done=password',
      );
    },
  );
}
