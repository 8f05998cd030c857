import type { ModuleManifest } from '../../platform/http/types.js';
import { agentsPersonalData } from './queries/personal-data.js';
import { isCitizen, SESSION_COOKIE } from '../identity/index.js';
import { actingEntryFor, rememberActing, sessionIdHash } from './commands/acting.js';
import { agentRoutes } from './pages/agents/routes.js';
import { businessRoutes } from './pages/business/routes.js';

/**
 * Organisation accounts (businesses and charities with administrators and assistants) and
 * agents acting for clients in the services the client named.
 */
export const agentsModule: ModuleManifest = {
  name: 'agents',
  hooks(app, { db }) {
    // Runs after the identity hook: marks the user as acting for a client when this session
    // acts for one and the authority, the agent business and the membership all still hold.
    app.addHook('onRequest', async (request) => {
      const user = request.user;
      const token = request.cookies[SESSION_COOKIE];
      if (!user || !token || user.kind !== 'citizen') return;
      const entry = await actingEntryFor(db, sessionIdHash(token), user.id);
      if (entry) rememberActing(user, entry);
      else user.actingFor = null;
    });
  },
  // A deleted account can no longer be acted for, nor act for anyone.
  async onAccountEvent(trx, event) {
    if (event.type !== 'deleted') return;
    await trx
      .updateTable('agent_authorities')
      .set({ status: 'revoked', ended_at: new Date() })
      .where('client_user_id', '=', event.userId)
      .where('status', 'in', ['requested', 'approved'])
      .execute();
    await trx.deleteFrom('business_members').where('user_id', '=', event.userId).execute();
  },
  async routes(app, context) {
    businessRoutes(app, context);
    agentRoutes(app, context);
  },
  navigation: [
    { text: 'agents.nav.business', href: '/business', visibleTo: isCitizen },
    { text: 'agents.nav.authorities', href: '/agents/authorities', visibleTo: isCitizen },
  ],
  personalDataOf: agentsPersonalData,
  personalData: [
    {
      table: 'business_members',
      description: 'The business and charity accounts you belong to, and your role in each',
      retention: 'Until you leave the account or it is closed',
    },
    {
      table: 'business_invitations',
      description: 'Invitations to join a business account sent to your e-mail address',
      retention: 'Until accepted, or 7 days',
    },
    {
      table: 'agent_authorities',
      description: 'Agents you have given authority to act for you, and in which services',
      retention: 'Until you revoke it, then kept with the audit log',
    },
    {
      table: 'acting_sessions',
      description: 'Which client you are acting for while signed in as an agent',
      retention: 'Until you stop or sign out',
    },
  ],
};
