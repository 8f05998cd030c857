import type { ModuleManifest } from '../../platform/http/types.js';
import { isCitizen } from '../identity/index.js';
import { submissionHandlers } from './notifications.js';
import { submissionRoutes } from './pages/routes.js';
import { receiptRoutes } from './receipts/routes.js';
import { hubApiRoutes } from './api/routes.js';
import { hubAdminRoutes } from './pages/hub-admin/routes.js';
import { mayAdministerAnyHub } from './policies/hub.js';

/** Applications people send to public bodies, their delivery and their status history. */
export const submissionsModule: ModuleManifest = {
  name: 'submissions',
  routes: (app, context) => {
    submissionRoutes(app, context);
    receiptRoutes(app, context);
    hubApiRoutes(app, context);
    hubAdminRoutes(app, context);
  },
  outboxHandlers: ({ config }) => submissionHandlers(config),
  navigation: [
    { text: 'submissions.nav', href: '/applications', visibleTo: isCitizen },
    { text: 'submissions.hub.nav', href: '/admin/hub', visibleTo: mayAdministerAnyHub },
  ],
  personalData: [
    {
      table: 'submissions',
      description:
        'Your applications and your answers, including any an agent sent on your behalf; as an agent, the applications you sent for clients',
      retention: '6 years after the decision',
    },
    {
      table: 'submission_events',
      description: 'What has happened to each application',
      retention: 'As the application',
    },
  ],
};
