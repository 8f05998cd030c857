/**
 * The caseplans module: multi-agency case plans around a person with complex needs. Other
 * modules import only from here: the manifest, and the anonymised outcome figures (for the
 * performance module to show).
 */
export { caseplansModule } from './module.js';
export {
  casePlanOutcomes,
  safeCount,
  SMALL_NUMBER,
  type CasePlanOutcome,
  type SafeCount,
} from './queries/outcomes.js';
