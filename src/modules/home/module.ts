import type { ModuleManifest } from '../../platform/http/types.js';
import { homePersonalData } from './queries/personal-data.js';
import { isCitizen } from '../identity/index.js';
import { eraseInterests } from './commands/interests.js';
import { homeRoutes } from './pages/home/routes.js';
import { interestsRoutes } from './pages/interests/routes.js';

/**
 * The personal home page at /home: a signed-in citizen's services (linked and recently used),
 * applications, messages, reminders, and the services suggested by the life events and groups
 * they choose to tell us at /home/interests.
 */
export const homeModule: ModuleManifest = {
  name: 'home',
  routes(app, context) {
    homeRoutes(app, context);
    interestsRoutes(app, context);
  },
  // What a person told us goes with their account (the users row stays, so no cascade does it).
  async onAccountEvent(trx, event) {
    if (event.type === 'deleted') await eraseInterests(trx, event.userId);
  },
  navigation: [{ text: 'home.nav', href: '/home', visibleTo: isCitizen }],
  personalDataOf: homePersonalData,
  personalData: [
    {
      table: 'personal_interests',
      description:
        'The life events (such as having a baby or retiring) and groups (such as carers or older people) you chose to tell us, so we can suggest services',
      retention: 'Until you clear them or delete your account',
    },
  ],
};
