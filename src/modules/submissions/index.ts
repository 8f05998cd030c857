/** The submissions module: applications to public bodies, their delivery, status and decisions. */
export { submissionsModule } from './module.js';
export {
  CASEWORK_RECEIVED_TOPIC,
  createSubmission,
  recordDecision,
  releaseHeldSubmission,
  type Decision,
  type NewSubmission,
} from './commands/submissions.js';
export {
  findSubmissionByDraftId,
  findSubmissionForOrganisation,
  listForOrganisation,
  viewAsStaff,
} from './queries/submissions.js';
export { answerRows, describeHistory, nameLookup } from './pages/routes.js';
/** Casework keeps a case's submission in step with it: progress and decisions (casework's workflows). */
export { recordCaseProgress, type CaseProgress } from './commands/case-progress.js';
/** Decisions the rules made on their own (the rules module's "deciding by rules"), and the applicant's own submission. */
export { recordAutomaticDecision, type AutomaticDecision } from './commands/automatic-decision.js';
export { getForApplicant } from './queries/submissions.js';
/** The submission a casework case is opened for (by the id in the hand-off message). */
export { findSubmissionById } from './queries/submissions.js';
/** A person's own applications, newest first: the caller has checked the id is the signed-in person's. */
export { listForApplicant } from './queries/submissions.js';
export { canStaffWork } from './policies/submissions.js';
export { parseReference } from './reference.js';
/** Receipts: the RFC 8785 canonical form of a stored submission and its SHA-256, for API responses and webhooks. */
export {
  canonicalSubmission,
  type CanonicalFields,
  type DigestSource,
} from './receipts/canonical.js';
export { submissionDigest, type SubmissionDigest } from './receipts/digest.js';
export type {
  StoredSubmissionRow,
  SubmissionRow,
  SubmissionStatus,
  SubmittedAnswers,
} from './db/tables.js';
/** The submission hub: bodies' API keys and delivery set-up from the command line, and webhook signatures. */
export { hubDeliverySet, hubKeyCreate, type HubCommandResult } from './commands/cli.js';
export { signatureHeader, verifySignature, SIGNATURE_HEADER } from './hub/signatures.js';
/** Other channels' keys live in the hub's key store (the open311 module's `open311` scope). */
export { authenticateHubKey, createHubKey, revokeHubKey, type HubCaller } from './hub/keys.js';
export { HubError } from './hub/errors.js';
/** Posting a webhook safely (no redirects, no private addresses unless allowed), for payments' webhooks. */
export { postWebhook } from './hub/webhook-request.js';
/** A body's delivery set-up and webhook signing secrets, for other pushes through the hub (tell us once). */
export {
  activeSecrets,
  findDelivery,
  webhookSecret,
  webhookSecrets,
  WEBHOOK_TIMEOUT_MS,
} from './hub/delivery.js';
export { HUB_KEY_SCOPES, type HubKeyScope } from './db/tables.js';
export { submissionStatuses, type SubmissionProgress } from './queries/submissions.js';
export { hubStatusOf, type HubStatus } from './hub/status.js';
/** Whose application a reference is, for a contact centre adviser finding the caller (crm). */
export { findApplicantOfReference } from './queries/submissions.js';
/** Every decision (approved or not, by whoever) is announced on this topic: the passports module offers what an approval passports to. */
export {
  DECISION_ANNOUNCED_TOPIC,
  announceDecision,
  type DecisionAnnouncement,
} from './commands/decision-announced.js';
/** Every new submission and decision is announced on this topic for the performance module. */
export { MEASURE_TOPIC } from './commands/submissions.js';
/** The submissions made before the performance module was installed, for its back-fill. */
export { submissionIdsSince } from './queries/measure-backfill.js';
export { findSubmissionIdOfReference } from './queries/submissions.js';
