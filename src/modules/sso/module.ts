import type { ModuleManifest } from '../../platform/http/types.js';
import { ssoPersonalData } from './queries/personal-data.js';
import { enqueue } from '../../platform/outbox/outbox.js';

const BACKCHANNEL_LOGOUT_TOPIC = 'sso.backchannel-logout';
import { isPlatformAdmin, SESSION_COOKIE } from '../identity/index.js';
import { registerHolder, signOutOfRelyingParties } from './commands/logout.js';
import { adminRoutes } from './pages/admin/routes.js';
import { oidcRoutes } from './pages/oidc-routes.js';
import { ProviderHolder } from './provider.js';

/**
 * Single sign-on: Joinedup as an OpenID Connect provider for other public bodies' services,
 * profiled like GOV.UK One Login (vectors of trust, pairwise subjects, private_key_jwt).
 */
export const ssoModule: ModuleManifest = {
  name: 'sso',
  navigation: [
    { text: 'sso.admin.nav', href: '/admin/relying-parties', visibleTo: isPlatformAdmin },
  ],
  hooks(app, { db, logger }) {
    // Back-channel logout when a person signs out of Joinedup: relying parties are told
    // before the sign-out handler (identity module) ends the session.
    app.addHook('preHandler', async (request) => {
      if (request.method !== 'POST' || request.url.split('?')[0] !== '/sign-out') return;
      if (!request.user || !request.cookies[SESSION_COOKIE]) return;
      try {
        await signOutOfRelyingParties(db, request.user.id);
      } catch (err) {
        logger.error({ err }, 'single sign-on logout failed');
      }
    });
  },
  // Signing out everywhere or deleting the account also signs the person out of every relying
  // party: through the outbox, since it calls their back-channel URIs and must not hold a transaction.
  async onAccountEvent(trx, event) {
    await enqueue(trx, {
      topic: BACKCHANNEL_LOGOUT_TOPIC,
      payload: { userId: event.userId },
      idempotencyKey: `${BACKCHANNEL_LOGOUT_TOPIC}:${event.type}:${event.userId}:${Date.now()}`,
    });
  },
  outboxHandlers: ({ db }) => ({
    async [BACKCHANNEL_LOGOUT_TOPIC](payload) {
      await signOutOfRelyingParties(db, String(payload.userId));
    },
  }),
  async routes(app, context) {
    const holder = new ProviderHolder(
      {
        db: context.db,
        config: context.config,
        logger: context.logger.child({ component: 'oidc' }),
      },
      app,
    );
    registerHolder(context.db, holder, context.logger);
    await oidcRoutes(app, context, holder);
    adminRoutes(app, context);
  },
  personalDataOf: ssoPersonalData,
  personalData: [
    {
      table: 'oidc_payloads',
      description: 'Your single sign-on sessions with other public bodies’ services',
      retention: '8 hours',
    },
  ],
};
