import type { ModuleManifest } from '../../platform/http/types.js';
import { open311PersonalData } from './queries/personal-data.js';
import { open311ApiRoutes } from './api/routes.js';
import { reportRoutes } from './pages/report/routes.js';
import { deleteAbandonedJourneys } from './pages/report/store.js';
import { reportsRoutes } from './pages/reports/routes.js';

/**
 * Reporting local problems: Open311 GeoReport v2 at /open311/v2 for apps and other channels,
 * "Report a problem" for anyone without an account, and the public list of open reports. Each
 * report is a submission to the body responsible for the place.
 */
export const open311Module: ModuleManifest = {
  name: 'open311',
  /** At start: journeys nobody has touched for a day are removed. */
  async hooks(_app, { db, logger }) {
    const removed = await deleteAbandonedJourneys(db);
    if (removed > 0)
      logger.info({ journeys: removed }, 'removed abandoned report-a-problem journeys');
  },
  async routes(app, context) {
    await open311ApiRoutes(app, context);
    reportRoutes(app, context);
    reportsRoutes(app, context);
  },
  personalDataOf: open311PersonalData,
  personalData: [
    {
      table: 'open311_journeys',
      description:
        'What you have told us in a problem report you have not sent yet, including any contact details',
      retention: '1 day after you last changed it',
    },
    {
      table: 'open311_requests',
      description:
        'Where a problem you reported is, to street level, and a link to a photo if an app sent one (your answers and contact details are kept with the report itself)',
      retention: 'As the report',
    },
  ],
};
