import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseNino as parsePrintedNino } from '../../src/modules/forms/parsers.js';
import { FormDefinitionSchema } from '../../src/modules/forms/schema.js';
import { validateAnswers } from '../../src/modules/forms/validate.js';
import { validateRequest as validateNotifyRequest } from '../../src/modules/notify/commands/send.js';
import { readReportParams } from '../../src/modules/open311/api/params.js';
import { MAX_AMOUNT, parseNewPayment } from '../../src/modules/payments/api/validate.js';
import { PayError } from '../../src/modules/payments/errors.js';
import { parseNino } from '../../src/modules/registers/nino.js';
import {
  newReference,
  parseReference,
  REFERENCE_ALPHABET,
} from '../../src/modules/submissions/reference.js';
import { normalisePostcode } from '../../src/platform/validation/validators.js';
import { PROJECT_ROOT } from '../helpers/child-process.js';

/**
 * Fuzzing every public parser and validator (issue 14, part 2): at least 10,000 generated inputs
 * each, hostile as well as plausible, checking that none throws what it should not, that what
 * it accepts is well-formed, and that reading its own output gives the same answer. The
 * parsers' own tests beside their code hold the finer rules; this file is the volume.
 */
const RUNS = { numRuns: 10_000 };
/**
 * These parsers touch no database: the suite's PostgreSQL pass (DATABASE_URL set) would run the
 * same 90,000 cases again for nothing, so only the PGlite pass runs them.
 */
const fuzz = describe.skipIf(Boolean(process.env.DATABASE_URL));

/** Text people and attackers type: anything, or near-misses of the real shapes. */
const hostileText = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    "' OR 1=1 --",
    '<script>alert(1)</script>',
    '{{7*7}}',
    'a\r\nSet-Cookie: x=1',
    '../../etc/passwd',
    '\u0000',
    '\u202e',
    ' '.repeat(500),
  ),
);

/** Any JSON value, nested, as a request body's field may be. */
const anyJson = fc.jsonValue({ maxDepth: 3 });

/** A body with the expected field names given any values, plus stray ones. */
function bodyWith(fields: string[]) {
  return fc
    .tuple(
      fc.record(Object.fromEntries(fields.map((f) => [f, fc.oneof(anyJson, hostileText)])), {
        requiredKeys: [],
      }),
      fc.dictionary(fc.string({ maxLength: 12 }), anyJson, { maxKeys: 3 }),
    )
    .map(([known, stray]) => ({ ...stray, ...known }));
}

fuzz('postcodes', () => {
  const validPostcode = fc
    .tuple(
      fc.constantFrom('GL', 'B', 'SW', 'CF', 'EH', 'BT', 'M'),
      fc.integer({ min: 1, max: 99 }),
      fc.integer({ min: 0, max: 9 }),
      fc.constantFrom(...'ABDEFGHJLNPQRSTUWXYZ'),
      fc.constantFrom(...'ABDEFGHJLNPQRSTUWXYZ'),
    )
    .map(([area, district, sector, a, b]) => `${area}${district} ${sector}${a}${b}`);

  it('never throws, and what it accepts is a well-formed postcode it reads the same again', () => {
    fc.assert(
      fc.property(fc.oneof(hostileText, validPostcode), (input) => {
        const postcode = normalisePostcode(input);
        if (postcode === undefined) return;
        expect(postcode).toMatch(/^[A-Z]{1,2}[0-9][0-9A-Z]? [0-9][A-Z]{2}$/);
        expect(normalisePostcode(postcode)).toBe(postcode);
      }),
      RUNS,
    );
  });

  it('accepts every well-formed postcode however it is spaced or cased', () => {
    fc.assert(
      fc.property(validPostcode, fc.boolean(), (postcode, lower) => {
        const typed = (lower ? postcode.toLowerCase() : postcode).replace(' ', '');
        expect(normalisePostcode(typed)).toBe(postcode);
      }),
      RUNS,
    );
  });
});

fuzz('National Insurance numbers', () => {
  const ninoLike = fc
    .tuple(
      fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'),
      fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'),
      fc.integer({ min: 0, max: 999_999 }),
      fc.constantFrom(...'ABCDEFZ'),
    )
    .map(([a, b, digits, suffix]) => `${a}${b}${String(digits).padStart(6, '0')}${suffix}`);

  it('the register and the forms agree on every input, never throw, and print what they accept', () => {
    fc.assert(
      fc.property(fc.oneof(hostileText, ninoLike), (input) => {
        const register = parseNino(input);
        const printed = parsePrintedNino(input);
        expect(register.ok).toBe(printed !== undefined);
        if (!register.ok) return;
        expect(register.nino).toMatch(/^[A-Z]{2}[0-9]{6}[A-D]$/);
        expect(printed!.replaceAll(' ', '')).toBe(register.nino);
        expect(parseNino(printed!)).toEqual(register);
      }),
      RUNS,
    );
  });
});

