import { createHash } from 'node:crypto';
import type { Db } from '../../../platform/db/database.js';
import { canonicalSubmission, type DigestSource } from './canonical.js';

/** A SHA-256 digest of a canonical submission, in the two spellings a receipt shows. */
export interface SubmissionDigest {
  algorithm: 'sha-256';
  /** 64 lower-case hex digits, as `sha256sum` prints it. */
  hex: string;
  /** The same 32 bytes in base64url without padding (43 characters), for headers and JSON. */
  base64url: string;
}

/** The SHA-256 of a canonical text's UTF-8 bytes (pure). */
export function digestOf(canonical: string): SubmissionDigest {
  const bytes = createHash('sha256').update(canonical, 'utf8').digest();
  return {
    algorithm: 'sha-256',
    hex: bytes.toString('hex'),
    base64url: bytes.toString('base64url'),
  };
}

/**
 * The digest of a stored submission, for its receipt and for anything that must prove what
 * was sent (the hub's API responses and webhook payloads). The same submission always gives
 * the same digest, whatever its status.
 *
 * @example const { hex } = await submissionDigest(trx, submission); // 'a3f1…'
 */
export async function submissionDigest(db: Db, row: DigestSource): Promise<SubmissionDigest> {
  return digestOf(await canonicalSubmission(db, row));
}
