/** The 8-4-4-4-12 hexadecimal text form of a UUID, any version, either case (PostgreSQL reads both). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * True for a UUID. Ids from URLs, forms and messages are checked with this before they reach a
 * uuid column, where a malformed one is a database error rather than "not found".
 */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/**
 * An id as someone typed it (either case, spaces around) in the lower case the database gives
 * back, or undefined when it is not a UUID: what a retention record type's `resolve` looks up.
 *
 * @example uuidAsTyped(' 1B4E28BA-2FA1-11D2-883F-0016D3CCA427 ') // '1b4e28ba-2fa1-11d2-883f-0016d3cca427'
 */
export function uuidAsTyped(text: string): string | undefined {
  const id = text.trim().toLowerCase();
  return isUuid(id) ? id : undefined;
}
