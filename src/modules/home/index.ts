/**
 * The home module: a signed-in person's own page (/home) gathering their services,
 * applications, messages and reminders, and services suggested by what they chose to tell us.
 * Other modules import only from here.
 */
export { homeModule } from './module.js';
