import type { ModuleManifest } from '../../platform/http/types.js';
import { isCitizen, hasRole } from '../identity/index.js';
import { referencesApiRoutes } from './api/routes.js';
import { endLinksOfAccount } from './commands/resolve.js';
import { accountReferenceRoutes } from './pages/account/routes.js';
import { staffReferenceRoutes } from './pages/staff/routes.js';
import { forgetIdentitySet } from './queries/identity-set.js';
import { personalDataOf } from './queries/personal-data.js';

/**
 * The reference index: the record references each body holds for a person or a business,
 * linked to a Joinedup account only through a verified match (known facts, the person, or a
 * staff check with reasons), with a resolution queue for partial matches and disagreements,
 * each body's own pseudonymous identifier for a person, and the identifier validators.
 */
export const referencesModule: ModuleManifest = {
  name: 'references',
  navigation: [
    { text: 'references.nav.account', href: '/account/references', visibleTo: isCitizen },
    {
      text: 'references.nav.staff',
      href: '/staff/references',
      visibleTo: (user) => hasRole(user, 'caseworker') || hasRole(user, 'team-leader'),
    },
  ],
  routes(app, context) {
    staffReferenceRoutes(app, context);
    accountReferenceRoutes(app, context);
    referencesApiRoutes(app, context);
  },
  async onAccountEvent(trx, event) {
    if (event.type === 'deleted') {
      await endLinksOfAccount(trx, event.userId);
      await forgetIdentitySet(trx, event.userId);
    }
  },
  personalData: [
    {
      table: 'reference_records',
      description:
        'The bodies that hold a record about you and have linked it to your account: how it was linked and when (each body keeps its own reference number and its own identifier for you)',
      retention: 'Kept while the body holds its record; a link ends when you delete your account',
    },
    {
      table: 'reference_identity_sets',
      description:
        'Your National Insurance number and the UPRN of your address, once a register, you or a staff check confirmed them',
      retention: 'Deleted when you delete your account',
    },
  ],
  personalDataOf,
};
