import type { FastifyInstance } from 'fastify';
import { errorView, formText, safeReturnPath } from '../../../../platform/http/forms.js';
import type { AppContext } from '../../../../platform/http/types.js';
import { registerCitizen } from '../../commands/accounts.js';
import { perAccountRateLimit, signInAs } from '../shared.js';

const REGISTER = 'modules/identity/pages/register/register.njk';

/** Creating an account. */
export function registerRoutes(app: FastifyInstance, { db, config }: AppContext): void {
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
      const outcome = await registerCitizen(db, {
        ...values,
        password: typeof password === 'string' ? password : '',
      });
      if (!outcome.ok) {
        return reply
          .code(400)
          .view(REGISTER, { returnTo, values, ...errorView(outcome.errors, request.t) });
      }
      return signInAs(db, config, reply, outcome.user.id, returnTo);
    },
  );
}
