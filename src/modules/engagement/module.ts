import type { ModuleManifest } from '../../platform/http/types.js';
import { isCitizen } from '../identity/index.js';
import { publicConsultationRoutes } from './consultations/pages/public/routes.js';
import {
  OUTCOME_PUBLISHED_TOPIC,
  tellRespondentsOfOutcome,
} from './consultations/commands/outcome.js';
import { staffModerationRoutes } from './consultations/pages/staff/moderation-routes.js';
import { staffConsultationRoutes } from './consultations/pages/staff/routes.js';
import { staffQuestionRoutes } from './consultations/pages/staff/questions-routes.js';
import { staffDocumentRoutes } from './consultations/pages/staff/document-routes.js';
import { isConsultationStaff } from './consultations/policies/consultations.js';
import { consultationsPersonalData } from './consultations/queries/results.js';
import {
  CONSULTATION_CHANGED_TOPIC,
  CONSULTATION_PUBLISHED_TOPIC,
} from './consultations/commands/consultations.js';
import { tellRespondentsOfChange } from './consultations/commands/versions.js';
import {
  tellSubscribersOfConsultation,
  tellSubscribersOfPetition,
} from './home/commands/subscriptions.js';
import { engagementHomeRoutes } from './home/pages/routes.js';
import { subscriptionsPersonalData } from './home/queries/home.js';
import { petitionApiRoutes } from './petitions/api/routes.js';
import { consultationApiRoutes } from './consultations/api/routes.js';
import {
  PETITION_PUBLISHED_TOPIC,
  RESPONSE_PUBLISHED_TOPIC,
} from './petitions/commands/petitions.js';
import { tellSignersOfResponse } from './petitions/commands/signatures.js';
import { publicPetitionRoutes } from './petitions/pages/public/routes.js';
import { staffPetitionRoutes } from './petitions/pages/staff/routes.js';
import { isPetitionStaff } from './petitions/policies/petitions.js';
import { petitionsPersonalData } from './petitions/queries/personal-data.js';
import { petitionSignatureRetention } from './petitions/retention.js';
import { consultationResponseRetention } from './consultations/retention.js';

/**
 * Engagement (e-democracy): petitions to public bodies, checked by the body's staff before
 * they go live, signed with a confirmed e-mail address, answered when they reach the body's
 * thresholds, with their counts as open data; and the engagement home ("Have your say" at
 * /engage) with subscriptions to new petitions; and consultations (first slice: publish, respond,
 * read and export the responses).
 */
export const engagementModule: ModuleManifest = {
  name: 'engagement',
  navigation: [
    // "Have your say": for everyone, signed in or not.
    { text: 'engagement.nav.engage', href: '/engage', visibleTo: () => true },
    { text: 'petitions.nav.yours', href: '/petitions/yours', visibleTo: isCitizen },
    { text: 'petitions.nav.staff', href: '/staff/petitions', visibleTo: isPetitionStaff },
    {
      text: 'consultations.nav.staff',
      href: '/staff/consultations',
      visibleTo: isConsultationStaff,
    },
  ],
  async routes(app, context) {
    publicPetitionRoutes(app, context);
    staffPetitionRoutes(app, context);
    petitionApiRoutes(app, context);
    consultationApiRoutes(app, context);
    publicConsultationRoutes(app, context);
    staffConsultationRoutes(app, context);
    staffQuestionRoutes(app, context);
    staffModerationRoutes(app, context);
    await staffDocumentRoutes(app, context);
    engagementHomeRoutes(app, context);
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
      // A petition just published: one e-mail to each confirmed subscriber it matches.
      [PETITION_PUBLISHED_TOPIC]: async (payload) => {
        const { petitionId } = payload as { petitionId: string };
        await context.db
          .transaction()
          .execute((trx) => tellSubscribersOfPetition(trx, petitionId, context.config.baseUrl));
      },
      // A consultation just published: one e-mail to each confirmed subscriber it matches.
      [CONSULTATION_PUBLISHED_TOPIC]: async (payload) => {
        const { consultationId } = payload as { consultationId: string };
        await context.db
          .transaction()
          .execute((trx) =>
            tellSubscribersOfConsultation(trx, consultationId, context.config.baseUrl),
          );
      },
      // A consultation edited after responses: one e-mail to each respondent who asked.
      [CONSULTATION_CHANGED_TOPIC]: async (payload) => {
        const { consultationId, version } = payload as { consultationId: string; version: number };
        await context.db
          .transaction()
          .execute((trx) =>
            tellRespondentsOfChange(trx, consultationId, version, context.config.baseUrl),
          );
      },
      // A consultation's outcome just published: one e-mail to each respondent who asked.
      [OUTCOME_PUBLISHED_TOPIC]: async (payload) => {
        const { consultationId } = payload as { consultationId: string };
        await context.db
          .transaction()
          .execute((trx) => tellRespondentsOfOutcome(trx, consultationId, context.config.baseUrl));
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
    // Responses stay in the consultation's results; they are no longer tied to the account.
    await trx
      .updateTable('consultation_responses')
      .set({ user_id: null })
      .where('user_id', '=', event.userId)
      .execute();
  },
  retention: [petitionSignatureRetention, consultationResponseRetention],
  async personalDataOf(db, userId) {
    return [
      ...(await petitionsPersonalData(db, userId)),
      ...(await subscriptionsPersonalData(db, userId)),
      ...(await consultationsPersonalData(db, userId)),
    ];
  },
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
    {
      table: 'consultation_responses',
      description:
        'Your responses to consultations sent while signed in: whether you answered as an individual or for an organisation (its name), your answers and when you sent them, and the e-mail address you gave to be told of the outcome',
      retention:
        '24 months after the consultation closes by default (each body may set its own), then anonymised: your free text and the link to your account go, your choices stay in the results. The e-mail address for the outcome is deleted once that e-mail is sent; the response is unlinked from your account if you delete it',
    },
    {
      table: 'engagement_subscriptions',
      description:
        'Your subscriptions to new petitions and consultations: your e-mail address, the body (petitions) or topic (consultations) and postcode district (or nationally) you chose, and when you confirmed',
      retention: 'Until you unsubscribe (the link is in every e-mail), then deleted',
    },
  ],
};
