import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CanonicalizationError, canonicalize, serializeNumber, serializeString } from './jcs.js';

/** A double from its IEEE 754 bits, as RFC 8785 Appendix B lists them. */
function fromBits(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

describe('RFC 8785 examples', () => {
  it('sorts members by UTF-16 code units, as the sorting example of §3.2.3 shows', () => {
    const input = JSON.parse(`{
      "\\u20ac": "Euro Sign",
      "\\r": "Carriage Return",
      "\\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One",
      "\\ud83d\\ude00": "Emoji: Grinning Face",
      "\\u0080": "Control",
      "\\u00f6": "Latin Small Letter O With Diaeresis"
    }`);
    // Read the values in the order the text has them (JSON.parse would put "1" first again).
    const values = [...canonicalize(input).matchAll(/":"([^"]*)"/g)].map((m) => m[1]);
    expect(values).toEqual([
      'Carriage Return',
      'One',
      'Control',
      'Latin Small Letter O With Diaeresis',
      'Euro Sign',
      'Emoji: Grinning Face',
      'Hebrew Letter Dalet With Dagesh',
    ]);
  });

  it('writes the §3.2.2 sample with ECMAScript numbers and minimal escaping, byte for byte', () => {
    const input = JSON.parse(`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\"\\/",
      "literals": [null, true, false]
    }`);
    const canonical = canonicalize(input);
    expect(canonical).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
    // §3.2.4: the UTF-8 bytes that are hashed.
    expect(Buffer.from(canonical, 'utf8').toString('hex')).toBe(
      [
        '7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72',
        '75 65 2c 66 61 6c 73 65 5d 2c 22 6e 75 6d 62 65 72 73 22 3a',
        '5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31',
        '65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37',
        '5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30',
        '30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d',
      ]
        .join(' ')
        .replaceAll(' ', ''),
    );
  });

  it('writes the test-data "arrays" file', () => {
    expect(canonicalize(JSON.parse('[56, {"d": true, "10": null, "1": [ ]}]'))).toBe(
      '[56,{"1":[],"10":null,"d":true}]',
    );
  });

  it('writes the test-data "structures" file', () => {
    const input = JSON.parse(`{
      "1": {"f": {"f": "hi","F": 5} ,"\\n": 56.0},
      "10": { },
      "": "empty",
      "a": { },
      "111": [ {"e": "yes","E": "no" } ],
      "A": { }
    }`);
    expect(canonicalize(input)).toBe(
      '{"":"empty","1":{"\\n":56,"f":{"F":5,"f":"hi"}},"10":{},"111":[{"E":"no","e":"yes"}],"A":{},"a":{}}',
    );
  });

  it('writes the test-data "unicode" file without normalising', () => {
    expect(canonicalize(JSON.parse('{"Unnormalized Unicode":"A\\u030a"}'))).toBe(
      '{"Unnormalized Unicode":"A\u030a"}',
    );
  });

  it('writes the test-data "weird" file: control characters escaped, everything else as is', () => {
    const input = JSON.parse(`{
      "\\u20ac": "Euro Sign",
      "\\r": "Carriage Return",
      "\\u000a": "Newline",
      "1": "One",
      "\\u0080": "Control\\u007f",
      "\\ud83d\\ude02": "Smiley",
      "\\u00f6": "Latin Small Letter O With Diaeresis",
      "\\ufb33": "Hebrew Letter Dalet With Dagesh",
      "</script>": "Browser Challenge"
    }`);
    expect(canonicalize(input)).toBe(
      '{"\\n":"Newline","\\r":"Carriage Return","1":"One","</script>":"Browser Challenge",' +
        '"\u0080":"Control\u007f","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude02":"Smiley","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('writes the test-data "french" file in code-unit order, ignoring the locale', () => {
    const input = {
      peach: 'This sorting order',
      péché: 'is wrong according to French',
      pêche: 'but canonicalization MUST',
      sin: 'ignore locale',
    };
    expect(canonicalize(input)).toBe(
      '{"peach":"This sorting order","péché":"is wrong according to French",' +
        '"pêche":"but canonicalization MUST","sin":"ignore locale"}',
    );
  });

  it.each([
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ])('writes the Appendix B number %s as %s', (bits, expected) => {
    expect(serializeNumber(fromBits(bits))).toBe(expected);
  });

  it.each([['7fffffffffffffff'], ['7ff0000000000000'], ['fff0000000000000']])(
    'refuses the Appendix B non-number %s (NaN, Infinity)',
    (bits) => {
      expect(() => canonicalize([fromBits(bits)])).toThrow(CanonicalizationError);
    },
  );
});

describe('what is not JSON', () => {
  it.each([
    ['undefined', { a: undefined }, '$.a'],
    ['a function', [() => 1], '$[0]'],
    ['a bigint', { n: 1n }, '$.n'],
    ['a Date', { when: new Date(0) }, '$.when'],
    ['a lone high surrogate', { s: 'a\ud83d' }, '$.s'],
    ['a lone low surrogate', ['\ude00b'], '$[0]'],
  ])('is refused with where it is: %s', (_, value, path) => {
    expect(() => canonicalize(value)).toThrow(
      expect.objectContaining({ name: 'CanonicalizationError', path }),
    );
  });

  it('refuses a cycle but accepts the same object twice side by side', () => {
    const shared = { x: 1 };
    expect(canonicalize([shared, shared])).toBe('[{"x":1},{"x":1}]');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalize(cyclic)).toThrow(CanonicalizationError);
  });

  it('refuses a lone surrogate in a member name', () => {
    expect(() => canonicalize({ '\udc00': 1 })).toThrow(/lone surrogate U\+DC00/);
  });
});

/** The same value with every object's members in a shuffled order. */
function reorder(value: unknown, shuffle: <T>(items: T[]) => T[]): unknown {
  if (Array.isArray(value)) return value.map((item) => reorder(item, shuffle));
  if (value && typeof value === 'object') {
    const entries = shuffle(Object.entries(value as Record<string, unknown>));
    return Object.fromEntries(entries.map(([k, v]) => [k, reorder(v, shuffle)]));
  }
  return value;
}

/** The value with members sorted as JCS sorts them and -0 as 0: what JSON.stringify should then agree with. */
function sortedCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedCopy);
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return Object.fromEntries(
      keys.map((k) => [k, sortedCopy((value as Record<string, unknown>)[k])]),
    );
  }
  return Object.is(value, -0) ? 0 : value;
}

