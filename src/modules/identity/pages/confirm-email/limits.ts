import type { FastifyRequest } from 'fastify';
import type { Config } from '../../../../platform/config/config.js';
import { formText } from '../../../../platform/http/forms.js';

/** Codes sent to one address or account in a quarter of an hour, however many addresses ask. */
export const SENDS_PER_QUARTER_HOUR = 5;

/**
 * A limit on sending codes and notices, counted per e-mail address (or, signed in, per
 * account) and not per IP address, so nobody can fill someone's inbox from many machines.
 */
export function sendingRateLimit() {
  return {
    max: SENDS_PER_QUARTER_HOUR,
    timeWindow: 15 * 60_000,
    hook: 'preHandler' as const,
    keyGenerator: (request: FastifyRequest) =>
      request.user ? `user:${request.user.id}` : formText(request.body, 'email').toLowerCase(),
  };
}

/** A limit on entering codes and passwords on the account pages, per address and account. */
export function signedInAttemptLimit(config: Config) {
  return {
    max: config.SIGN_IN_ATTEMPTS_PER_MINUTE,
    timeWindow: 60_000,
    hook: 'preHandler' as const,
    keyGenerator: (request: FastifyRequest) => `${request.ip}:${request.user?.id ?? ''}`,
  };
}
