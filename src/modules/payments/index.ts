/** The payments module (GOV.UK Pay-compatible). Other modules import only from here. */
export { paymentsModule } from './module.js';
export {
  payKeyCreate,
  payReconcile,
  payWebhookCreate,
  type PayCommandResult,
} from './commands/cli.js';
export { createPayKey, revokePayKey } from './keys.js';
export type { CardGateway, CardDetails, AuthorisationOutcome } from './gateway/gateway.js';
export type { PaymentStatus } from './state.js';
export {
  requestPayment,
  paymentSummary,
  refundPayment,
  motoAllowed,
  InvalidPaymentRequest,
  type PaymentRequest,
  type PaymentSummary,
} from './commands/internal.js';
export { paymentFinishedTopic } from './commands/finished.js';
/** Pay webhook signing secrets sealed at rest, for `joinedup secrets:rotate-check`. */
export { payWebhookSealedCounts, resealPayWebhookSecrets } from './commands/webhooks.js';
