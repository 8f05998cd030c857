import type { ModuleManifest } from '../../platform/http/types.js';
import { notifyPersonalData } from './queries/personal-data.js';
import { notifyApiRoutes } from './api/routes.js';
import { providerStatusRoutes } from './api/provider-status.js';
import { notifyOutboxHandlers } from './commands/deliver.js';
import { platformMessageHandlers } from './commands/platform-messages.js';
import { notifySealingKey } from './crypto.js';
import { notifyAdminRoutes } from './pages/admin/routes.js';
import { mayAdministerAnyNotify } from './policies/admin.js';
import { notificationRetention } from './retention.js';

/**
 * Notifications, compatible with GOV.UK Notify: each organisation's service, API keys and
 * templates, the `/v2` API that the official Notify clients work against, and the delivery of
 * e-mails, text messages and letters through the outbox.
 */
export const notifyModule: ModuleManifest = {
  name: 'notify',
  navigation: [
    { text: 'notify.admin.nav', href: '/admin/notify', visibleTo: mayAdministerAnyNotify },
  ],
  routes(app, context) {
    notifyApiRoutes(app, context, notifySealingKey(context.config));
    providerStatusRoutes(app, context);
    notifyAdminRoutes(app, context);
  },
  outboxHandlers(context) {
    return {
      // The platform's own e-mails, text messages and letters become notifications too.
      ...platformMessageHandlers(context.config),
      ...notifyOutboxHandlers(context.config, notifySealingKey(context.config)),
    };
  },
  retention: [notificationRetention],
  personalDataOf: notifyPersonalData,
  personalData: [
    {
      table: 'notify_notifications',
      description:
        'E-mails, text messages and letters public bodies sent you through Joinedup: the address or number, the message and its delivery status',
      retention:
        '3 months after it was sent by default (each body may set 1 to 24 months; GOV.UK Notify keeps 7 days), then deleted',
    },
  ],
};
