/** The registers module: registers public bodies hold, and matching known facts against them. */
export { registersModule } from './module.js';
export {
  countRegisterPeople,
  matchPerson,
  type KnownFacts,
  type MatchResult,
} from './queries/match.js';
export { matchedPersonDetails, type MatchedPersonDetails } from './queries/person.js';
export { loadRegister } from './commands/load-register.js';
export {
  DEMO_CITIZEN_FACTS,
  DEMO_REGISTER_SIZE,
  demoRegisterPeople,
  type RegisterPerson,
} from './demo/generator.js';
export {
  formatNino,
  isValidNinoPrefix,
  maskNino,
  normaliseNino,
  parseNino,
  UNALLOCATED_PREFIXES,
  type NinoProblem,
} from './nino.js';
export { normaliseName, normalisePostcode } from './names.js';

/** The organisation (by slug) whose register proves identity online in the demo: DWP. */
export const IDENTITY_REGISTER_HOLDER = 'dwp';
