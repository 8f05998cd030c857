import type { ModuleManifest } from '../../platform/http/types.js';
import { isCitizen } from '../identity/index.js';
import { publicCorrespondenceRoutes } from './pages/public/routes.js';
import { staffCorrespondenceRoutes } from './pages/staff/routes.js';
import { isCorrespondenceStaff } from './policies/correspondence.js';
import { correspondencePersonalData } from './queries/personal-data.js';
import { correspondenceRetention } from './retention.js';

/**
 * Complaints, Freedom of Information requests and members' correspondence: each made to (or
 * recorded by) one body, worked by its staff against its own clock — the FOI Act's 20 working
 * days with clarification and public interest extension, the body's complaint stages, its reply
 * time for members — with FOI responses published to a public disclosure log and open data.
 */
export const correspondenceModule: ModuleManifest = {
  name: 'correspondence',
  navigation: [
    { text: 'correspondence.nav.yours', href: '/account/correspondence', visibleTo: isCitizen },
    {
      text: 'correspondence.nav.staff',
      href: '/staff/correspondence',
      visibleTo: isCorrespondenceStaff,
    },
  ],
  routes(app, context) {
    publicCorrespondenceRoutes(app, context);
    staffCorrespondenceRoutes(app, context);
  },
  async onAccountEvent(trx, event) {
    if (event.type !== 'deleted') return;
    // The body keeps its record of what it was asked and answered; it is no longer tied to the account.
    await trx
      .updateTable('correspondence')
      .set({ account_id: null })
      .where('account_id', '=', event.userId)
      .execute();
  },
  retention: [correspondenceRetention],
  personalDataOf: correspondencePersonalData,
  personalData: [
    {
      table: 'correspondence',
      description:
        'Complaints and Freedom of Information requests you made while signed in: your name and e-mail address, what you wrote, the answer and its outcome',
      retention:
        '3 years after the answer by default (each body may set its own), then anonymised: your name, e-mail address and words are removed',
    },
  ],
};
