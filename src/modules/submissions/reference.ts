import { randomInt } from 'node:crypto';

/**
 * 29 characters with none that are easily confused when read aloud or written by hand
 * (no 0/O, 1/I/L, U/V). 29 is prime, which is what lets the check character catch every
 * single mistyped character and every swap of two characters.
 */
export const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTWXYZ';
const BODY_LENGTH = 7;

function checkCharacter(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += (i + 1) * REFERENCE_ALPHABET.indexOf(body[i]!);
  // Choose c so that sum + 8c ≡ 0 (mod 29); 8 × 11 = 88 ≡ 1, so 11 is 8's inverse.
  const c = (((-sum % 29) + 29) * 11) % 29;
  return REFERENCE_ALPHABET[c]!;
}

/**
 * A new application reference like `JU-7K4M-92QK`: seven random characters and a check
 * character, about 17 billion possibilities.
 */
export function newReference(random: (max: number) => number = randomInt): string {
  let body = '';
  for (let i = 0; i < BODY_LENGTH; i++)
    body += REFERENCE_ALPHABET[random(REFERENCE_ALPHABET.length)];
  const all = body + checkCharacter(body);
  return `JU-${all.slice(0, 4)}-${all.slice(4)}`;
}

/**
 * Reads a reference as a person might type it (any case, spaces or no hyphens, O for 0 …)
 * and returns it in its standard form, or undefined if it cannot be one of ours.
 *
 * @example parseReference('ju 7k4m 92qk') // 'JU-7K4M-92QK'
 */
export function parseReference(input: string): string | undefined {
  const compact = input.toUpperCase().replace(/[\s-]/g, '');
  if (!compact.startsWith('JU') || compact.length !== 2 + BODY_LENGTH + 1) return undefined;
  const characters = compact.slice(2);
  if ([...characters].some((ch) => !REFERENCE_ALPHABET.includes(ch))) return undefined;
  if (checkCharacter(characters.slice(0, BODY_LENGTH)) !== characters[BODY_LENGTH])
    return undefined;
  return `JU-${characters.slice(0, 4)}-${characters.slice(4)}`;
}
