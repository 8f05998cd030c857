import type { ModuleManifest } from '../../platform/http/types.js';
import { hashSessionToken, SESSION_COOKIE } from '../identity/index.js';
import { findPublishedService } from '../catalogue/index.js';
import { currentAccess, recordRefusal } from './commands/access.js';
import { actorOf } from './commands/actor.js';
import { assistingEntryFor } from './commands/assist.js';
import { adminRoutes } from './pages/admin/routes.js';
import { deskRoutes } from './pages/desk/routes.js';
import { isAdviser, mayAssistAtLevel, mayManageAgreements } from './policies/desk.js';
import { crmPersonalData } from './queries/contacts.js';
import { contactRetention, identityCheckRetention } from './retention.js';
import { findUserById } from '../identity/index.js';

/** A service's online journey: `/services/<slug>/apply…`. */
const ASSISTED_JOURNEY = /^\/services\/([a-z0-9-]+)\/apply(?:[/?]|$)/;
/** Requests to a journey refused to the assisted customer, and whose record to go back to. */
const refusedJourneys = new WeakMap<object, string>();

/**
 * The adviser's desk of contact centres and one-stop shops: finding and confirming the caller,
 * the single customer view under contact-centre sharing agreements, assisted digital (an
 * adviser fills in a service for a customer who consented) and the contact log with call-backs.
 */
export const crmModule: ModuleManifest = {
  name: 'crm',
  hooks(app, { db }) {
    // Runs after the identity hook: marks an adviser's session as assisting a customer while
    // the consent recorded on this session stands and the caller's check is within the hour,
    // so the forms journey fills in the customer's application (ADR 0008).
    app.addHook('onRequest', async (request) => {
      const user = request.user;
      const token = request.cookies[SESSION_COOKIE];
      if (!token || !isAdviser(user)) return;
      const entry = await assistingEntryFor(db, hashSessionToken(token), user.id);
      if (!entry || entry.contactCentreId !== user.organisationId) return;
      if (!(await currentAccess(db, user, entry.customerId)).ok) return;
      const customer = await findUserById(db, entry.customerId);
      if (!customer || customer.deleted_at) return;
      // A service needing a verified identity stays closed to an assisted customer without one,
      // however the adviser reached it (not only through the desk's "fill in a service").
      const slug = ASSISTED_JOURNEY.exec(request.url)?.[1];
      const service = slug ? await findPublishedService(db, slug, 'en') : undefined;
      if (service && !mayAssistAtLevel(service.requiredLevel, customer)) {
        await recordRefusal(db, actorOf(request, user), customer.id, 'identity-not-verified');
        refusedJourneys.set(request, customer.id);
        return;
      }
      user.actingFor = { userId: customer.id, displayName: customer.display_name };
      user.assisting = { channel: entry.channel, returnTo: `/adviser/customers/${customer.id}` };
    });
    // The refusal is drawn once the page's locals are set (the views' own onRequest hook).
    app.addHook('preHandler', async (request, reply) => {
      const customerId = refusedJourneys.get(request);
      if (!customerId) return;
      return reply.code(403).view('modules/crm/pages/desk/refused.njk', {
        refusal: 'identity-not-verified',
        confirmHref: null,
        backLink: `/adviser/customers/${customerId}`,
      });
    });
  },
  // A deleted account is assisted by no one; an adviser signed out everywhere assists no one.
  async onAccountEvent(trx, event) {
    await trx
      .deleteFrom('crm_assisting_sessions')
      .where((eb) =>
        eb.or([
          eb('customer_user_id', '=', event.userId),
          eb('adviser_user_id', '=', event.userId),
        ]),
      )
      .execute();
  },
  routes(app, context) {
    deskRoutes(app, context);
    adminRoutes(app, context);
  },
  navigation: [
    { text: 'crm.nav', href: '/adviser', visibleTo: isAdviser },
    { text: 'crm.agreements.nav', href: '/admin/contact-centres', visibleTo: mayManageAgreements },
  ],
  personalDataOf: crmPersonalData,
  retention: [contactRetention, identityCheckRetention],
  personalData: [
    {
      table: 'crm_contacts',
      description:
        'Your calls and visits to contact centres: when, why, how long and what was done, and which application they were about',
      retention:
        'Deleted with any call-back 24 months after the contact, unless the contact centre sets another period',
    },
    {
      table: 'crm_identity_checks',
      description:
        'The questions a contact centre adviser asked to confirm who you are, and whether each was answered rightly (not your answers)',
      retention: 'Deleted 24 months after the check, unless the contact centre sets another period',
    },
    {
      table: 'crm_callbacks',
      description: 'Call-backs a contact centre promised you, with the number to call',
      retention: 'Deleted with the contact they were promised in',
    },
    {
      table: 'crm_assisting_sessions',
      description:
        'While an adviser fills in a service with you: that you agreed, and on which channel',
      retention: 'Until the adviser stops, or an hour after they confirmed who you are',
    },
  ],
};
