/**
 * Recipient checks with GOV.UK Notify's rules and messages, so a client that shows Notify's
 * errors shows ours the same way.
 */

const LOCAL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@([^.@][^@\s]+)$/;
const HOST_PART = /^(xn|[a-z0-9]+)(-?-[a-z0-9]+)*$/i;
const TLD = /^([a-z]{2,63}|xn--([a-z0-9]+-)*[a-z0-9]+)$/i;

/** Notify's e-mail rule; returns the address lower-cased, or null when it is not valid. */
export function normaliseEmailAddress(raw: string): string | null {
  const address = raw.replace(/[\s\u200B\u00A0]/g, '');
  const match = LOCAL.exec(address);
  if (!match || address.length > 320 || address.includes('..')) return null;
  let host: string;
  try {
    host = new URL(`http://${match[1]}`).hostname;
  } catch {
    return null;
  }
  const parts = host.split('.');
  if (host.length > 253 || parts.length < 2) return null;
  if (parts.some((part) => !part || part.length > 63 || !HOST_PART.test(part))) return null;
  if (!TLD.test(parts.at(-1)!)) return null;
  return address.toLowerCase();
}

/**
 * A UK mobile number in E.164 (`+447700900123`), or Notify's reason it is not one:
 * "Must not contain letters or symbols", "Not a UK mobile number", "Too many digits",
 * "Not enough digits".
 */
export function normaliseUkMobile(
  raw: string,
): { ok: true; number: string } | { ok: false; reason: string } {
  const stripped = raw.replace(/[\s()+-]/g, '');
  if (!/^\d*$/.test(stripped)) return { ok: false, reason: 'Must not contain letters or symbols' };
  let national = stripped;
  if (national.startsWith('0044')) national = national.slice(4);
  else if (national.startsWith('44')) national = national.slice(2);
  national = national.replace(/^0+/, '');
  if (!national) return { ok: false, reason: 'Not enough digits' };
  if (!national.startsWith('7')) return { ok: false, reason: 'Not a UK mobile number' };
  if (national.length > 10) return { ok: false, reason: 'Too many digits' };
  if (national.length < 10) return { ok: false, reason: 'Not enough digits' };
  return { ok: true, number: `+44${national}` };
}

const POSTCODE = /^(GIR0AA|[A-Z]{1,2}[0-9][0-9A-Z]?[0-9][A-Z]{2}|BFPO[0-9]{1,4})$/;

/** A UK postcode in its usual form (`GL5 4UB`), or null. */
export function normalisePostcode(raw: string): string | null {
  const compact = raw.replace(/\s/g, '').toUpperCase();
  if (!POSTCODE.test(compact)) return null;
  return compact.startsWith('BFPO')
    ? `BFPO ${compact.slice(4)}`
    : `${compact.slice(0, -3)} ${compact.slice(-3)}`;
}

export const MIN_ADDRESS_LINES = 3;
export const MAX_ADDRESS_LINES = 7;

/**
 * A letter's address from Notify's personalisation (`address_line_1` … `address_line_7`, and the
 * older `postcode`): at least 3 and at most 7 lines, the last a real UK postcode.
 */
export function postalAddress(
  personalisation: Record<string, unknown>,
): { ok: true; lines: string[] } | { ok: false; reason: string } {
  const keys = [1, 2, 3, 4, 5, 6, 7].map((n) => `addressline${n}`).concat('postcode');
  const byKey = new Map(
    Object.entries(personalisation).map(([key, value]) => [
      key.replace(/[\s_-]/g, '').toLowerCase(),
      value,
    ]),
  );
  const lines = keys
    .map((key) => byKey.get(key))
    .filter(
      (value): value is string | number => typeof value === 'string' || typeof value === 'number',
    )
    .map((value) => String(value).trim())
    .filter(Boolean);
  if (lines.length < MIN_ADDRESS_LINES)
    return { ok: false, reason: `Address must be at least ${MIN_ADDRESS_LINES} lines` };
  if (lines.length > MAX_ADDRESS_LINES)
    return { ok: false, reason: `Address must be no more than ${MAX_ADDRESS_LINES} lines` };
  const postcode = normalisePostcode(lines.at(-1)!);
  if (!postcode) return { ok: false, reason: 'Must be a real UK postcode' };
  return { ok: true, lines: [...lines.slice(0, -1), postcode] };
}
