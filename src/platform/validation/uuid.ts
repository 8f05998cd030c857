/** The 8-4-4-4-12 hexadecimal text form of a UUID, any version, either case (PostgreSQL reads both). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * True for a UUID. Ids from URLs, forms and messages are checked with this before they reach a
 * uuid column, where a malformed one is a database error rather than "not found".
 */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
