/**
 * Reading the JSON a service owner typed: where a syntax error is (line and column, in words a
 * person can act on, whatever the Node version's JSON.parse says), and on which line each part
 * of a valid document starts, so a schema problem at `pages.2.questions.0.name` can say "line 57".
 * JSON.parse still makes the value; this scanner only checks the grammar (RFC 8259) and notes
 * positions.
 */

/** What is wrong with the text, as a message key of the editor's locale files and its values. */
export type SyntaxProblem =
  | { kind: 'empty' }
  | { kind: 'unexpectedEnd' }
  | { kind: 'unexpected'; found: string; expected: Expected }
  | { kind: 'controlCharacter' }
  | { kind: 'badEscape' }
  | { kind: 'badNumber' }
  | { kind: 'duplicateKey'; key: string }
  | { kind: 'tooDeep' };

/** What the scanner was looking for when it found something else. */
export type Expected = 'value' | 'key' | 'colon' | 'commaOrBrace' | 'commaOrBracket' | 'end';

/** A position in the text: 1-based line and column (columns count characters). */
export interface TextPosition {
  line: number;
  column: number;
}

export type JsonReading =
  | {
      ok: true;
      value: unknown;
      /** Where the part at a path ("pages.0.title", or [] for the whole) starts; or its nearest ancestor. */
      positionOf(path: readonly (string | number)[]): TextPosition;
    }
  | { ok: false; position: TextPosition; problem: SyntaxProblem };

/** Deeper than any form definition needs; a guard against a stack overflow on `[[[[…`. */
const MAX_DEPTH = 64;

class Stop extends Error {
  constructor(
    readonly offset: number,
    readonly problem: SyntaxProblem,
  ) {
    super(problem.kind);
  }
}

/** Line and column of an offset. */
export function positionAt(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** A character as a person would read it in a message: `"}"`, or "a line break". */
function shown(text: string, offset: number): string {
  const char = String.fromCodePoint(text.codePointAt(offset)!);
  if (char === '\n' || char === '\r') return '⏎';
  if (char === '\t') return '⇥';
  // A word or number where a value was expected: show a little of it ("tru", "Yes").
  const word = /^[A-Za-z0-9_$.+-]{1,20}/.exec(text.slice(offset));
  return word ? word[0] : char;
}

/**
 * Reads JSON text: the value and where its parts are, or where the first syntax error is and what
 * it is. A leading byte-order mark is ignored.
 *
 * @example
 * const reading = readJson('{\n  "key": "bulky-waste",\n}');
 * // { ok: false, position: { line: 3, column: 1 }, problem: { kind: 'unexpected', found: '}', expected: 'key' } }
 */
export function readJson(input: string): JsonReading {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const starts = new Map<string, number>();
  let i = 0;

  const space = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const fail = (problem: SyntaxProblem, at = i): never => {
    throw new Stop(at, problem);
  };
  const unexpected = (expected: Expected): never =>
    i >= text.length
      ? fail({ kind: 'unexpectedEnd' })
      : fail({ kind: 'unexpected', found: shown(text, i), expected });

  const string = (): string => {
    const start = i;
    i++; // the opening quote
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return JSON.parse(text.slice(start, i)) as string;
      }
      if (c < 32) fail({ kind: 'controlCharacter' });
      if (c === 92) {
        const next = text[i + 1];
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail({ kind: 'badEscape' });
          i += 6;
        } else if (next !== undefined && '"\\/bfnrt'.includes(next)) i += 2;
        else fail({ kind: 'badEscape' });
      } else i++;
    }
    return fail({ kind: 'unexpectedEnd' });
  };

  const number = () => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!match) fail({ kind: 'badNumber' });
    i += match![0].length;
    // "01", "1.", "1e": digits or a dot straight after a number are a malformed number.
    if (/[0-9.eE]/.test(text[i] ?? '')) fail({ kind: 'badNumber' });
  };

  const value = (path: string, depth: number): void => {
    space();
    if (depth > MAX_DEPTH) fail({ kind: 'tooDeep' });
    if (!starts.has(path)) starts.set(path, i);
    const c = text[i];
    if (c === '{') {
      i++;
      const keys = new Set<string>();
      space();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        space();
        if (text[i] !== '"') unexpected('key');
        const keyAt = i;
        const key = string();
        if (keys.has(key)) fail({ kind: 'duplicateKey', key }, keyAt);
        keys.add(key);
        const child = path ? `${path}.${key}` : key;
        starts.set(child, keyAt);
        space();
        if (text[i] !== ':') unexpected('colon');
        i++;
        value(child, depth + 1);
        space();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        unexpected('commaOrBrace');
      }
    } else if (c === '[') {
      i++;
      space();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (let n = 0; ; n++) {
        value(path ? `${path}.${n}` : String(n), depth + 1);
        space();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        unexpected('commaOrBracket');
      }
    } else if (c === '"') {
      string();
    } else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      number();
    } else if (text.startsWith('true', i)) i += 4;
    else if (text.startsWith('false', i)) i += 5;
    else if (text.startsWith('null', i)) i += 4;
    else unexpected('value');
  };

  try {
    space();
    if (i >= text.length) fail({ kind: 'empty' });
    value('', 0);
    space();
    if (i < text.length) unexpected('end');
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    return { ok: false, position: positionAt(text, error.offset), problem: error.problem };
  }
  const parsed: unknown = JSON.parse(text);
  return {
    ok: true,
    value: parsed,
    positionOf(path) {
      for (let n = path.length; n >= 0; n--) {
        const at = starts.get(path.slice(0, n).join('.'));
        if (at !== undefined) return positionAt(text, at);
      }
      return { line: 1, column: 1 };
    },
  };
}