const anyJson = fc.jsonValue({ stringUnit: 'binary', maxDepth: 4 });

describe('properties', () => {
  it('gives the same text however the members of every object are ordered', () => {
    fc.assert(
      fc.property(anyJson, fc.infiniteStream(fc.nat()), (value, randoms) => {
        const shuffle = <T>(items: T[]): T[] => {
          const copy = [...items];
          for (let i = copy.length - 1; i > 0; i--) {
            const j = randoms.next().value! % (i + 1);
            [copy[i], copy[j]] = [copy[j]!, copy[i]!];
          }
          return copy;
        };
        expect(canonicalize(reorder(value, shuffle))).toBe(canonicalize(value));
      }),
    );
  });

  it('round-trips through JSON.parse to the same value, and canonicalising again changes nothing', () => {
    fc.assert(
      fc.property(anyJson, (value) => {
        const canonical = canonicalize(value);
        const parsed: unknown = JSON.parse(canonical);
        expect(parsed).toEqual(sortedCopy(value));
        expect(canonicalize(parsed)).toBe(canonical);
      }),
    );
  });

  it('agrees with JSON.stringify of the sorted value, whose primitives ECMAScript defines the same way', () => {
    fc.assert(
      fc.property(anyJson, (value) => {
        expect(canonicalize(value)).toBe(JSON.stringify(sortedCopy(value)));
      }),
    );
  });

  it('escapes strings exactly as JSON.stringify does for well-formed text, and writes them as valid UTF-8', () => {
    fc.assert(
      // Any text, and ASCII with its control characters, quotes and backslashes (written as it
      // is when nothing needs escaping, through JSON.stringify when something does).
      fc.property(
        fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary-ascii' }), fc.string()),
        (text) => {
          const literal = serializeString(text);
          expect(literal).toBe(JSON.stringify(text));
          expect(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(literal))).toBe(
            literal,
          );
        },
      ),
    );
  });

  it.each(['say "hi"', 'C:\\temp', 'two\nlines', '\u001f', 'plain text', '£5 for Siân', ''])(
    'writes %j as JSON.stringify does',
    (text) => expect(serializeString(text)).toBe(JSON.stringify(text)),
  );

  it('writes every finite double as Number::toString does and reads back to the same double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        const text = serializeNumber(n);
        expect(Number(text)).toBe(Object.is(n, -0) ? 0 : n);
        expect(text).toBe(JSON.stringify(n));
      }),
    );
  });
});
