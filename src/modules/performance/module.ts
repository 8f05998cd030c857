import type { ModuleManifest } from '../../platform/http/types.js';
import { JOURNEY_STEP_TOPIC } from '../forms/index.js';
import { SHARING_MEASURE_TOPIC } from '../sharing/index.js';
import { MEASURE_TOPIC } from '../submissions/index.js';
import { JourneyStepSchema, recordJourneyStep } from './collect/journeys.js';
import { measureChange } from './collect/sharing.js';
import { measureSubmission } from './collect/transactions.js';
import { publicPerformanceRoutes } from './pages/public/routes.js';
import { staffPerformanceRoutes } from './pages/staff/routes.js';
import { seesStaffPerformance } from './policies/performance.js';
import { isUuid } from '../../platform/validation/uuid.js';

/**
 * The performance platform: every completed transaction and every journey begun on a form is
 * measured from what happens in Joinedup (the submissions and forms modules announce them
 * through the outbox in the same transaction), kept as facts and daily roll-ups, and every change
 * of circumstances told once (the sharing module announces it the same way); dashboards
 * (public and staff), BVPI 157 e-enablement, feedback after every transaction, unit costs and
 * open data are read from the roll-ups.
 */
export const performanceModule: ModuleManifest = {
  name: 'performance',
  navigation: [
    { text: 'performance.nav.staff', href: '/staff/performance', visibleTo: seesStaffPerformance },
  ],
  routes(app, context) {
    publicPerformanceRoutes(app, context);
    staffPerformanceRoutes(app, context);
  },
  outboxHandlers(context) {
    return {
      // A submission made or decided: its fact and the roll-ups move, in one transaction.
      [MEASURE_TOPIC]: async (payload) => {
        const { submissionId } = payload as { submissionId: string };
        await context.db.transaction().execute((trx) => measureSubmission(trx, submissionId));
      },
      // A page of a journey saved: the journey begins or moves on.
      [JOURNEY_STEP_TOPIC]: async (payload) => {
        const step = JourneyStepSchema.safeParse(payload);
        // A malformed step cannot become valid by trying again: it is logged and dropped.
        if (!step.success) {
          context.logger.warn({ payload }, 'performance: malformed journey step ignored');
          return;
        }
        await context.db.transaction().execute((trx) => recordJourneyStep(trx, step.data));
      },
      // A change of circumstances told, or one of its bodies told (or not): its facts move.
      [SHARING_MEASURE_TOPIC]: async (payload) => {
        const { changeId } = payload as { changeId?: unknown };
        if (typeof changeId !== 'string' || !isUuid(changeId)) {
          context.logger.warn({ payload }, 'performance: malformed sharing measure ignored');
          return;
        }
        await context.db.transaction().execute((trx) => measureChange(trx, changeId));
      },
    };
  },
};
