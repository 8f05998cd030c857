import type { ModuleManifest } from '../../platform/http/types.js';
import { formsPersonalData } from './queries/personal-data.js';
import { deleteAbandonedDrafts, deleteDraftsOf } from './drafts.js';
import { journeyRoutes } from './pages/routes.js';
import { canUseFormEditor } from './pages/editor/policy.js';
import { editorRoutes } from './pages/editor/routes.js';
import { seedBundledForms } from './versions.js';

/** Services' application forms as data: versions, the answer validator and the journey. */
export const formsModule: ModuleManifest = {
  name: 'forms',
  /**
   * At start: the forms shipped in definitions/*.json are published as version 1 if the
   * database has none of them yet, and drafts of people without an account that nobody can
   * come back to any more (28 days) are removed.
   */
  async hooks(_app, { db, logger }) {
    const added = await seedBundledForms(db);
    if (added.length > 0) logger.info({ forms: added }, 'published the shipped form definitions');
    const removed = await deleteAbandonedDrafts(db);
    if (removed > 0) logger.info({ drafts: removed }, 'removed abandoned anonymous drafts');
  },
  async routes(app, context) {
    await journeyRoutes(app, context);
    await editorRoutes(app, context); // the service owner's form editor, /forms/staff
  },
  navigation: [{ text: 'forms.editor.nav', href: '/forms/staff', visibleTo: canUseFormEditor }],
  async onAccountEvent(trx, event) {
    if (event.type === 'deleted') await deleteDraftsOf(trx, event.userId);
  },
  personalDataOf: formsPersonalData,
  personalData: [
    {
      table: 'form_drafts',
      description:
        'Answers to applications you (or an agent acting for you) have started but not sent; without an account, kept for 28 days',
      retention: '30 days',
    },
  ],
};
