import { createHmac, timingSafeEqual } from 'node:crypto';
import { sessionSecrets, type SecretSource } from '../../platform/keyring/keyring.js';
import { isUuid } from '../../platform/validation/uuid.js';

function mac(secret: string, chargeId: string): string {
  return createHmac('sha256', secret).update(`fees-charge:${chargeId}`).digest('base64url');
}

/**
 * The charge's id and an HMAC of it: the payment pages send the person back to a path holding
 * it, so someone paying without an account (a form at level 0) can see how it went and try
 * again, and nobody else can. Nothing is stored.
 */
export function chargeToken(secret: string, chargeId: string): string {
  return `${chargeId}.${mac(secret, chargeId)}`;
}

/**
 * The charge's id when the token is genuine; otherwise null. A token made under a previous
 * session secret (SESSION_SECRETS_PREVIOUS) is still genuine, so a link given out just before
 * SESSION_SECRET changed still works.
 */
export function chargeIdOf(secrets: SecretSource, token: string): string | null {
  const [id, presented] = token.split('.');
  if (!id || !presented || !isUuid(id)) return null;
  const given = Buffer.from(presented);
  const genuine = sessionSecrets(secrets).some((secret) => {
    const expected = Buffer.from(mac(secret, id));
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
  return genuine ? id : null;
}

/** Where the payment pages send the person back to: our own path. */
export function returnPath(secret: string, chargeId: string): string {
  return `/fees/return/${chargeToken(secret, chargeId)}`;
}

/** Where a button posts to start (or try again) paying a charge. */
export function payPath(secret: string, chargeId: string): string {
  return `/fees/pay/${chargeToken(secret, chargeId)}`;
}
