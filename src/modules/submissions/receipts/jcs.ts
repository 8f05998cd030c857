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
  const out: string[] = [];
  write(value, '$', out, new Set());
  return out.join('');
}

function write(value: unknown, path: string, out: string[], ancestors: Set<object>): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      out.push(serializeNumber(value, path));
      return;
    case 'string':
      out.push(serializeString(value, path));
      return;
    case 'object':
      break;
    default:
      throw new CanonicalizationError(`${typeof value} is not a JSON value`, path);
  }
  const object = value as object;
  if (ancestors.has(object)) throw new CanonicalizationError('a cycle is not JSON', path);
  ancestors.add(object);
  if (Array.isArray(object)) {
    out.push('[');
    object.forEach((element: unknown, index) => {
      if (index > 0) out.push(',');
      write(element, `${path}[${index}]`, out, ancestors);
    });
    out.push(']');
  } else {
    const prototype = Object.getPrototypeOf(object) as unknown;
    if (prototype !== Object.prototype && prototype !== null)
      throw new CanonicalizationError('only plain objects are JSON objects', path);
    const record = object as Record<string, unknown>;
    out.push('{');
    Object.keys(record)
      .sort(compareUtf16)
      .forEach((key, index) => {
        if (index > 0) out.push(',');
        const memberPath = `${path}.${key}`;
        out.push(serializeString(key, memberPath), ':');
        write(record[key], memberPath, out, ancestors);
      });
    out.push('}');
  }
  ancestors.delete(object);
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
  // String() is Number::toString; it writes -0 as "0", as the RFC requires.
  return String(value);
}

const SHORT_ESCAPES: Record<number, string> = {
  0x08: '\\b',
  0x09: '\\t',
  0x0a: '\\n',
  0x0c: '\\f',
  0x0d: '\\r',
  0x22: '\\"',
  0x5c: '\\\\',
};

/** A JSON string literal as RFC 8785 §3.2.2.2 writes it (what JSON.stringify writes for well-formed text). */
export function serializeString(value: string, path = '$'): string {
  // Well-formed text (nearly all of it) is JSON.stringify's, done natively; the loop below finds
  // and names a lone surrogate. isWellFormed is in Node 20 but not yet in TypeScript's ES2023 lib.
  if ((value as string & { isWellFormed(): boolean }).isWellFormed()) return JSON.stringify(value);
  let out = '"';
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdfff) {
      const next = value.charCodeAt(i + 1);
      if (unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i += 1; // a surrogate pair: one character beyond U+FFFF, written as is
        continue;
      }
      throw new CanonicalizationError(
        `lone surrogate U+${unit.toString(16).toUpperCase()} is not Unicode text`,
        path,
      );
    }
    if (unit >= 0x20 && unit !== 0x22 && unit !== 0x5c) continue;
    out +=
      value.slice(start, i) + (SHORT_ESCAPES[unit] ?? `\\u${unit.toString(16).padStart(4, '0')}`);
    start = i + 1;
  }
  return `${out}${value.slice(start)}"`;
}
