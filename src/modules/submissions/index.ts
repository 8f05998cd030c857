/** The submissions module: applications to public bodies, their delivery, status and decisions. */
export { submissionsModule } from './module.js';
export {
  createSubmission,
  recordDecision,
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
/** A person's own applications, newest first: the caller has checked the id is the signed-in person's. */
export { listForApplicant } from './queries/submissions.js';
export { canStaffWork } from './policies/submissions.js';
export { parseReference } from './reference.js';
export type { SubmissionRow, SubmissionStatus, SubmittedAnswers } from './db/tables.js';
