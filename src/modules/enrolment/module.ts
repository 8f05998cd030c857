import type { ModuleManifest } from '../../platform/http/types.js';
import { enrolmentPersonalData } from './queries/personal-data.js';
import { isCitizen } from '../identity/index.js';
import { enrolmentRoutes } from './pages/routes.js';

/**
 * Enrolment: a person links their account to a record a public body holds (a Council Tax or
 * business rates account) by known facts and an activation code posted to the record's address;
 * an administrator of a business account does the same for the business (business rates, trade
 * waste), and every member of the business sees what it has linked.
 */
export const enrolmentModule: ModuleManifest = {
  name: 'enrolment',
  routes: enrolmentRoutes,
  navigation: [{ text: 'enrolment.nav', href: '/enrol', visibleTo: isCitizen }],
  personalDataOf: enrolmentPersonalData,
  personalData: [
    {
      table: 'enrolments',
      description:
        'The accounts with public bodies you have linked to your online account, and those you asked to link to a business account',
      retention: 'Until you remove them or delete your account',
    },
    {
      table: 'enrolment_attempts',
      description: 'When you tried to link an account, and whether the details matched',
      retention: 'Until you delete your account',
    },
  ],
};
