import type { ModuleManifest } from '../../platform/http/types.js';
import { deleteDraftsOf } from './drafts.js';
import { journeyRoutes } from './pages/routes.js';

/** Services' application forms: questions page by page, check answers, submit. */
export const formsModule: ModuleManifest = {
  name: 'forms',
  routes: journeyRoutes,
  async onAccountEvent(trx, event) {
    if (event.type === 'deleted') await deleteDraftsOf(trx, event.userId);
  },
  personalData: [
    {
      table: 'form_drafts',
      description:
        'Answers to applications you (or an agent acting for you) have started but not sent',
      retention: '30 days',
    },
  ],
};
