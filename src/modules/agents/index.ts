/**
 * The agents module: business and charity accounts with several users, and agents acting for
 * clients in named services. Forms and submissions use `canActFor`, `actingAuditDetails` and
 * `actingDescription` when a signed-in agent has `user.actingFor` set.
 */
export { agentsModule } from './module.js';
export { canActFor } from './policies/agents.js';
export {
  actingAuditDetails,
  actingDescription,
  actingEntryOf,
  type ActingEntry,
} from './commands/acting.js';
export { createBusiness, type NewBusiness } from './commands/businesses.js';
export { approveAuthority, requestAuthority } from './commands/authorities.js';
export { BUSINESS_TYPES, type BusinessType, type MemberRole } from './db/tables.js';
export { createDemoAgency, createDemoBusiness } from './commands/demo.js';
// For enrolment: a business's services are linked by its administrators and seen by its members.
export { membershipOf } from './policies/businesses.js';
export { businessesOf } from './queries/businesses.js';
/** Services for businesses: the accounts a person (or an agent for them) may apply for. */
export { businessesToApplyFor, type ApplyingBusiness } from './queries/businesses.js';
export { mayApplyFor } from './policies/businesses.js';
/** For procurement: a business account by id (its name and numbers), and the number checks. */
export { findBusiness } from './queries/businesses.js';
export { companiesHouseNumberProblem, normaliseNumber } from './validation.js';