fuzz('application references', () => {
  it('read every reference we make, typed any way, and nothing whose check character is wrong', () => {
    const randomOf = fc.infiniteStream(fc.nat(REFERENCE_ALPHABET.length - 1));
    fc.assert(
      fc.property(randomOf, fc.boolean(), fc.nat(9), (stream, lower, change) => {
        const iterator = stream[Symbol.iterator]();
        const reference = newReference(() => iterator.next().value as number);
        const typed = lower ? reference.toLowerCase().replaceAll('-', ' ') : reference;
        expect(parseReference(typed)).toBe(reference);
        // One character changed (not a hyphen) is never read as a reference.
        const chars = [...reference];
        const at = [3, 4, 5, 6, 8, 9, 10, 11][change % 8]!;
        const other =
          REFERENCE_ALPHABET[(REFERENCE_ALPHABET.indexOf(chars[at]!) + 1 + change) % 29]!;
        if (other === chars[at]) return;
        chars[at] = other;
        expect(parseReference(chars.join(''))).toBeUndefined();
      }),
      RUNS,
    );
  });

  it('never throws on anything typed', () => {
    fc.assert(
      fc.property(hostileText, (input) => {
        const reference = parseReference(input);
        if (reference !== undefined) expect(parseReference(reference)).toBe(reference);
      }),
      RUNS,
    );
  });
});

fuzz('form answers', () => {
  const directory = path.join(PROJECT_ROOT, 'src', 'modules', 'forms', 'definitions');
  const definitions = readdirSync(directory)
    .filter((file) => file.endsWith('.json'))
    .map((file) =>
      FormDefinitionSchema.parse(JSON.parse(readFileSync(path.join(directory, file), 'utf8'))),
    );
  const questionNames = (index: number) =>
    definitions[index]!.pages.flatMap((page) => page.questions.map((question) => question.name));

  it('validate any answers against every shipped form without throwing, keeping only its questions', () => {
    const input = fc
      .nat(definitions.length - 1)
      .chain((index) =>
        fc.tuple(
          fc.constant(index),
          fc.oneof(
            bodyWith(questionNames(index)),
            anyJson,
            fc.dictionary(
              hostileText,
              fc.oneof(hostileText, fc.array(hostileText, { maxLength: 3 })),
            ),
          ),
        ),
      );
    fc.assert(
      fc.property(input, ([index, answers]) => {
        const result = validateAnswers(definitions[index]!, answers, { today: '2026-11-26' });
        if (!result.ok) {
          expect(result.errors.length).toBeGreaterThan(0);
          return;
        }
        const known = new Set(questionNames(index));
        for (const name of Object.keys(result.answers)) expect(known.has(name)).toBe(true);
      }),
      RUNS,
    );
  });
});

fuzz('Open311 requests', () => {
  const fields = [
    'api_key',
    'jurisdiction_id',
    'service_code',
    'address_string',
    'address_id',
    'postcode',
    'email',
    'first_name',
    'last_name',
    'phone',
    'description',
    'media_url',
    'lat',
    'long',
    'attribute[colour]',
  ];

  it('read any POST body without throwing; what is read has coordinates in range and a numeric UPRN', () => {
    fc.assert(
      fc.property(fc.oneof(bodyWith(fields), anyJson), (body) => {
        const read = readReportParams(body);
        if (!read.ok) {
          expect(read.problems.length).toBeGreaterThan(0);
          return;
        }
        const { latitude, longitude, addressId } = read.params as {
          latitude?: number;
          longitude?: number;
          addressId?: string;
        };
        if (latitude !== undefined) expect(Math.abs(latitude)).toBeLessThanOrEqual(90);
        if (longitude !== undefined) expect(Math.abs(longitude)).toBeLessThanOrEqual(180);
        if (addressId) expect(addressId).toMatch(/^[0-9]{1,12}$/);
      }),
      RUNS,
    );
  });
});

fuzz('GOV.UK Notify requests', () => {
  const fields = [
    'template_id',
    'email_address',
    'phone_number',
    'personalisation',
    'reference',
    'email_reply_to_id',
    'sms_sender_id',
    'one_click_unsubscribe_url',
  ];

  it('check any e-mail, text or letter body without throwing, answering a list of problems', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('email', 'sms', 'letter' as const),
        bodyWith(fields),
        (type, body) => {
          const problems = validateNotifyRequest(type as 'email', body as Record<string, unknown>);
          expect(Array.isArray(problems)).toBe(true);
          for (const problem of problems) expect(typeof problem).toBe('string');
          if (!('template_id' in body)) expect(problems.length).toBeGreaterThan(0);
        },
      ),
      RUNS,
    );
  });
});

fuzz('GOV.UK Pay requests', () => {
  const fields = [
    'amount',
    'description',
    'reference',
    'return_url',
    'language',
    'email',
    'metadata',
    'delayed_capture',
  ];
  const plausible = fc.record({
    amount: fc.oneof(fc.integer({ min: -10, max: MAX_AMOUNT + 10 }), anyJson),
    description: fc.oneof(fc.string({ maxLength: 300 }), anyJson),
    reference: fc.oneof(fc.string({ maxLength: 300 }), anyJson),
    return_url: fc.oneof(fc.webUrl(), hostileText),
  });

  it('a create-payment body is either a well-formed payment or a Pay error, never anything else', () => {
    fc.assert(
      fc.property(fc.oneof(bodyWith(fields), plausible, anyJson), fc.boolean(), (body, dev) => {
        let payment;
        try {
          payment = parseNewPayment(body, dev);
        } catch (error) {
          expect(error).toBeInstanceOf(PayError);
          return;
        }
        expect(Number.isInteger(payment.amount)).toBe(true);
        expect(payment.amount).toBeGreaterThanOrEqual(1);
        expect(payment.amount).toBeLessThanOrEqual(MAX_AMOUNT);
        expect(payment.description.length).toBeLessThanOrEqual(255);
        expect(payment.reference.length).toBeLessThanOrEqual(255);
        expect(['en', 'cy']).toContain(payment.language);
        if (!dev) expect(payment.return_url.startsWith('https://')).toBe(true);
      }),
      RUNS,
    );
  });
});
