/** The identity module: accounts, sign-in, sessions and the role policies every module uses. */
export { identityModule } from './module.js';
export {
  authenticate,
  createStaffUser,
  registerCitizen,
  type Registration,
} from './commands/accounts.js';
export { startSession, SESSION_COOKIE } from './commands/sessions.js';
export { countUsers, findUserById } from './queries/users.js';
export { requireSignIn } from './guards.js';
export { hasRole, isCitizen, isPlatformAdmin, isStaffOf } from './policies/roles.js';
export { STAFF_ROLES, type StaffRole, type UserRow } from './db/tables.js';
export { passwordProblem } from './passwords.js';
export { aCitizen, aStaffMember } from './factories.js';
export {
  assuranceLevel,
  requireLevel,
  stepUpPath,
  vectorOfTrust,
  type AssuranceLevel,
} from './assurance.js';
export { checkCode, issueCode, MAX_CODE_ATTEMPTS, type CodeCheck } from './commands/codes.js';
