/** The enrolment module: linking an account to records public bodies hold, by known facts and a letter. */
export { enrolmentModule } from './module.js';
export { activeEnrolments, type EnrolmentView } from './queries/enrolments.js';
export { seedEnrolmentRecords, DEMO_COUNCIL_TAX, DEMO_BUSINESS_RATES } from './seed.js';
export { ENROLABLE_SERVICES, type EnrolableService } from './db/tables.js';
