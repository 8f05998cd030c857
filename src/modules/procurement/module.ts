import type { ModuleManifest } from '../../platform/http/types.js';
import { isCitizen } from '../identity/index.js';
import { ocdsRoutes } from './ocds/routes.js';
import { procurementDocumentRoutes } from './pages/documents/routes.js';
import { publicProcurementRoutes } from './pages/public/routes.js';
import { staffProcurementRoutes } from './pages/staff/routes.js';
import { supplierOrderRoutes } from './pages/supplier/order-routes.js';
import { supplierRoutes } from './pages/supplier/routes.js';
import { isProcurementStaff } from './policies/procurement.js';
import { procurementPersonalData } from './queries/personal-data.js';
import { clarificationRetention, tenderRetention } from './retention.js';

/**
 * E-procurement: businesses register as suppliers; public bodies (alone or buying together)
 * publish opportunities anyone can search at /procurement; suppliers ask clarification questions
 * and send sealed tenders; the body evaluates, moderates, awards and publishes the award; orders
 * and invoices follow; notices and awards are open data in OCDS 1.1.
 */
export const procurementModule: ModuleManifest = {
  name: 'procurement',
  navigation: [
    { text: 'procurement.nav.opportunities', href: '/procurement', visibleTo: isCitizen },
    { text: 'procurement.nav.staff', href: '/staff/procurement', visibleTo: isProcurementStaff },
  ],
  async routes(app, context) {
    publicProcurementRoutes(app, context);
    supplierRoutes(app, context);
    supplierOrderRoutes(app, context);
    staffProcurementRoutes(app, context);
    ocdsRoutes(app, context);
    await procurementDocumentRoutes(app, context);
  },
  async onAccountEvent(trx, event) {
    if (event.type !== 'deleted') return;
    // Registrations, questions and tenders belong to the business and the buyer's record; they
    // are no longer tied to the person.
    await trx
      .updateTable('procurement_suppliers')
      .set({ registered_by: null })
      .where('registered_by', '=', event.userId)
      .execute();
    await trx
      .updateTable('procurement_clarifications')
      .set({ asked_by: null })
      .where('asked_by', '=', event.userId)
      .execute();
    await trx
      .updateTable('procurement_responses')
      .set({ submitted_by: null })
      .where('submitted_by', '=', event.userId)
      .execute();
  },
  personalDataOf: procurementPersonalData,
  retention: [tenderRetention, clarificationRetention],
  personalData: [
    {
      table: 'procurement_suppliers',
      description:
        'Supplier registrations you made for a business: its company and VAT numbers, size, sectors, regions and alerts',
      retention:
        'Kept while the business is registered as a supplier; unlinked from your account if you delete it',
    },
    {
      table: 'procurement_clarifications',
      description:
        'Clarification questions you asked a buyer (published with the answer, without your name)',
      retention:
        'Who asked is removed six years after the contract is awarded (the question and answer stay published); unlinked from your account if you delete it',
    },
    {
      table: 'procurement_responses',
      description: 'Tenders you sent for a business: when, and for which opportunity',
      retention:
        'An unsuccessful tender is deleted six years after the award; the winning tender is kept with the contract; unlinked from your account if you delete it',
    },
  ],
};
