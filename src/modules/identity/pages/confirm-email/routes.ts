import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errorView, formText, safeReturnPath } from '../../../../platform/http/forms.js';
import type { AppContext } from '../../../../platform/http/types.js';
import {
  CODE_MINUTES,
  confirmRegistration,
  resendConfirmationCode,
} from '../../commands/account-lifecycle.js';
import { emailProblem } from '../../commands/accounts.js';
import { perAccountRateLimit } from '../shared.js';
import { signInAfterMailboxProof } from '../sign-in/second-factor.js';
import { sendingRateLimit } from './limits.js';

const ENTER_CODE = 'modules/identity/pages/confirm-email/enter-code.njk';
const RESEND = 'modules/identity/pages/confirm-email/resend.njk';

/** Where someone confirms their address with the code sent to it, coming back to returnTo. */
export function confirmPath(email: string, returnTo: string, extra = '') {
  return `/register/confirm?email=${encodeURIComponent(email)}&returnTo=${encodeURIComponent(returnTo)}${extra}`;
}

/**
 * Confirming the e-mail address of a new account with the code sent to it, and sending a new
 * code. Also where sign-in sends someone whose address is not yet confirmed:
 * `/register/confirm?email=<address>&returnTo=<path>`.
 */
export function confirmEmailRoutes(app: FastifyInstance, context: AppContext): void {
  const { db, config, wakeOutbox } = context;
  function page(
    request: FastifyRequest,
    email: string,
    returnTo: string,
    extra: Record<string, unknown> = {},
  ) {
    return {
      pageTitle: request.t('identity.account.confirm.title'),
      intro: request.t('identity.account.confirm.intro', { email }),
      minutes: CODE_MINUTES,
      action: '/register/confirm',
      hidden: [
        { name: 'email', value: email },
        { name: 'returnTo', value: returnTo },
      ],
      resendHref: `/register/resend?email=${encodeURIComponent(email)}&returnTo=${encodeURIComponent(returnTo)}`,
      resendText: request.t('identity.account.confirm.resend'),
      values: {},
      fieldErrors: {},
      ...extra,
    };
  }

  app.get('/register/confirm', async (request, reply) => {
    const query = request.query as { email?: string; returnTo?: string; resent?: string };
    const email = typeof query.email === 'string' ? query.email.trim() : '';
    if (emailProblem(email)) return reply.redirect('/register', 303);
    const returnTo = safeReturnPath(query.returnTo);
    return reply.view(
      ENTER_CODE,
      page(request, email, returnTo, {
        notice: query.resent ? request.t('identity.account.confirm.resent', { email }) : undefined,
      }),
    );
  });

  app.post(
    '/register/confirm',
    { config: { rateLimit: perAccountRateLimit(config) } },
    async (request, reply) => {
      const email = formText(request.body, 'email');
      const code = formText(request.body, 'code');
      const returnTo = safeReturnPath(formText(request.body, 'returnTo'));
      const outcome = await confirmRegistration(
        db,
        { email, code },
        { baseUrl: config.baseUrl, requestId: request.id },
      );
      if (!outcome.ok) {
        return reply.code(400).view(
          ENTER_CODE,
          page(request, email, returnTo, {
            values: { code },
            ...errorView(outcome.errors, request.t),
          }),
        );
      }
      wakeOutbox();
      request.log.info({ userId: outcome.userId }, 'e-mail address confirmed');
      return signInAfterMailboxProof(context, request, reply, outcome.userId, returnTo);
    },
  );

  app.get('/register/resend', async (request, reply) => {
    const query = request.query as { email?: string; returnTo?: string };
    const email = typeof query.email === 'string' ? query.email.trim() : '';
    if (emailProblem(email)) return reply.redirect('/register', 303);
    return reply.view(RESEND, {
      email,
      returnTo: safeReturnPath(query.returnTo),
      backLink: confirmPath(email, safeReturnPath(query.returnTo)),
    });
  });

  app.post(
    '/register/resend',
    { config: { rateLimit: sendingRateLimit() } },
    async (request, reply) => {
      const email = formText(request.body, 'email');
      const returnTo = safeReturnPath(formText(request.body, 'returnTo'));
      if (emailProblem(email)) return reply.redirect('/register', 303);
      await resendConfirmationCode(db, email);
      wakeOutbox();
      return reply.redirect(confirmPath(email, returnTo, '&resent=1'), 303);
    },
  );
}
