/**
 * The inbox module: the account inbox (secure mail) between public bodies and a person.
 * Other modules import only from here.
 */
export { inboxModule } from './module.js';
export { unreadCount } from './queries/messages.js';
/** The newest few messages of a person, for the personal home page. */
export { recentMessages, type MessageListItem } from './queries/messages.js';
export { ATTACHMENT_TYPES, type AttachmentType } from './db/tables.js';
/** Casework tells an applicant what happened to their case in their account inbox. */
export { sendCaseMessage, type CaseMessage } from './commands/case-message.js';
