import type { ModuleManifest } from '../../platform/http/types.js';
import { SESSION_COOKIE, userForSession } from './commands/sessions.js';
import { registerRoutes } from './pages/register/routes.js';
import { signInRoutes } from './pages/sign-in/routes.js';
import type { AppContext } from '../../platform/http/types.js';
import type { FastifyInstance } from 'fastify';

/** Each page group registers its own routes; add a group here. */
const ROUTE_GROUPS: ((app: FastifyInstance, context: AppContext) => void | Promise<void>)[] = [
  signInRoutes,
  registerRoutes,
];

/** Accounts, sign-in and sessions (kept in the database so any node can serve any request). */
export const identityModule: ModuleManifest = {
  name: 'identity',
  hooks(app, { db }) {
    app.addHook('onRequest', async (request) => {
      const token = request.cookies[SESSION_COOKIE];
      request.user = token ? await userForSession(db, token) : null;
    });
  },
  async routes(app, context) {
    for (const register of ROUTE_GROUPS) await register(app, context);
  },
  personalData: [
    {
      table: 'users',
      description: 'Your name, e-mail address and password (hashed)',
      retention: 'Until you delete your account',
    },
    { table: 'sessions', description: 'When you signed in', retention: '12 hours' },
  ],
};
