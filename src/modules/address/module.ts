import type { ModuleManifest } from '../../platform/http/types.js';
import { findYourCouncilRoutes } from './pages/find-your-council/routes.js';

/** The address layer: postcodes, the areas they lie in, addresses with UPRNs, and "find your council". */
export const addressModule: ModuleManifest = {
  name: 'address',
  routes(app, { db }) {
    findYourCouncilRoutes(app, db);
  },
};
