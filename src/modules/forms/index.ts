/**
 * The forms module: application forms as data (JSON checked by a zod schema, versioned in the
 * database), the answer validator every channel uses, and the question-by-question journey.
 * Other modules import only from here.
 */
export { formsModule } from './module.js';
/** The format of a form definition (docs/guides/forms.md). */
export {
  FormDefinitionSchema,
  QuestionSchema,
  PageSchema,
  ConditionSchema,
  BilingualSchema,
  FeeSchema,
  MAX_FEE_PENCE,
  type Fee,
  MAX_TEXT_LENGTH,
  DEFAULT_FILE_BYTES,
  DEFAULT_FILE_TYPES,
  type FormDefinition,
  type FormDefinitionInput,
  type FormPage,
  type Question,
  type QuestionType,
  type ItemQuestion,
  type Condition,
  type Bilingual,
  type Answers,
  type AnswerValue,
  type AddressAnswer,
  type FileAnswer,
  type RepeatAnswer,
} from './schema.js';
/** Validating answers: a whole application (the API), or one page (the journey). */
export {
  validateAnswers,
  answersToInput,
  type AnswerError,
  type Validation,
  type ValidateOptions,
} from './validate.js';
export { validatePage, firstIncompletePage, type PageError } from './journey.js';
/**
 * The journey's state machine for other modules that take a form's pages one at a time (the
 * engagement module's consultation questions): the guard against jumping ahead, the page after
 * and before one, and whether a question's condition holds for the answers before its page.
 */
export { mayVisit, nextPage, previousPage, answersBefore } from './journey.js';
export { holds } from './conditions.js';
export {
  summariseAnswers,
  summariseAnswersInBoth,
  answerText,
  type AnswerSummaryRow,
} from './summary.js';
/**
 * Drawing questions with GOV.UK Frontend (template `modules/forms/pages/question/fields.njk`,
 * macro `field`) and reading them back from a posted page, for other modules' pages that ask a
 * form's questions (the open311 module's "Report a problem").
 */
export {
  fieldView,
  readPageInput,
  valuesFromAnswers,
  type FieldView,
} from './pages/question/view-model.js';
/** Versions: the published form a service uses, drafts, publishing, the shipped forms. */
export {
  publishedForm,
  publishedVersion,
  checkDefinition,
  createFormVersion,
  publishFormVersion,
  publishForm,
  seedBundledForms,
  describeProblems,
  type DefinitionProblem,
} from './versions.js';
export { bundledForms, bundledForm } from './bundled.js';
/** The business licence demo: a form for businesses matching the Companies House number to the account. */
export { seedDemoBusinessLicence, DEMO_BUSINESS_LICENCE_SLUG } from './demo/business-licence.js';
/** The form editor's check of a definition typed as JSON, and its readable layout, for other modules' editors. */
export {
  checkDefinitionText,
  type DefinitionTextCheck,
  type ExtraProblem,
} from './pages/editor/definition-check.js';
export { definitionText } from './pages/editor/definition-text.js';
/** Parsers of what people type, for other modules that ask the same things. */
export {
  parseNino,
  parseUkPhone,
  parseEmail,
  parsePounds,
  formatPence,
  parseNumber,
} from './parsers.js';
export {
  isWeekday,
  parseDateParts,
  ukToday,
  daysBetween,
  normalisePostcode,
} from '../../platform/validation/validators.js';
/** Each saved page of a journey is announced on this topic for the performance module. */
export { JOURNEY_STEP_TOPIC, type JourneyStep } from './journey-steps.js';
