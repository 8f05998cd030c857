/**
 * The correspondence module: complaints, Freedom of Information requests (with the statutory
 * clock and the disclosure log) and members' correspondence. Other modules import only from here.
 */
export { correspondenceModule } from './module.js';
export { foiDue, foiDueAfterClarification, FOI_WORKING_DAYS } from './clock/statutory-clock.js';
