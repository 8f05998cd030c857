/**
 * Stable identifiers for the HSDS records we derive rather than store (taxonomies, terms,
 * locations, phones …): name-based UUIDs (version 5, RFC 9562) under one fixed namespace, so
 * every install gives the same record the same id and a consumer can match records across
 * exports and across installs.
 *
 * @example hsdsId('taxonomy_term', 'life-events', 'having-a-baby') // same on every install
 */
import { createHash } from 'node:crypto';
import { isUuid } from '../../../../platform/validation/uuid.js';

/** Our namespace for HSDS ids. Never change it: every published derived id depends on it. */
export const HSDS_NAMESPACE = '3cd4911f-79fc-426a-be0a-7e3c136db17f';

/**
 * The version 5 (SHA-1, name-based) UUID of a name in a namespace.
 *
 * @example uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8') // '886313e1-3b8a-5372-9b90-0c9aee199e5d'
 */
export function uuidV5(name: string, namespace: string): string {
  if (!isUuid(namespace)) throw new Error(`Not a UUID: ${namespace}`);
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The id of a derived HSDS record: its kind and the parts that identify it, joined. */
export function hsdsId(kind: string, ...parts: string[]): string {
  return uuidV5([kind, ...parts].join('\u001f'), HSDS_NAMESPACE);
}
