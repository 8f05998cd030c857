import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorView, formText, safeReturnPath } from '../../../platform/http/forms.js';
import type { AppContext } from '../../../platform/http/types.js';
import { authenticate, registerCitizen } from '../commands/accounts.js';
import { endSession, SESSION_COOKIE, SESSION_HOURS, startSession } from '../commands/sessions.js';

const SIGN_IN = 'modules/identity/pages/sign-in/sign-in.njk';
const REGISTER = 'modules/identity/pages/register/register.njk';

/** Sign in, register and sign out: e-mail and password for now; the Gateway issue adds the rest. */
export function identityRoutes(app: FastifyInstance, { db, config }: AppContext): void {
  const secure = config.baseUrl.startsWith('https://');

  async function signInAs(reply: FastifyReply, userId: string, returnTo: string) {
    const session = await startSession(db, userId);
    reply.setCookie(SESSION_COOKIE, session.token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure,
      maxAge: SESSION_HOURS * 3600,
    });
    return reply.redirect(returnTo, 303);
  }

  app.get('/sign-in', async (request, reply) => {
    const returnTo = safeReturnPath((request.query as { returnTo?: string }).returnTo);
    return reply.view(SIGN_IN, { returnTo, values: {}, fieldErrors: {} });
  });

  // Attempts are counted per address and per e-mail, so guessing one account's password is slow
  // while people sharing an office's address can still sign in.
  const perAccount = {
    max: config.SIGN_IN_ATTEMPTS_PER_MINUTE,
    timeWindow: 60_000,
    hook: 'preHandler' as const, // after the body is parsed, so the e-mail is known
    keyGenerator: (request: FastifyRequest) =>
      `${request.ip}:${formText(request.body, 'email').toLowerCase()}`,
  };

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
    return signInAs(reply, outcome.user.id, returnTo);
  });

  app.get('/register', async (request, reply) => {
    const returnTo = safeReturnPath((request.query as { returnTo?: string }).returnTo);
    return reply.view(REGISTER, { returnTo, values: {}, fieldErrors: {} });
  });

  app.post('/register', { config: { rateLimit: perAccount } }, async (request, reply) => {
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
    return signInAs(reply, outcome.user.id, returnTo);
  });

  app.post('/sign-out', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await endSession(db, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/', 303);
  });
}
