import type { ModuleManifest } from '../../platform/http/types.js';
import { isCitizen, isPlatformAdmin } from '../identity/index.js';
import { sharingApiRoutes } from './api/routes.js';
import { DELIVER_TOPIC, endSharingForAccount } from './commands/changes.js';
import { sharingDeliveryHandler } from './delivery.js';
import { adminRoutes } from './pages/admin/routes.js';
import { consentRoutes } from './pages/consents/routes.js';
import { journeyRoutes } from './pages/journey/routes.js';
import { statusRoutes } from './pages/status/routes.js';
import { personalDataOf } from './queries/personal-data.js';
import { sharingDeliveryRetention } from './retention.js';

/**
 * Tell us once: a person tells a change of circumstances once and the bodies they deal with
 * are told — each only within a live data-sharing agreement, only the agreement's fields, and
 * with the person's consent unless the agreement's legal basis needs none — through the hub
 * (signed webhook or pull inbox), with each body's answer shown to the person.
 */
export const sharingModule: ModuleManifest = {
  name: 'sharing',
  navigation: [
    { text: 'sharing.nav.tell', href: '/tell-us-once', visibleTo: isCitizen },
    { text: 'sharing.nav.consents', href: '/account/consents', visibleTo: isCitizen },
    { text: 'sharing.nav.admin', href: '/admin/sharing', visibleTo: isPlatformAdmin },
  ],
  routes(app, context) {
    journeyRoutes(app, context);
    statusRoutes(app, context);
    consentRoutes(app, context);
    adminRoutes(app, context);
    sharingApiRoutes(app, context);
  },
  outboxHandlers(context) {
    return { [DELIVER_TOPIC]: sharingDeliveryHandler(context.config) };
  },
  async onAccountEvent(trx, event) {
    if (event.type === 'deleted') await endSharingForAccount(trx, event.userId);
  },
  personalData: [
    {
      table: 'sharing_changes',
      description:
        'The changes of circumstances you told us (a new address, name or contact details, a death or a birth you reported) and which bodies were told',
      retention:
        'Two years after the last body told has answered (each body may set 6 months to 10 years), the details you told us are removed; the kind of change, its reference and dates are kept',
    },
    {
      table: 'sharing_consents',
      description: 'Your consents to bodies being told of your changes, and when you withdrew them',
      retention: 'Kept for now: no retention period is applied yet',
    },
  ],
  personalDataOf,
  retention: [sharingDeliveryRetention],
};
