import type { FastifyInstance } from 'fastify';
import { errorView, formText, safeReturnPath } from '../../../../platform/http/forms.js';
import type { AppContext } from '../../../../platform/http/types.js';
import { startRegistration } from '../../commands/account-lifecycle.js';
import { perAccountRateLimit } from '../shared.js';

const REGISTER = 'modules/identity/pages/register/register.njk';

/**
 * Creating an account: the account is made unconfirmed and a code is e-mailed; the person is
 * signed in only once they enter it (pages/confirm-email). A known address gets the same
 * answer (and an e-mail saying someone tried), so this page never tells who has an account.
 */
export function registerRoutes(app: FastifyInstance, { db, config, wakeOutbox }: AppContext): void {
  app.get('/register', async (request, reply) => {
    const returnTo = safeReturnPath((request.query as { returnTo?: string }).returnTo);
    return reply.view(REGISTER, { returnTo, values: {}, fieldErrors: {} });
  });

  app.post(
    '/register',
    { config: { rateLimit: perAccountRateLimit(config) } },
    async (request, reply) => {
      const values = {
        displayName: formText(request.body, 'displayName'),
        email: formText(request.body, 'email'),
      };
      const password = (request.body as { password?: unknown }).password;
      const returnTo = safeReturnPath(formText(request.body, 'returnTo'));
      const outcome = await startRegistration(
        db,
        { ...values, password: typeof password === 'string' ? password : '' },
        { baseUrl: config.baseUrl, requestId: request.id },
      );
      if (!outcome.ok) {
        return reply
          .code(400)
          .view(REGISTER, { returnTo, values, ...errorView(outcome.errors, request.t) });
      }
      wakeOutbox();
      return reply.redirect(
        `/register/confirm?email=${encodeURIComponent(outcome.email)}&returnTo=${encodeURIComponent(returnTo)}`,
        303,
      );
    },
  );
}
