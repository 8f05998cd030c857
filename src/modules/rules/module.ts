import type { ModuleManifest } from '../../platform/http/types.js';
import { checkRoutes } from './pages/check/routes.js';
import { editorRoutes } from './pages/editor/routes.js';
import { canUseRulesEditor } from './policies/rules.js';

/** Rules as data: services' eligibility, fee and decision tables, the editor and the check page. */
export const rulesModule: ModuleManifest = {
  name: 'rules',
  routes(app, context) {
    checkRoutes(app, context); // the public "Check if you can get this", /services/:slug/check
    editorRoutes(app, context); // the service owner's rules editor, /rules/staff
  },
  navigation: [{ text: 'rules.nav', href: '/rules/staff', visibleTo: canUseRulesEditor }],
};
