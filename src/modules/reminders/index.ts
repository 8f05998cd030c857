/**
 * The reminders module: a person's dated prompts about a service (a renewal, an instalment, a
 * bin collection), sent by e-mail or text at the right London time. Other modules import only
 * from here.
 */
export { remindersModule } from './module.js';
export { remindersFor, type ReminderSummary } from './queries/summaries.js';
export { nextOccurrence, type Schedule } from './schedule.js';
