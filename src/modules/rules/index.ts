/**
 * The rules module: decision tables as data for a service's eligibility, fees and decisions,
 * versioned with the service and in force from a date; the pure evaluator every channel uses;
 * the service owner's editor and the public "Check if you can get this" page. Other modules
 * import only from here (docs/guides/rules.md).
 */
export { rulesModule } from './module.js';
/** The format of a decision table and of the test cases beside it. */
export {
  DecisionTableSchema,
  InputSchema,
  ConditionSchema,
  OutcomeSchema,
  RowSchema,
  TestCaseSchema,
  TestCasesSchema,
  PURPOSES,
  outcomeKey,
  type Bilingual,
  type Condition,
  type DecisionTable,
  type Input,
  type InputType,
  type InputValue,
  type Inputs,
  type Outcome,
  type Purpose,
  type Row,
  type TestCase,
} from './schema.js';
/** Evaluating a table: exactly one outcome, its explanation in English and Welsh, the inputs used. */
export {
  evaluate,
  answerText,
  outcomeText,
  formatPence,
  type Evaluation,
  type EvaluationProblem,
  type InputUsed,
} from './evaluate.js';
/** Proving a table unique (no overlaps, no gaps) and running its test cases. */
export { analyseTable, type TableProblem, type TableCheck } from './analysis.js';
export { runTestCases, type TestResult } from './test-cases.js';
/** Versions: the one in force at a moment, and evaluating the version a submission was made under. */
export {
  ruleSetInForce,
  ruleSetVersion,
  evaluateRuleSetVersion,
  ruleSetHistory,
  type RuleSetVersion,
} from './queries/versions.js';
/** Publishing a new version (checked, tested, audited), and the check alone. */
export {
  publishRuleSet,
  checkRuleSet,
  type PublishRuleSet,
  type PublishOutcome,
  type PublishProblem,
  type CheckedRuleSet,
} from './commands/publish-rule-set.js';
/** Who may write a service's rules. */
export { canEditRules, canUseRulesEditor } from './policies/rules.js';
/** Deciding by rules: at once when evidence is verified and the rules say eligible; a sample checked by a person. */
export {
  decideByRules,
  isSampled,
  cryptoRandom,
  type DecideInput,
  type DecideOutcome,
  type NotDecided,
  type RandomSource,
} from './automatic/decide.js';
export { automationOf, setAutomation, type Automation } from './automatic/settings.js';
export { automaticDecisionOf, requestAutomaticReview } from './automatic/review.js';
export { ruleOutcomesOf, type RuleOutcomesView } from './automatic/outcomes.js';
export { inputsFromAnswers } from './automatic/inputs.js';
export { seedDemoFreeSchoolMeals, FREE_SCHOOL_MEALS_SLUG } from './demo/free-school-meals.js';
/** The demo: Stroud's Council Tax Reduction (decided by rules) and parking permit fee, seeded by `src/main/seed.ts`. */
export {
  seedDemoRules,
  demoCouncilTaxReduction,
  demoParkingPermitFee,
  DEMO_RULES_SERVICE_SLUG,
  DEMO_RULES_EFFECTIVE_FROM,
  DEMO_CTR_SAMPLE_PERCENT,
  DEMO_FEE_RULES_SERVICE_SLUG,
} from './demo/seed.js';
