/** The identity module: accounts, sign-in, sessions and the role policies every module uses. */
export { identityModule } from './module.js';
export {
  authenticate,
  createStaffUser,
  registerCitizen,
  type Registration,
} from './commands/accounts.js';
export { startSession, SESSION_COOKIE } from './commands/sessions.js';
/** Ends a Joinedup session by its cookie token (single sign-on's RP-initiated logout uses it). */
export { endSession } from './commands/sessions.js';
export {
  countUsers,
  findCitizenByEmail,
  findUserById,
  findUserIdByEmail,
  staffContactsOf,
  staffEmailsWithRole,
  staffWithRoles,
} from './queries/users.js';
export { requireSignIn } from './guards.js';
export {
  administeredOrganisation,
  organisationAdminIndex,
  type AdministeredOrganisation,
  type OrganisationAdminArea,
} from './organisation-admin.js';
export { hasRole, isCitizen, isPlatformAdmin, isStaffOf } from './policies/roles.js';
export { STAFF_ROLES, type StaffRole, type UserRow } from './db/tables.js';
export { passwordProblem, useCheapHashesForTests } from './passwords.js';
export { aCitizen, aStaffMember } from './factories.js';
export {
  assuranceLevel,
  requireLevel,
  stepUpPath,
  vectorOfTrust,
  type AssuranceLevel,
} from './assurance.js';
export {
  checkCode,
  issueCode,
  MAX_CODE_ATTEMPTS,
  spendCodes,
  type CodeCheck,
} from './commands/codes.js';
export {
  currentTotp,
  resealTotpSecrets,
  sealedTotpCounts,
  SIGN_IN_CODE,
  type CodeMethod,
} from './commands/second-factor.js';
export { SECOND_FACTORS, type SecondFactor } from './db/tables.js';
export {
  IDENTITY_DOCUMENTS,
  MAX_FAILED_VERIFICATIONS,
  mayVerifyFaceToFace,
  verificationLockedUntil,
  verifyFaceToFace,
  verifyOnline,
  type DocumentSeen,
  type OnlineVerification,
} from './commands/verification.js';
/** Sessions and protection: rotation on step-up, sign out everywhere, security e-mails. */
export {
  endAllSessions,
  IDLE_MINUTES,
  rotateSession,
  SESSION_HOURS,
  sessionOrigin,
  type SessionOrigin,
} from './commands/sessions.js';
export { LOCK_MINUTES, MAX_FAILED_SIGN_INS } from './commands/accounts.js';
export { SECURITY_MAIL_KINDS, sendSecurityMail, type SecurityMailKind } from './security-mail.js';
export {
  CODE_MINUTES,
  isEmailConfirmed,
  normaliseUkMobile,
  resendConfirmationCode,
} from './commands/account-lifecycle.js';
export { hashSessionToken } from './commands/sessions.js';
/** The identity a person proved at P2 (name, date of birth, address), for single sign-on. */
export {
  findVerifiedIdentity,
  type KeptVerifiedIdentity,
  type VerifiedIdentity,
} from './commands/verified-identity.js';
export type { VerifiedAddress } from './db/tables.js';
/** Addresses a message could not be delivered to, marked on the account (notify reports them by outbox). */
export {
  DELIVERY_PROBLEM_TOPIC,
  markDeliveryProblem,
  type DeliveryProblem,
} from './commands/delivery-problems.js';
/** A contact centre adviser's search for a person's account (the crm module checks and audits it). */
export {
  findPeople,
  MAX_PEOPLE_FOUND,
  type PeopleSearch,
  type PersonFound,
} from './queries/find-people.js';
