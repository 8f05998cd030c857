import type { ModuleManifest } from '../../platform/http/types.js';
import { paymentsPersonalData } from './queries/personal-data.js';
import { paymentsApiRoutes } from './api/routes.js';
import { paymentOutboxHandlers } from './commands/expiry.js';
import { sealLegacyWebhookSecrets } from './commands/webhooks.js';
import { gatewayOutboxHandlers } from './commands/gateway-jobs.js';
import { configuredGateways } from './gateway/registry.js';
import { paymentsAdminRoutes } from './pages/admin/routes.js';
import { paymentPageRoutes } from './pages/pay/routes.js';
import { mayAdministerAnyPayments } from './policies/payments.js';
import { paymentRetention } from './retention.js';

/**
 * Payments, shaped like GOV.UK Pay: each body's API keys, the `/v1/payments` API, the hosted payment
 * pages, the card gateways (sandbox or Stripe, PAYMENT_GATEWAY), other modules' payments, the
 * ledger and daily reconciliation, and the outbox jobs: expiry after 90 minutes, capture, voids,
 * refunds and look-ups of gateway answers that never came.
 */
export const paymentsModule: ModuleManifest = {
  name: 'payments',
  navigation: [
    { text: 'payments.admin.nav', href: '/admin/payments', visibleTo: mayAdministerAnyPayments },
  ],
  retention: [paymentRetention],
  async hooks(_app, context) {
    // Webhooks made before their secrets were sealed (0064): sealed now, before any rotation.
    await sealLegacyWebhookSecrets(context.db, context.config);
  },
  routes(app, context) {
    const gateways = configuredGateways(context.config);
    paymentsApiRoutes(app, context, gateways.current.name);
    paymentPageRoutes(app, context, gateways.current);
    paymentsAdminRoutes(app, context);
  },
  outboxHandlers(context) {
    return {
      ...paymentOutboxHandlers(context.config),
      ...gatewayOutboxHandlers(configuredGateways(context.config)),
    };
  },
  personalDataOf: paymentsPersonalData,
  personalData: [
    {
      table: 'payments',
      description:
        'Payments you made to public bodies: the amount, what it was for, your e-mail address if the service gave it, the name on the card, its last four digits, brand and expiry date (never the whole card number)',
      retention:
        '7 years after the payment finished by default (each body may set its own), then anonymised: your e-mail address and card details are removed; the amount and reference stay for the accounts',
    },
  ],
};
