import { createHmac, timingSafeEqual } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

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

/** The charge's id when the token is genuine; otherwise null. */
export function chargeIdOf(secret: string, token: string): string | null {
  const [id, presented] = token.split('.');
  if (!id || !presented || !UUID.test(id)) return null;
  const expected = Buffer.from(mac(secret, id));
  const given = Buffer.from(presented);
  return expected.length === given.length && timingSafeEqual(expected, given) ? id : null;
}

/** Where the payment pages send the person back to: our own path. */
export function returnPath(secret: string, chargeId: string): string {
  return `/fees/return/${chargeToken(secret, chargeId)}`;
}

/** Where a button posts to start (or try again) paying a charge. */
export function payPath(secret: string, chargeId: string): string {
  return `/fees/pay/${chargeToken(secret, chargeId)}`;
}
