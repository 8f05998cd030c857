/** The forms module: application forms as data, their validation and the journey through them. */
export { formsModule } from './module.js';
export { formFor, formKeys } from './registry.js';
export {
  isWeekday,
  parseDateParts,
  ukToday,
  daysBetween,
  normalisePostcode,
} from '../../platform/validation/validators.js';
export type { Answers, FormDefinition } from './definition.js';
