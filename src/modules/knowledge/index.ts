/**
 * The knowledge module: the knowledge base and directory contact-centre advisers use to answer
 * and signpost callers across government. Other modules import only from here.
 */
export { knowledgeModule } from './module.js';
export { seedDemoKnowledge } from './demo.js';
/** Opening hours as stored and "open now?" on a London clock, for any module with opening times. */
export {
  formatOpeningHours,
  openAt,
  parseOpeningHours,
  type OpeningPeriod,
  type OpenState,
} from './hours.js';
