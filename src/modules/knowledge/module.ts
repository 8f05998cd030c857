import type { ModuleManifest } from '../../platform/http/types.js';
import { directoryApiRoutes } from './api/directory.js';
import { articleRoutes } from './pages/articles.js';
import { directoryRoutes } from './pages/directory.js';
import { findRoutes } from './pages/find.js';
import { mayReadKnowledge } from './policies/knowledge.js';
import { articlesOwnedBy } from './queries/personal-data.js';

/**
 * The knowledge base and directory for contact-centre advisers (issue 10, item 5): articles per
 * service (scripts, FAQs, policy) with owners and review dates; every body's contact points,
 * service experts and call-routing rules with "open now?"; search across both; and "which body
 * does this?" by postcode through the catalogue. For staff of any body; written by each body's
 * service owners and admins.
 */
export const knowledgeModule: ModuleManifest = {
  name: 'knowledge',
  navigation: [{ text: 'knowledge.nav', href: '/staff/knowledge', visibleTo: mayReadKnowledge }],
  routes(app, context) {
    findRoutes(app, context);
    articleRoutes(app, context);
    directoryRoutes(app, context);
    directoryApiRoutes(app, context);
  },
  async onAccountEvent(trx, event) {
    if (event.type !== 'deleted') return;
    // The knowledge stays (other advisers rely on it); it no longer names the deleted account.
    // Unowned articles fall to the body's admins on the "due for review" list.
    await trx
      .updateTable('knowledge_articles')
      .set({ owner_user_id: null })
      .where('owner_user_id', '=', event.userId)
      .execute();
    for (const table of [
      'knowledge_articles',
      'knowledge_contact_points',
      'knowledge_experts',
      'knowledge_routing_rules',
    ] as const)
      await trx
        .updateTable(table)
        .set({ updated_by: null })
        .where('updated_by', '=', event.userId)
        .execute();
  },
  personalData: [
    {
      table: 'knowledge_articles',
      description:
        'Staff only: the knowledge base articles you own (you are named as the person who keeps each one up to date)',
      retention: 'Kept while the article is; you are no longer named if your account is deleted',
    },
  ],
  async personalDataOf(db, userId) {
    return articlesOwnedBy(db, userId);
  },
};
