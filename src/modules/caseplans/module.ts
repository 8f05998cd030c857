import type { ModuleManifest } from '../../platform/http/types.js';
import { isCitizen } from '../identity/index.js';
import { accountCasePlanRoutes } from './pages/account/routes.js';
import { staffCasePlanRoutes } from './pages/staff/routes.js';
import { mayOpenCasePlan } from './policies/caseplans.js';

/**
 * Multi-agency case plans (issue 17): one shared plan several bodies work around a person or
 * household with complex needs — invitations and lawful bases per body, needs assessments,
 * actions, conferences, a chronology, links to other modules' records, the person's own view
 * and anonymised outcomes — under the strictest access rules on the platform (policies/).
 */
export const caseplansModule: ModuleManifest = {
  name: 'caseplans',
  navigation: [
    { text: 'caseplans.nav.account', href: '/account/case-plans', visibleTo: isCitizen },
    { text: 'caseplans.nav.staff', href: '/staff/case-plans', visibleTo: mayOpenCasePlan },
  ],
  routes(app, context) {
    staffCasePlanRoutes(app, context);
    accountCasePlanRoutes(app, context);
  },
  async onAccountEvent(trx, event) {
    if (event.type !== 'deleted') return;
    // The bodies keep their plan (a safeguarding record); it is no longer tied to the account.
    await trx
      .updateTable('case_plans')
      .set({ person_account_id: null })
      .where('person_account_id', '=', event.userId)
      .execute();
  },
  personalData: [
    {
      table: 'case_plans',
      description:
        'Multi-agency case plans about you: your name, date of birth, address and contact details as the lead body entered them, your needs assessments, the actions bodies agreed and the case conferences',
      retention:
        'Kept by the lead body while the plan is open and for the period its policy sets after',
    },
  ],
};
