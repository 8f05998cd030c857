import type { ModuleManifest } from '../../platform/http/types.js';
import { identityPersonalData } from './queries/personal-data.js';
import { sessionHook } from './commands/sessions.js';
import {
  DELIVERY_PROBLEM_TOPIC,
  deliveryProblemOutboxHandler,
} from './commands/delivery-problems.js';
import { registerRoutes } from './pages/register/routes.js';
import { confirmEmailRoutes } from './pages/confirm-email/routes.js';
import { forgotPasswordRoutes } from './pages/forgot-password/routes.js';
import { accountRoutes } from './pages/account/routes.js';
import { signInRoutes } from './pages/sign-in/routes.js';
import { secondFactorRoutes } from './pages/second-factor/routes.js';
import { securityRoutes } from './pages/security/routes.js';
import { timeoutWarningHook } from './pages/security/timeout-warning.js';
import { signedOutRoutes } from './pages/signed-out/routes.js';
import { verifyRoutes } from './pages/verify/routes.js';
import { counterRoutes } from './pages/verify/counter/routes.js';
import type { AppContext } from '../../platform/http/types.js';
import type { FastifyInstance } from 'fastify';

/** Each page group registers its own routes; add a group here. */
const ROUTE_GROUPS: ((app: FastifyInstance, context: AppContext) => void | Promise<void>)[] = [
  signInRoutes,
  registerRoutes,
  confirmEmailRoutes,
  forgotPasswordRoutes,
  accountRoutes,
  secondFactorRoutes,
  securityRoutes,
  signedOutRoutes,
  counterRoutes, // before verifyRoutes: /verify/counter is not a journey step
  verifyRoutes,
];

/** Accounts, sign-in and sessions (kept in the database so any node can serve any request). */
export const identityModule: ModuleManifest = {
  name: 'identity',
  hooks(app, { db, config }) {
    // Sets request.user; an idle or expired session is ended and the page says so. Staff
    // without a second factor are held at its set-up while STAFF_SECOND_FACTOR requires one.
    app.addHook(
      'onRequest',
      sessionHook(db, config.SESSION_IDLE_MINUTES, {
        staffSecondFactor: config.staffSecondFactor,
      }),
    );
    // Pages of a signed-in person carry the "You're about to be signed out" dialog.
    app.addHook('preHandler', timeoutWarningHook(config));
  },
  async routes(app, context) {
    for (const register of ROUTE_GROUPS) await register(app, context);
  },
  // Another module (notify) reports an address that bounced or a number the provider refused.
  outboxHandlers: () => ({ [DELIVERY_PROBLEM_TOPIC]: deliveryProblemOutboxHandler() }),
  navigation: [
    { text: 'identity.account.nav', href: '/account', visibleTo: (user) => user !== null },
    {
      text: 'identity.security.nav',
      href: '/account/security',
      visibleTo: (user) => user !== null,
    },
  ],
  personalDataOf: identityPersonalData,
  personalData: [
    {
      table: 'users',
      description:
        'Your name, e-mail address, password (hashed), phone number and second factor (an authenticator app key, encrypted)',
      retention: 'Until you delete your account',
    },
    {
      table: 'sessions',
      description: 'When you signed in, when you last used the service, and your browser',
      retention: '8 hours, or 30 minutes unused',
    },
    {
      table: 'pending_sign_ins',
      description: 'A sign-in waiting for your second factor',
      retention: '15 minutes',
    },
    {
      table: 'identity_verification_journeys',
      description:
        'The name, date of birth, National Insurance number and postcode you are typing to prove your identity',
      retention: 'Until the check is done, or 1 hour',
    },
    {
      table: 'identity_verification_attempts',
      description: 'When you tried to prove your identity online and whether your details matched',
      retention: 'Until you delete your account',
    },
    {
      table: 'identity_document_checks',
      description:
        'Which identity documents an adviser saw when you proved your identity in person (type and last 4 characters of the number only), and who saw them',
      retention: 'Until you delete your account',
    },
    {
      table: 'verified_identities',
      description:
        'The name, date of birth and address you proved your identity with (from the benefits register, or confirmed by an adviser), which services you sign in to with a verified identity may receive',
      retention: 'Until you delete your account, or replaced when you prove your identity again',
    },
  ],
};
