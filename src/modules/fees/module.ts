import type { ModuleManifest } from '../../platform/http/types.js';
import { feesPersonalData } from './queries/personal-data.js';
import { PAYMENT_FINISHED_TOPIC, paymentFinishedHandler } from './commands/charges.js';
import { accountRoutes } from './pages/account/routes.js';
import { returnRoutes } from './pages/return/routes.js';
import { staffRoutes } from './pages/staff/routes.js';
import { hasBillsPage, mayManageAnyCharges } from './policies/fees.js';
import { feeSections } from './sections.js';

/**
 * Fees in services: a form's fee paid before its application is sent on, bills a body raises
 * to a person, and council tax-style instalment plans, all paid through the payments module.
 */
export const feesModule: ModuleManifest = {
  name: 'fees',
  navigation: [
    { text: 'fees.nav.bills', href: '/account/bills', visibleTo: hasBillsPage },
    { text: 'fees.nav.staff', href: '/fees/staff', visibleTo: mayManageAnyCharges },
  ],
  routes(app, context) {
    returnRoutes(app, context);
    accountRoutes(app, context);
    staffRoutes(app, context);
  },
  outboxHandlers: () => ({ [PAYMENT_FINISHED_TOPIC]: paymentFinishedHandler }),
  applicationSections: feeSections,
  personalDataOf: feesPersonalData,
  personalData: [
    {
      table: 'fee_charges',
      description:
        'Fees, bills and instalments you owe or paid to public bodies: the amount, what it was for, its reference, when it was due and when you paid, and your e-mail address',
      retention: 'Kept for now: no retention period is applied yet (financial records)',
    },
    {
      table: 'fee_plans',
      description:
        'Instalment plans a body set for you: the total, the instalments and the first date',
      retention: 'Kept for now: no retention period is applied yet (financial records)',
    },
  ],
};
