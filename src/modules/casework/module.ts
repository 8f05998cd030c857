import type { ModuleManifest } from '../../platform/http/types.js';
import { caseworkPersonalData } from './queries/personal-data.js';
import { hasRole } from '../identity/index.js';
import { CASEWORK_RECEIVED_TOPIC } from '../submissions/index.js';
import { TELL_TOPIC } from './commands/actions.js';
import { openCaseHandler } from './commands/open.js';
import { tellHandler } from './commands/tell.js';
import { ensurePlatformWorkflows } from './commands/workflows.js';
import { deadlineHandlers, startDeadlineJobs } from './deadlines/jobs.js';
import { applicantSections } from './pages/applicant/section.js';
import { caseworkRoutes } from './pages/routes.js';
import { workflowRoutes } from './pages/workflows/routes.js';
import { referralRoutes } from './referrals/routes.js';
import { withDecisionLetters } from './information/letters/send.js';
import { informationRoutes } from './information/routes.js';
import { accessReasonRoutes } from './access/routes.js';
import { caseRetention } from './retention.js';

/**
 * Casework: the back office of every body without a system of its own. Each submission it
 * receives becomes a case that follows its service's workflow; staff work their body's queue.
 */
export const caseworkModule: ModuleManifest = {
  name: 'casework',
  /** At start: the platform's shipped workflows are published (idempotent across nodes). */
  async hooks(_app, { db, logger, config }) {
    const published = await ensurePlatformWorkflows(db);
    if (published.length > 0)
      logger.info({ workflows: published }, 'published the shipped workflows');
    // The deadline jobs' first runs, queued by every node that runs an outbox worker.
    if (config.WORKER === 'on') await startDeadlineJobs(db);
  },
  async routes(app, context) {
    await caseworkRoutes(app, context);
    workflowRoutes(app, context);
    referralRoutes(app, context);
    await informationRoutes(app, context);
    accessReasonRoutes(app, context);
  },
  applicationSections: applicantSections,
  retention: [caseRetention],
  outboxHandlers: (context) => ({
    [CASEWORK_RECEIVED_TOPIC]: openCaseHandler,
    // A decision's message is its decision letter (information/letters); other actions' as the engine's.
    [TELL_TOPIC]: withDecisionLetters(context.config, tellHandler(context.config)),
    ...deadlineHandlers(context),
  }),
  navigation: [
    {
      text: 'casework.nav',
      href: '/casework',
      visibleTo: (user) => hasRole(user, 'caseworker') || hasRole(user, 'team-leader'),
    },
    {
      text: 'casework.referrals.nav',
      href: '/casework/referrals',
      visibleTo: (user) => hasRole(user, 'caseworker') || hasRole(user, 'team-leader'),
    },
    {
      text: 'casework.workflows.nav',
      href: '/casework/workflows',
      visibleTo: (user) => hasRole(user, 'service-owner'),
    },
  ],
  personalDataOf: caseworkPersonalData,
  personalData: [
    {
      table: 'cases',
      description:
        'The case a public body opened to work your application: its state, who has it and its deadlines',
      retention:
        '6 years after the case closed by default (each body may set its own), then anonymised: your name, account, the place and what was written are removed',
    },
    {
      table: 'case_events',
      description:
        'What happened to your case, with what caseworkers wrote to you and the files sent',
      retention: 'As the case',
    },
    {
      table: 'case_referrals',
      description:
        'Your case referred to or shared with another public body: to whom, why, the parts it may see and how you agreed',
      retention: 'As the case',
    },
    {
      table: 'case_notes',
      description: 'Caseworkers’ internal notes about your case',
      retention: 'As the case',
    },
    {
      table: 'information_requests',
      description:
        'What a caseworker asked you for about your case, your answers and the files you sent with them',
      retention: 'As the case',
    },
  ],
};
