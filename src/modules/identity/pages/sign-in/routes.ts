import type { FastifyInstance } from 'fastify';
import { errorView, formText, safeReturnPath } from '../../../../platform/http/forms.js';
import type { AppContext } from '../../../../platform/http/types.js';
import { authenticate } from '../../commands/accounts.js';
import { endSession, SESSION_COOKIE } from '../../commands/sessions.js';
import { perAccountRateLimit, signInAs } from '../shared.js';

const SIGN_IN = 'modules/identity/pages/sign-in/sign-in.njk';

/** Sign in and sign out. */
export function signInRoutes(app: FastifyInstance, { db, config }: AppContext): void {
  app.get('/sign-in', async (request, reply) => {
    const returnTo = safeReturnPath((request.query as { returnTo?: string }).returnTo);
    return reply.view(SIGN_IN, { returnTo, values: {}, fieldErrors: {} });
  });

  const perAccount = perAccountRateLimit(config);

  app.post('/sign-in', { config: { rateLimit: perAccount } }, async (request, reply) => {
    const email = formText(request.body, 'email');
    const password = (request.body as { password?: unknown }).password;
    const returnTo = safeReturnPath(formText(request.body, 'returnTo'));
    const outcome =
      email && typeof password === 'string' && password
        ? await authenticate(db, email, password)
        : {
            ok: false as const,
            errors: [
              ...(email ? [] : [{ field: 'email', message: 'identity.email.missing' }]),
              ...(typeof password === 'string' && password
                ? []
                : [{ field: 'password', message: 'identity.password.missing' }]),
            ],
          };
    if (!outcome.ok) {
      return reply
        .code(400)
        .view(SIGN_IN, { returnTo, values: { email }, ...errorView(outcome.errors, request.t) });
    }
    request.log.info({ userId: outcome.user.id }, 'signed in');
    return signInAs(db, config, reply, outcome.user.id, returnTo);
  });

  app.post('/sign-out', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await endSession(db, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/', 303);
  });
}
