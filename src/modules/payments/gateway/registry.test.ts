import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../platform/config/config.js';
import { GatewayFailure } from './gateway.js';
import { configuredGateways } from './registry.js';

describe('choosing the card gateway', () => {
  it('uses the sandbox unless told otherwise, and has no Stripe without a key', () => {
    const gateways = configuredGateways(loadConfig({}));
    expect(gateways.current.name).toBe('sandbox');
    expect(() => gateways.byName('stripe')).toThrow(GatewayFailure);
    expect(() => gateways.byName(null)).toThrow(GatewayFailure);
  });

  it('uses Stripe when configured, and still refunds what the sandbox took', () => {
    const gateways = configuredGateways(
      loadConfig({ PAYMENT_GATEWAY: 'stripe', STRIPE_SECRET_KEY: 'sk_test_x' }),
    );
    expect(gateways.current.name).toBe('stripe');
    expect(gateways.byName('sandbox').name).toBe('sandbox');
  });

  it('refuses to start with Stripe but no secret key', () => {
    expect(() => loadConfig({ PAYMENT_GATEWAY: 'stripe' })).toThrow(ConfigError);
    expect(() => loadConfig({ PAYMENT_GATEWAY: 'stripe' })).toThrow(/STRIPE_SECRET_KEY/);
  });
});
