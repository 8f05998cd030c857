import type { ModuleManifest } from '../../platform/http/types.js';
import { SESSION_COOKIE, userForSession } from './commands/sessions.js';
import { identityRoutes } from './pages/routes.js';

/** Accounts, sign-in and sessions (kept in the database so any node can serve any request). */
export const identityModule: ModuleManifest = {
  name: 'identity',
  hooks(app, { db }) {
    app.addHook('onRequest', async (request) => {
      const token = request.cookies[SESSION_COOKIE];
      request.user = token ? await userForSession(db, token) : null;
    });
  },
  routes: identityRoutes,
  personalData: [
    {
      table: 'users',
      description: 'Your name, e-mail address and password (hashed)',
      retention: 'Until you delete your account',
    },
    { table: 'sessions', description: 'When you signed in', retention: '12 hours' },
  ],
};
