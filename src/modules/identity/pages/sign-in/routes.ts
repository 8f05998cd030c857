import type { FastifyInstance } from 'fastify';
import { errorView, formText, safeReturnPath } from '../../../../platform/http/forms.js';
import { AppError } from '../../../../platform/errors/errors.js';
import { consumeRateLimit } from '../../../../platform/http/rate-limit-store.js';
import type { AppContext } from '../../../../platform/http/types.js';
import { resendConfirmationCode } from '../../commands/account-lifecycle.js';
import { authenticate } from '../../commands/accounts.js';
import { confirmPath } from '../confirm-email/routes.js';
import { endSession, SESSION_COOKIE } from '../../commands/sessions.js';
import { perAccountRateLimit, signInAs } from '../shared.js';
import { holdForSecondFactor, secondFactorSignInRoutes } from './second-factor.js';

const SIGN_IN = 'modules/identity/pages/sign-in/sign-in.njk';

/** Where a person lands after signing in when they were not on their way somewhere else. */
function landingFor(user: { kind: 'citizen' | 'staff' }): string {
  return user.kind === 'citizen' ? '/home' : '/';
}

/** Sign in and sign out. */
export function signInRoutes(app: FastifyInstance, context: AppContext): void {
  const { db, config } = context;
  app.get('/sign-in', async (request, reply) => {
    // Empty when the person came to sign in on purpose: they land where `landingFor` says.
    const returnTo = safeReturnPath((request.query as { returnTo?: string }).returnTo, '');
    return reply.view(SIGN_IN, { returnTo, values: {}, fieldErrors: {} });
  });

  const perAccount = perAccountRateLimit(config);

  app.post('/sign-in', { config: { rateLimit: perAccount } }, async (request, reply) => {
    const email = formText(request.body, 'email');
    const password = (request.body as { password?: unknown }).password;
    const asked = safeReturnPath(formText(request.body, 'returnTo'), '');
    // Besides the per-account limit: one address trying many accounts is slowed too.
    const fromAddress = await consumeRateLimit(
      db,
      `sign-in:address:${request.ip}`,
      config.SIGN_IN_ATTEMPTS_PER_ADDRESS_PER_MINUTE,
      60_000,
    );
    if (!fromAddress.allowed) {
      reply.header('retry-after', Math.ceil(fromAddress.resetInMs / 1000));
      throw new AppError('rate_limited', 429, 'Too many attempts', { ip: request.ip });
    }
    const outcome =
      email && typeof password === 'string' && password
        ? await authenticate(db, email, password, {
            baseUrl: config.baseUrl,
            requestId: request.id,
          })
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
      return reply.code(400).view(SIGN_IN, {
        returnTo: asked,
        values: { email },
        ...errorView(outcome.errors, request.t),
      });
    }
    const returnTo = asked || landingFor(outcome.user);
    // An address never confirmed gets a fresh code and no session until it is entered.
    if (!outcome.user.email_verified_at) {
      await resendConfirmationCode(db, outcome.user.email);
      context.wakeOutbox();
      return reply.redirect(confirmPath(outcome.user.email, returnTo), 303);
    }
    request.log.info({ userId: outcome.user.id }, 'signed in');
    // With a second factor, no session until the code is given (level 2 from the start).
    if (outcome.user.second_factor !== 'none')
      return holdForSecondFactor(context, request, reply, outcome.user, returnTo);
    return signInAs(db, config, reply, outcome.user.id, returnTo);
  });

  secondFactorSignInRoutes(app, context);

  app.post('/sign-out', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await endSession(db, token, { requestId: request.id });
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/', 303);
  });
}
