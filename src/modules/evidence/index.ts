/**
 * The evidence module (the evidence exchange): evidence types bodies answer, requests for
 * evidence from other bodies' forms, signed answers and their place in the person's access
 * log. Other modules import only from here.
 */
export { evidenceModule } from './module.js';
/** For the forms journey (an `evidence` question): where it stands, asking, withdrawing consent. */
export { evidenceStep, type EvidenceStep, type EvidenceTypeView } from './queries/requests.js';
export {
  askForEvidence,
  withdrawEvidenceConsent,
  verifyEvidenceSnapshot,
  REQUEST_TOPIC as EVIDENCE_REQUEST_TOPIC,
  type AskInput,
  type AskOutcome,
  type EvidenceSnapshot,
} from './commands/requests.js';
export type { SubjectInput } from './subject.js';
/** For automatic decisions and demos: publishing types and keeping a table-answered type's rows. */
export {
  publishEvidenceType,
  withdrawEvidenceType,
  type EvidenceTypeInput,
} from './commands/types.js';
export { upsertTableRows, deleteTableRow, type TableRowInput } from './commands/table.js';
export { answerEvidenceRequest } from './commands/requests.js';
export { statementOf } from './answers.js';
/** For the benchmark (bench/rules): one evidence round trip through the hub, timed by the caller. */
export { evidenceRoundTrip, type RoundTripOptions } from './round-trip.js';
