import type { ModuleManifest } from '../../platform/http/types.js';
import { automaticRoutes } from './pages/automatic/routes.js';
import { automaticSections } from './pages/automatic/section.js';
import { checkRoutes } from './pages/check/routes.js';
import { editorRoutes } from './pages/editor/routes.js';
import { canUseRulesEditor } from './policies/rules.js';

/** Rules as data: services' eligibility, fee and decision tables, the editor and the check page. */
export const rulesModule: ModuleManifest = {
  name: 'rules',
  routes(app, context) {
    checkRoutes(app, context); // the public "Check if you can get this", /services/:slug/check
    editorRoutes(app, context); // the service owner's rules editor, /rules/staff
    automaticRoutes(app, context); // deciding by rules: the setting, and asking for a person to review
  },
  navigation: [{ text: 'rules.nav', href: '/rules/staff', visibleTo: canUseRulesEditor }],
  applicationSections: automaticSections, // an automatic decision on the applicant's page, and their review
  personalData: [
    {
      table: 'automatic_decisions',
      description:
        'Decisions a service’s rules made on your application on their own: the rules’ version, the outcome and why, whether a person was asked to check it, and your request for a person to review it with your reason',
      retention: 'Deleted with the application it is about',
    },
  ],
};
