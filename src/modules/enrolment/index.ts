/** The enrolment module: linking a person's or a business's account to records public bodies hold, by known facts and a letter. */
export { enrolmentModule } from './module.js';
export {
  activeEnrolments,
  activeBusinessEnrolments,
  findEnrolledPerson,
  findPeopleByEnrolmentReference,
  type EnrolmentView,
} from './queries/enrolments.js';
export {
  seedEnrolmentRecords,
  DEMO_COUNCIL_TAX,
  DEMO_BUSINESS_RATES,
  DEMO_TRADE_WASTE,
} from './seed.js';
export { ENROLABLE_SERVICES, type EnrolableService } from './db/tables.js';
