import type { ModuleManifest } from '../../platform/http/types.js';
import { myDataRoutes } from './pages/my-data/routes.js';
import { requestRoutes } from './pages/requests/routes.js';
import { staffRoutes } from './pages/staff/routes.js';
import { handlesRequests, mayViewOwnData } from './policies/mydata.js';
import { mydataPersonalData } from './queries/my-data.js';
import { subjectAccessRequestRetention } from './retention.js';

/**
 * My data: a person's view of everything Joinedup holds about them (each module's own
 * `personalDataOf`, gathered by the platform), with JSON and CSV downloads; the access log of
 * every read by bodies' staff, with the reason given; and subject access requests to bodies for
 * what they hold elsewhere, answered by each body's team leaders within the statutory month.
 */
export const mydataModule: ModuleManifest = {
  name: 'mydata',
  routes(app, context) {
    myDataRoutes(app, context);
    requestRoutes(app, context);
    staffRoutes(app, context);
  },
  navigation: [
    { text: 'mydata.nav', href: '/account/my-data', visibleTo: mayViewOwnData },
    { text: 'mydata.staff.nav', href: '/staff/access-requests', visibleTo: handlesRequests },
  ],
  retention: [subjectAccessRequestRetention],
  personalDataOf: mydataPersonalData,
  personalData: [
    {
      table: 'subject_access_requests',
      description:
        'Requests you sent to public bodies for the information they hold about you: to which body, what you were looking for, when it is due, and their answer',
      retention:
        '2 years after the body answered by default (each body may set 1 to 6 years), then deleted',
    },
  ],
};
