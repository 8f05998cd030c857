/**
 * The casework module: the back office of bodies without a system of their own — workflows as
 * versioned data, cases that follow them, the queue and the case page. Other modules import only
 * from here; the features inside casework (calendar, deadlines, information, referrals) use the
 * engine's commands below.
 */
export { caseworkModule } from './module.js';

/** Workflows: the schema, the pure engine, versions and which a service follows. */
export {
  CASE_ROLES,
  DECISIONS,
  parseWorkflowDefinition,
  type Bilingual,
  type CaseRole,
  type DecisionOutcome,
  type ParsedWorkflow,
  type WorkflowAction,
  type WorkflowDefinition,
  type WorkflowInput,
  type WorkflowState,
} from './workflow/schema.js';
export {
  availableActions,
  checkAction,
  fillPlaceholders,
  startState,
  stateOf,
  type ActionCheck,
} from './workflow/engine.js';
export { DEFAULT_WORKFLOW, bundledWorkflows } from './workflow/bundled.js';
export {
  ensurePlatformWorkflows,
  publishWorkflow,
  saveWorkflowDraft,
  seedDemoWorkflows,
  setServiceWorkflow,
} from './commands/workflows.js';
export {
  listWorkflows,
  loadWorkflow,
  publishedWorkflow,
  workflowKeyOfService,
  type WorkflowSummary,
} from './queries/workflows.js';

/** Cases: opening, actions (optimistic locking), the clock, assignment, notes and links. */
export { openCase, openCaseForSubmission, type NewCase } from './commands/open.js';
export {
  performAction,
  rolesOnCase,
  TELL_TOPIC,
  type ActionInput,
  type ActionOutcome,
} from './commands/actions.js';
export { type CaseActor, auditActor } from './commands/actor.js';
export { recordCaseEvent, type NewCaseEvent } from './commands/events.js';
export { pauseClock, resumeClock } from './commands/clock.js';
export { addNote, assignCase, bulkAssign, linkCases } from './commands/work.js';
export {
  caseEvents,
  findCaseByReference,
  findCaseForStaff,
  findCaseOfSubmission,
  openCaseForStaff,
} from './queries/cases.js';
export { canWorkCase, caseRolesOf, canManageWorkflows } from './policies/cases.js';
export type { CaseEventRow, CaseRow } from './db/tables.js';

/** The working-day calendar (England and Wales bank holidays), for other statutory clocks such as FOI's. */
export {
  addWorkingDays,
  isWorkingDay,
  slaRisk,
  workingDaysBetween,
  type SlaRisk,
} from './calendar/index.js';

/** Referrals to other bodies: what the applicant is told (for `/applications/:reference`). */
export { referralsForApplication, type ApplicantReferral } from './referrals/applicant.js';
/** For the applicant's application page: requests waiting for their answer, and the review they may ask for. */
export { caseworkForApplicant, reviewOffer } from './information/review/review.js';
export { openRequestsForApplicant } from './information/queries.js';
