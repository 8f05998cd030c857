import type { ModuleManifest } from '../../platform/http/types.js';
import { hasRole } from '../identity/index.js';
import { evidenceApiRoutes } from './api/routes.js';
import { REQUEST_TOPIC } from './commands/requests.js';
import { evidenceRequestHandler } from './delivery.js';
import { staffEvidenceRoutes } from './pages/staff/routes.js';
import { personalDataOf } from './queries/personal-data.js';
import { evidenceRequestRetention } from './retention.js';

/**
 * The evidence exchange (the pattern of the EU Once-Only Technical System and X-Road): bodies
 * publish evidence types they can answer; another body's form asks for one instead of an
 * upload; the request goes (with its legal basis, and consent where needed) through the outbox
 * to the answering body's table, webhook or pull queue; the minimal answer comes back signed,
 * is shown to the person and kept with the application; every request and answer is in the
 * person's access log.
 */
export const evidenceModule: ModuleManifest = {
  name: 'evidence',
  navigation: [
    {
      text: 'evidence.nav.staff',
      href: '/staff/evidence',
      visibleTo: (user) => hasRole(user, 'service-owner'),
    },
  ],
  routes(app, context) {
    staffEvidenceRoutes(app, context);
    evidenceApiRoutes(app, context);
  },
  outboxHandlers(context) {
    return { [REQUEST_TOPIC]: evidenceRequestHandler(context.config) };
  },
  async onAccountEvent(trx, event) {
    if (event.type !== 'deleted') return;
    // Nothing more is sent about the person; what was asked is forgotten, the outcome kept.
    await trx
      .updateTable('evidence_requests')
      .set({ subject: '{}', status: 'not-sent', reason: 'account-deleted', updated_at: new Date() })
      .where('user_id', '=', event.userId)
      .where('status', '=', 'waiting')
      .execute();
    await trx
      .updateTable('evidence_requests')
      .set({ subject: '{}' })
      .where('user_id', '=', event.userId)
      .execute();
  },
  personalData: [
    {
      table: 'evidence_requests',
      description:
        'The checks a service made with another body instead of asking you for evidence: what was asked, about whom, with your consent where needed, and the answer',
      retention:
        '2 years after the check ended by default (the body that asked may set its own), then anonymised: who it was about, what was sent to identify you and the answer are removed',
    },
  ],
  retention: [evidenceRequestRetention],
  personalDataOf,
};
