import type { Config } from '../../../platform/config/config.js';
import { GatewayFailure, sandboxGateway, type CardGateway } from './gateway.js';
import { stripeGateway } from './stripe.js';

export type GatewayConfig = Pick<
  Config,
  'PAYMENT_GATEWAY' | 'STRIPE_SECRET_KEY' | 'STRIPE_API_URL' | 'STRIPE_TIMEOUT_MS'
>;

/** The gateway new payments use, and every gateway a payment may have been taken by. */
export interface Gateways {
  current: CardGateway;
  /** The gateway a payment was taken by (its `gateway` column). */
  byName(name: string | null): CardGateway;
}

/**
 * The gateways this configuration gives: the sandbox always (payments taken before a switch to
 * Stripe can still be refunded), Stripe when it has a secret key.
 */
export function configuredGateways(config: GatewayConfig): Gateways {
  const all = new Map<string, CardGateway>([['sandbox', sandboxGateway]]);
  if (config.STRIPE_SECRET_KEY)
    all.set(
      'stripe',
      stripeGateway({
        secretKey: config.STRIPE_SECRET_KEY,
        apiUrl: config.STRIPE_API_URL,
        timeoutMs: config.STRIPE_TIMEOUT_MS,
      }),
    );
  return {
    current: all.get(config.PAYMENT_GATEWAY)!,
    byName(name) {
      const gateway = name ? all.get(name) : undefined;
      if (!gateway) throw new GatewayFailure(`the ${name ?? 'unnamed'} gateway is not configured`);
      return gateway;
    },
  };
}
