import type { ModuleManifest } from '../../platform/http/types.js';
import { isCitizen } from '../identity/index.js';
import { petitionApiRoutes } from './petitions/api/routes.js';
import { RESPONSE_PUBLISHED_TOPIC } from './petitions/commands/petitions.js';
import { tellSignersOfResponse } from './petitions/commands/signatures.js';
import { publicPetitionRoutes } from './petitions/pages/public/routes.js';
import { staffPetitionRoutes } from './petitions/pages/staff/routes.js';
import { isPetitionStaff } from './petitions/policies/petitions.js';
import { petitionsPersonalData } from './petitions/queries/personal-data.js';
import { petitionSignatureRetention } from './petitions/retention.js';

/**
 * Engagement (e-democracy): petitions to public bodies, checked by the body's staff before
 * they go live, signed with a confirmed e-mail address, answered when they reach the body's
 * thresholds, with their counts as open data. Consultations and the engagement home will join.
 */
export const engagementModule: ModuleManifest = {
  name: 'engagement',
  navigation: [
    { text: 'petitions.nav.yours', href: '/petitions/yours', visibleTo: isCitizen },
    { text: 'petitions.nav.staff', href: '/staff/petitions', visibleTo: isPetitionStaff },
  ],
  routes(app, context) {
    publicPetitionRoutes(app, context);
    staffPetitionRoutes(app, context);
    petitionApiRoutes(app, context);
  },
  outboxHandlers(context) {
    return {
      // After a body publishes its response: one e-mail to each signer who asked to be told.
      [RESPONSE_PUBLISHED_TOPIC]: async (payload) => {
        const { petitionId } = payload as { petitionId: string };
        await context.db
          .transaction()
          .execute((trx) => tellSignersOfResponse(trx, petitionId, context.config.baseUrl));
      },
    };
  },
  async onAccountEvent(trx, event) {
    if (event.type !== 'deleted') return;
    // The petitions stay (others signed them); they are no longer tied to the account.
    await trx
      .updateTable('petitions')
      .set({ created_by: null })
      .where('created_by', '=', event.userId)
      .execute();
    await trx
      .updateTable('petition_signatures')
      .set({ user_id: null })
      .where('user_id', '=', event.userId)
      .execute();
  },
  retention: [petitionSignatureRetention],
  personalDataOf: petitionsPersonalData,
  personalData: [
    {
      table: 'petitions',
      description:
        'Petitions you started: what they ask, the name shown on them, whether they were published or rejected and why',
      retention:
        'Kept as part of the public record of petitions; unlinked from your account if you delete it',
    },
    {
      table: 'petition_signatures',
      description:
        'Your petition signatures: your name, e-mail address, postcode, the IP address you signed from, and whether you asked to be told of the response',
      retention:
        '12 months after the petition closes by default (each body may set its own), then anonymised: only the postcode district stays',
    },
  ],
};
