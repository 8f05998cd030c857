import type { ModuleManifest } from '../../platform/http/types.js';
import { NIGHTLY_TOPIC, nightlyHandler, startRetentionJob } from './jobs.js';
import { retentionAdminRoutes } from './pages/admin/routes.js';
import { mayManageAnyRetention } from './policies/retention.js';

/**
 * Retention: how long each body keeps each kind of record about people (the record types other
 * modules declare in their manifests' `retention`), legal holds that stop records going, and the
 * nightly job that deletes or anonymises what is due, with a report of every run.
 */
export const retentionModule: ModuleManifest = {
  name: 'retention',
  async hooks(_app, { db, config }) {
    // The nightly run, queued by every node that runs an outbox worker (the outbox keeps one).
    if (config.WORKER === 'on') await startRetentionJob(db);
  },
  routes(app, context) {
    retentionAdminRoutes(app, context);
  },
  outboxHandlers: (context) => ({ [NIGHTLY_TOPIC]: nightlyHandler(context) }),
  navigation: [
    { text: 'retention.nav', href: '/admin/retention', visibleTo: mayManageAnyRetention },
  ],
  personalData: [
    {
      table: 'legal_holds',
      description:
        'A legal hold a public body placed on its records about you: your account, the e-mail address staff typed, the reason and when it ends',
      retention: 'Kept with the body’s audit records; a lifted hold stays listed as ended',
    },
  ],
};
