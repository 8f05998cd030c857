/**
 * Deciding by rules (issue 16, "risk-managed exception"). A service whose owner lets the rules
 * decide has an application decided at once when every evidence check in it is verified and its
 * eligibility rules — the version in force when it was made — say "eligible". A random share of
 * those decisions (the service's sample) also goes to a caseworker to check. Anything else goes
 * to a caseworker as before, whose case page lists each rule's outcome and the evidence.
 */
import { randomInt } from 'node:crypto';
import type { Db } from '../../../platform/db/database.js';
import { enqueue } from '../../../platform/outbox/outbox.js';
import { verifyEvidenceSnapshot, type EvidenceSnapshot } from '../../evidence/index.js';
import {
  CASEWORK_RECEIVED_TOPIC,
  findDelivery,
  recordAutomaticDecision,
} from '../../submissions/index.js';
import { evaluate, type Evaluation } from '../evaluate.js';
import { ruleSetVersion } from '../queries/versions.js';
import { automationOf } from './settings.js';
import { inputsFromAnswers, isEvidenceAnswer } from './inputs.js';

/** A number in [0, 1): which decisions are sampled. Tests pass their own. */
export type RandomSource = () => number;

/** Unpredictable, so nobody can time an application to miss the check. */
export const cryptoRandom: RandomSource = () => randomInt(0, 1_000_000) / 1_000_000;

/** Whether a decision is picked to be checked, for a sample of `percent` (0–100). */
export function isSampled(percent: number, random: RandomSource): boolean {
  return random() * 100 < percent;
}

/** The application just made, as deciding needs it. */
export interface DecideInput {
  submission: {
    id: string;
    reference: string;
    service_id: string;
    organisation_id: string;
    applicant_user_id: string | null;
    rule_set_version_id: string | null;
  };
  /** The answers as validated (evidence checks as their signed snapshots). */
  answers: Record<string, unknown>;
  /** The names of the form's evidence questions: each answered must be a verified check. */
  evidenceQuestions: readonly string[];
}

/** Why an application was not decided at once (it goes to a caseworker as before). */
export type NotDecided =
  'off' | 'no-rules' | 'own-system' | 'evidence-not-verified' | 'not-eligible' | 'cannot-evaluate';

export type DecideOutcome =
  | { decided: true; sampled: boolean; evaluation: Evaluation; version: number }
  | { decided: false; reason: NotDecided };

/**
 * Decides an application just made, in the caller's transaction, when its service lets the rules
 * decide: records the decision on the submission (automatic, with the version and explanation),
 * keeps it with whether it was sampled, and sends a sampled one to casework to check.
 *
 * @example const outcome = await decideByRules(trx, config, { submission, answers, evidenceQuestions });
 */
export async function decideByRules(
  trx: Db,
  secrets: Parameters<typeof verifyEvidenceSnapshot>[0],
  input: DecideInput,
  random: RandomSource = cryptoRandom,
): Promise<DecideOutcome> {
  const { submission, answers } = input;
  if (!submission.rule_set_version_id) return { decided: false, reason: 'no-rules' };
  const setting = await automationOf(trx, submission.service_id);
  if (!setting.decide) return { decided: false, reason: 'off' };
  // A body with its own system (push or pull) decides in that system.
  if (await findDelivery(trx, submission.organisation_id))
    return { decided: false, reason: 'own-system' };
  const verified = input.evidenceQuestions.every((name) => {
    const answer = answers[name];
    if (answer === undefined || answer === '') return true; // not asked
    return (
      isEvidenceAnswer(answer) &&
      (answer as unknown as EvidenceSnapshot).requestingOrganisationId ===
        submission.organisation_id &&
      verifyEvidenceSnapshot(secrets, answer as unknown as EvidenceSnapshot)
    );
  });
  if (!verified) return { decided: false, reason: 'evidence-not-verified' };
  const version = await ruleSetVersion(trx, submission.rule_set_version_id);
  if (!version || version.purpose !== 'eligibility') return { decided: false, reason: 'no-rules' };
  const evaluation = evaluate(version.table, inputsFromAnswers(version.table, answers));
  if (!evaluation.ok) return { decided: false, reason: 'cannot-evaluate' };
  if (evaluation.outcome.type !== 'eligibility' || evaluation.outcome.value !== 'eligible')
    return { decided: false, reason: 'not-eligible' };
  const sampled = isSampled(setting.samplePercent, random);
  const decided = await recordAutomaticDecision(trx, submission, {
    outcome: 'approved',
    explanation: evaluation.explanation,
    ruleSetVersionId: version.id,
    ruleSetVersion: version.version,
  });
  if (!decided) return { decided: false, reason: 'own-system' };
  await trx
    .insertInto('automatic_decisions')
    .values({
      submission_id: submission.id,
      service_id: submission.service_id,
      organisation_id: submission.organisation_id,
      rule_set_version_id: version.id,
      outcome: 'approved',
      explanation: JSON.stringify(evaluation.explanation),
      sampled,
    })
    .execute();
  // Casework opens a case from this message: a caseworker checks the decision.
  if (sampled)
    await enqueue(trx, {
      topic: CASEWORK_RECEIVED_TOPIC,
      payload: { submissionId: submission.id },
      idempotencyKey: `${CASEWORK_RECEIVED_TOPIC}:${submission.id}`,
    });
  return { decided: true, sampled, evaluation, version: version.version };
}
