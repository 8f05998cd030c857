/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): one exact text for a JSON value, so that two
 * systems that hold the same data compute the same hash from it.
 *
 * - object members sorted by their names' UTF-16 code units (not by locale, not by code point);
 * - numbers as ECMAScript's Number::toString writes them (`4.50` → `4.5`, `1E30` → `1e+30`,
 *   `-0` → `0`); NaN and ±Infinity are not JSON and are refused;
 * - strings with only `"`, `\` and U+0000–U+001F escaped (`\b \t \n \f \r`, else lowercase
 *   `\u00hh`), everything else as is; a lone surrogate is not Unicode and is refused;
 * - no whitespace. Encode the result as UTF-8 before hashing it.
 *
 * Written here rather than taken from npm because it is short, the digest of every receipt
 * depends on it, and it is tested against the RFC's own examples.
 */

/** A JSON value as JCS takes it: what `JSON.parse` returns. */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** The value cannot be canonicalised: it is not I-JSON (RFC 7493). `path` says where, e.g. `$.answers.items[2]`. */
export class CanonicalizationError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(`${message} at ${path}`);
    this.name = 'CanonicalizationError';
  }
}

/**
 * The RFC 8785 canonical text of a JSON value. Throws CanonicalizationError for anything that is
 * not JSON data: undefined, functions, symbols, bigints, non-finite numbers, class instances
 * (a Date included: turn it into a string first), lone surrogates and cycles.
 *
 * @example canonicalize({ b: [4.50, 1e30], a: 'é' }) // '{"a":"é","b":[4.5,1e+30]}'
 */
export function canonicalize(value: unknown): string {
  try {
    return text(value, new Set());
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    throw new CanonicalizationError(error.reason, `$${error.where.reverse().join('')}`);
  }
}

/**
 * Why a value was refused, and where: each enclosing array and object adds its own step on the
 * way out, so the path is only written for a refusal, not for every member of every receipt.
 */
class Refusal {
  readonly where: string[] = [];
  constructor(readonly reason: string) {}
}

function text(value: unknown, ancestors: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new Refusal(`${String(value)} is not a JSON number`);
      // String() is Number::toString; it writes -0 as "0", as the RFC requires.
      return String(value);
    case 'string':
      return stringText(value);
    case 'object':
      break;
    default:
      throw new Refusal(`${typeof value} is not a JSON value`);
  }
  const object = value as object;
  if (ancestors.has(object)) throw new Refusal('a cycle is not JSON');
  ancestors.add(object);
  const written = Array.isArray(object)
    ? arrayText(object as unknown[], ancestors)
    : objectText(object, ancestors);
  ancestors.delete(object);
  return written;
}

function arrayText(array: unknown[], ancestors: Set<object>): string {
  let out = '[';
  for (let index = 0; index < array.length; index++) {
    try {
      out += (index > 0 ? ',' : '') + text(array[index], ancestors);
    } catch (error) {
      if (error instanceof Refusal) error.where.push(`[${index}]`);
      throw error;
    }
  }
  return `${out}]`;
}

function objectText(object: object, ancestors: Set<object>): string {
  const prototype = Object.getPrototypeOf(object) as unknown;
  if (prototype !== Object.prototype && prototype !== null)
    throw new Refusal('only plain objects are JSON objects');
  const record = object as Record<string, unknown>;
  const keys = Object.keys(record).sort(compareUtf16);
  let out = '{';
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!;
    try {
      out += `${index > 0 ? ',' : ''}${stringText(key)}:${text(record[key], ancestors)}`;
    } catch (error) {
      if (error instanceof Refusal) error.where.push(`.${key}`);
      throw error;
    }
  }
  return `${out}}`;
}

/**
 * Orders strings by their UTF-16 code units, as RFC 8785 §3.2.3 requires: '\r' < '1' < 'ö' <
 * '€' < '😀' < 'דּ' (a character beyond U+FFFF sorts by its high surrogate, U+D83D).
 */
export function compareUtf16(a: string, b: string): number {
  // JavaScript compares strings code unit by code unit, which is exactly this order.
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * ECMAScript's Number::toString, which RFC 8785 §3.2.2.3 adopts: shortest round-trip digits,
 * exponent notation from 1e21 and below 1e-6, and `-0` as `0`.
 */
export function serializeNumber(value: number, path = '$'): string {
  if (!Number.isFinite(value))
    throw new CanonicalizationError(`${String(value)} is not a JSON number`, path);
  return String(value);
}

/** A JSON string literal as RFC 8785 §3.2.2.2 writes it (what JSON.stringify writes for well-formed text). */
export function serializeString(value: string, path = '$'): string {
  try {
    return stringText(value);
  } catch (error) {
    if (error instanceof Refusal) throw new CanonicalizationError(error.reason, path);
    throw error;
  }
}

/** What a string needs escaped, or checked for a lone surrogate, before it is written as is. */
// eslint-disable-next-line no-control-regex -- the control characters are what JSON escapes
const NEEDS_CARE = /["\\\u0000-\u001f\ud800-\udfff]/;

function stringText(value: string): string {
  // Most text has nothing to escape and no surrogate: quoted as it is, which is much cheaper
  // than a call into JSON.stringify for every member name and string of every submission.
  if (!NEEDS_CARE.test(value)) return `"${value}"`;
  // JSON.stringify escapes exactly as the RFC asks, natively; text that is not well-formed has a
  // lone surrogate, which is not Unicode. isWellFormed is in Node 20 but not yet in TypeScript's
  // ES2023 lib.
  if ((value as string & { isWellFormed(): boolean }).isWellFormed()) return JSON.stringify(value);
  throw new Refusal(`lone surrogate U+${loneSurrogate(value)} is not Unicode text`);
}

/** The first lone surrogate of text that is not well-formed, in hex. */
function loneSurrogate(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit < 0xd800 || unit > 0xdfff) continue;
    const next = value.charCodeAt(i + 1);
    if (unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff)
      i += 1; // a pair: one character
    else return unit.toString(16).toUpperCase();
  }
  return '';
}
