import { randomBytes } from 'node:crypto';
import type { CorrespondenceKind } from '../db/tables.js';

// 32 characters, so a byte modulo 32 is unbiased; no 0/O or 1/I to misread on the phone.
const CHARACTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const PREFIX: Record<CorrespondenceKind, string> = {
  complaint: 'CMP',
  foi: 'FOI',
  review: 'IR',
  member: 'MC',
};

/**
 * A new reference that says what it is: `CMP-…` a complaint, `FOI-…` a request, `MC-…` a
 * member's letter, `IR-…` an FOI internal review.
 *
 * @example newReference('foi') // 'FOI-7K3MX9QA'
 */
export function newReference(kind: CorrespondenceKind): string {
  const body = [...randomBytes(8)].map((b) => CHARACTERS[b % CHARACTERS.length]).join('');
  return `${PREFIX[kind]}-${body}`;
}

/** A reference as typed into an address, upper-cased, or undefined when it cannot be one. */
export function parseReference(input: string): string | undefined {
  const reference = input.trim().toUpperCase();
  return /^(CMP|FOI|MC|IR)-[A-Z0-9]{8}$/.test(reference) ? reference : undefined;
}
