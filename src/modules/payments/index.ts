/** The payments module (GOV.UK Pay-compatible). Other modules import only from here. */
export { paymentsModule } from './module.js';
export { payKeyCreate, payWebhookCreate, type PayCommandResult } from './commands/cli.js';
export { createPayKey, revokePayKey } from './keys.js';
export type { CardGateway, CardDetails, AuthorisationOutcome } from './gateway/gateway.js';
export type { PaymentStatus } from './state.js';
