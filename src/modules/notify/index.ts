/**
 * The notify module: a GOV.UK Notify-compatible notification service. Other modules import only
 * from here.
 */
export { notifyModule } from './module.js';
export {
  notifyKeyCreate,
  notifySealedCounts,
  notifyTemplateCreate,
  resealNotifySecrets,
  type NotifyCommandResult,
} from './commands/cli.js';
export {
  createApiKey,
  ensureService,
  revokeApiKey,
  setDeliveryCallback,
} from './commands/services.js';
export { createTemplate, updateTemplate, type TemplateInput } from './commands/templates.js';
export { notifySealingKey } from './crypto.js';
/** The Notify API key check, for APIs outside /v2 (the account inbox). */
export { authenticateNotifyRequest, type NotifyRequestCaller } from './auth.js';
export { smsFragments, fill, missingPersonalisation } from './templates/render.js';
/** A letter's A4 PDF for a DL window envelope, for modules that post their own (casework's decision letters). */
export { renderLetterPdf } from './commands/letter-pdf.js';
export type { KeyType, NotificationStatus, NotificationType } from './db/tables.js';
