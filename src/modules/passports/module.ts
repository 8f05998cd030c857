import type { ModuleManifest } from '../../platform/http/types.js';
import { eraseOffers } from './commands/offers.js';
import { passportHandlers } from './handlers.js';
import { accountOfferRoutes } from './pages/account/routes.js';
import { staffPassportRoutes } from './pages/staff/routes.js';
import { canUsePassportsEditor, mayAnswerOffers } from './policies/passports.js';
import { passportsPersonalData } from './queries/personal-data.js';

/**
 * Passported entitlements: a service's owners say which other services an approval on it makes
 * a person eligible for; an approval offers them to the person (their account and an e-mail),
 * who applies or says no thanks. Nothing is applied for without the person.
 */
export const passportsModule: ModuleManifest = {
  name: 'passports',
  routes(app, context) {
    accountOfferRoutes(app, context); // the person's offers, /account/offers
    staffPassportRoutes(app, context); // the service owner's passports, /staff/passports
  },
  outboxHandlers: (context) => passportHandlers(context),
  // A deleted account's offers go with it, in the same transaction.
  async onAccountEvent(trx, event) {
    if (event.type === 'deleted') await eraseOffers(trx, event.userId);
  },
  navigation: [
    { text: 'passports.nav.account', href: '/account/offers', visibleTo: mayAnswerOffers },
    { text: 'passports.nav.staff', href: '/staff/passports', visibleTo: canUsePassportsEditor },
  ],
  personalData: [
    {
      table: 'passported_offers',
      description:
        'The services offered to you because an application of yours was approved, why, and whether you chose to apply or said no thanks',
      retention: 'Deleted with the application that made the offer, or with your account',
    },
  ],
  personalDataOf: passportsPersonalData,
};
