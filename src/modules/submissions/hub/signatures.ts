import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header a webhook's signature travels in. */
export const SIGNATURE_HEADER = 'Joinedup-Signature';

/** How far a signature's timestamp may be from the receiver's clock (a replay guard). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** Hex HMAC-SHA256 of `<timestamp>.<body>` under one secret. */
export function signatureOf(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/**
 * The `Joinedup-Signature` header: the time it was signed and one `v1` per signing secret
 * (two while a rotated-out secret is still in its overlap), so a receiver holding either
 * secret can check it.
 *
 * @example signatureHeader(['whsec_…'], 1767225600, '{"id":"…"}') // 't=1767225600,v1=5f2b…'
 */
export function signatureHeader(secrets: string[], timestamp: number, body: string): string {
  return [`t=${timestamp}`, ...secrets.map((s) => `v1=${signatureOf(s, timestamp, body)}`)].join(
    ',',
  );
}

/**
 * What a receiver does with the header: true when one `v1` is the HMAC of `t.body` under one
 * of its secrets (compared in constant time) and `t` is within the tolerance of `now`.
 */
export function verifySignature(
  header: string | undefined,
  body: string,
  secrets: string[],
  options: { now?: number; toleranceSeconds?: number } = {},
): boolean {
  if (!header) return false;
  const parts = header.split(',').map((part) => part.trim().split('='));
  const timestamp = Number(parts.find(([name]) => name === 't')?.[1]);
  if (!Number.isInteger(timestamp)) return false;
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS))
    return false;
  const given = parts
    .filter(([name, value]) => name === 'v1' && /^[0-9a-f]{64}$/.test(value ?? ''))
    .map(([, value]) => Buffer.from(value!, 'hex'));
  return secrets.some((secret) => {
    const expected = Buffer.from(signatureOf(secret, timestamp, body), 'hex');
    return given.some((candidate) => timingSafeEqual(candidate, expected));
  });
}
