import type { ModuleManifest } from '../../platform/http/types.js';
import { inboxPersonalData } from './queries/personal-data.js';
import { hasRole, isCitizen } from '../identity/index.js';
import { inboxApiRoutes } from './api/routes.js';
import { eraseForAccount } from './commands/messages.js';
import { citizenInboxRoutes } from './pages/citizen/routes.js';
import { staffInboxRoutes } from './pages/staff/routes.js';
import { inboxMessageRetention } from './retention.js';

/**
 * The account inbox (secure mail): public bodies put messages, with attachments, in a person's
 * account, from a caseworker's page or their own systems through the API; the person is
 * e-mailed only that a message is waiting, reads it, replies where the body allows, deletes it.
 */
export const inboxModule: ModuleManifest = {
  name: 'inbox',
  routes(app, context) {
    // Staff pages first: `/inbox/staff` is a page, not a message id.
    staffInboxRoutes(app, context);
    citizenInboxRoutes(app, context);
    inboxApiRoutes(app, context);
  },
  async onAccountEvent(trx, event) {
    if (event.type === 'deleted') await eraseForAccount(trx, event.userId);
  },
  retention: [inboxMessageRetention],
  navigation: [
    { text: 'inbox.nav', href: '/inbox', visibleTo: isCitizen },
    {
      text: 'inbox.staff.nav',
      href: '/inbox/staff',
      visibleTo: (user) => hasRole(user, 'caseworker'),
    },
  ],
  personalDataOf: inboxPersonalData,
  personalData: [
    {
      table: 'inbox_messages',
      description:
        'Messages public bodies sent to your account, with their attachments, whether you read them, and your replies',
      retention:
        'Until you delete your account, or 2 years after it was sent by default (each body may set its own), whichever is first (a message you delete goes from your inbox; the body that sent it keeps its copy until then)',
    },
    {
      table: 'inbox_replies',
      description: 'Your replies to messages from public bodies',
      retention: 'As the message it replies to',
    },
  ],
};
