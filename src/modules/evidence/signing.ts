import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { deriveKeys, type SecretSource } from '../../platform/keyring/keyring.js';

/**
 * The canonical JSON of a value: object keys in code-point order, no spaces (RFC 8785 for the
 * strings, booleans, safe integers and nesting evidence records hold). Signatures are over it.
 *
 * @example canonicalJson({ b: 1, a: [true, 'x'] }) // '{"a":[true,"x"],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('not a JSON number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** SHA-256 (hex) of a value's canonical JSON: a subject's digest, for matching a journey's request. */
export function digestOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/**
 * What Joinedup signs of an answer: which request, which type, which bodies, the digest of the
 * subject asked about, the one value and when it was answered. Stored with the submission.
 */
export interface SignedAnswer {
  requestId: string;
  evidenceType: string;
  answeringOrganisationId: string;
  requestingOrganisationId: string;
  subjectDigest: string;
  value: boolean | string | number;
  answeredAt: string;
}

function keys(secrets: SecretSource): Buffer[] {
  return deriveKeys(secrets, 'joinedup-evidence', 'answer-signature-v1');
}

/** HMAC-SHA256 (base64url) of the answer's canonical JSON under the current key. */
export function signAnswer(secrets: SecretSource, answer: SignedAnswer): string {
  return createHmac('sha256', keys(secrets)[0]!).update(canonicalJson(answer)).digest('base64url');
}

/**
 * True when the signature is Joinedup's over exactly this answer (under the current key or a
 * previous session secret's), compared in constant time: a snapshot in a submission's answers
 * can be checked long after, and a changed value or date is caught.
 */
export function verifyAnswer(
  secrets: SecretSource,
  answer: SignedAnswer,
  signature: string,
): boolean {
  const given = Buffer.from(signature, 'base64url');
  const text = canonicalJson(answer);
  return keys(secrets).some((key) => {
    const expected = createHmac('sha256', key).update(text).digest();
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}
