/** The casework module: the back-office queue and decisions. */
export { caseworkModule } from './module.js';
export { readDecision } from './commands/decide.js';
