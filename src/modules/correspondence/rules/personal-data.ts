/**
 * The check a disclosure log entry passes before it is published: it must not name the person
 * who asked. FOI is "applicant blind" — what is disclosed to one is disclosed to the world — but
 * the request itself is the requester's personal data (s.40(1)), so their name and e-mail address
 * never reach the public log. The check is deliberately strict: a false alarm costs the officer a
 * redaction; a miss publishes someone's identity.
 */

/** What the requester is known by. */
export interface Requester {
  name: string;
  email: string | null;
}

/** Why a text was refused: which of the requester's identifiers it contains. */
export type PersonalDataFound = 'name' | 'email';

/** Name parts shorter than this are not looked for alone ("Al", "Jo" would flag ordinary words). */
const SHORTEST_NAME_PART = 3;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** True when `part` appears in `text` as a whole word, whatever the case. */
function containsWord(text: string, part: string): boolean {
  return new RegExp(`(^|[^\\p{L}\\p{N}])${escape(part)}($|[^\\p{L}\\p{N}])`, 'iu').test(text);
}

/**
 * The requester's identifiers found in a text to be published: their e-mail address (or its
 * part before the @), their full name, or any part of their name of three letters or more as a
 * whole word.
 *
 * @example personalDataIn('Dear Ms Jones, …', { name: 'Sian Jones', email: 's@example.com' }) // ['name']
 */
export function personalDataIn(text: string, requester: Requester): PersonalDataFound[] {
  const found: PersonalDataFound[] = [];
  const lower = text.toLowerCase();
  const email = requester.email?.trim().toLowerCase();
  if (email) {
    const local = email.slice(0, email.indexOf('@'));
    if (lower.includes(email) || (local.length >= SHORTEST_NAME_PART && containsWord(lower, local)))
      found.push('email');
  }
  const name = requester.name.trim();
  const parts = name
    .split(/[\s,]+/)
    .filter((p) => p.replace(/[^\p{L}]/gu, '').length >= SHORTEST_NAME_PART);
  if (name !== '' && (containsWord(text, name) || parts.some((p) => containsWord(text, p))))
    found.push('name');
  return found;
}
