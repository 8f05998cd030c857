import type { ModuleManifest } from '../../platform/http/types.js';
import { remindersPersonalData } from './queries/personal-data.js';
import { reminderDueHandler } from './commands/deliver.js';
import { eraseForAccount, REMINDER_DUE_TOPIC } from './commands/reminders.js';
import { listRoutes } from './pages/list/routes.js';
import { newReminderRoutes } from './pages/new/routes.js';
import { unsubscribeRoutes } from './pages/unsubscribe/routes.js';

/**
 * Reminders: a person subscribes to dated prompts about a service (a renewal date, a payment
 * instalment, a bin collection day) and gets them by e-mail or text through the outbox at the
 * right London time; one click in any message stops them.
 */
export const remindersModule: ModuleManifest = {
  name: 'reminders',
  routes(app, context) {
    newReminderRoutes(app, context);
    listRoutes(app, context);
    unsubscribeRoutes(app, context);
  },
  outboxHandlers: (context) => ({ [REMINDER_DUE_TOPIC]: reminderDueHandler(context.config) }),
  async onAccountEvent(trx, event) {
    if (event.type === 'deleted') await eraseForAccount(trx, event.userId);
  },
  personalDataOf: remindersPersonalData,
  personalData: [
    {
      table: 'reminders',
      description:
        'Reminders you asked for: the service, the dates, e-mail or text, and when the last one was sent',
      retention: 'Until you delete your account (a reminder you stop is kept, marked stopped)',
    },
  ],
};
