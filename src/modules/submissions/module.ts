import type { ModuleManifest } from '../../platform/http/types.js';
import { submissionsPersonalData } from './queries/personal-data.js';
import { isCitizen } from '../identity/index.js';
import { submissionHandlers } from './notifications.js';
import { submissionRoutes } from './pages/routes.js';
import { receiptRoutes } from './receipts/routes.js';
import { hubApiRoutes } from './api/routes.js';
import { hubAdminRoutes } from './pages/hub-admin/routes.js';
import { mayAdministerAnyHub } from './policies/hub.js';
import { submissionRetention } from './retention.js';

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
  retention: [submissionRetention],
  navigation: [
    { text: 'submissions.nav', href: '/applications', visibleTo: isCitizen },
    { text: 'submissions.hub.nav', href: '/admin/hub', visibleTo: mayAdministerAnyHub },
  ],
  personalDataOf: submissionsPersonalData,
  personalData: [
    {
      table: 'submissions',
      description:
        'Your applications and your answers, including any an agent sent on your behalf; as an agent, the applications you sent for clients',
      retention:
        '6 years after the decision by default (each body may set its own), then anonymised: your answers, details and files are removed',
    },
    {
      table: 'submission_events',
      description: 'What has happened to each application',
      retention: 'As the application',
    },
  ],
};
