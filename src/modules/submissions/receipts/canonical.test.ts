import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalFields, type DigestSource } from './canonical.js';
import { digestOf } from './digest.js';
import { canonicalize } from './jcs.js';

const ROW: DigestSource = {
  reference: 'JU-7K4M-92QK',
  service_id: '5d2c1d0e-0000-4000-8000-000000000001',
  organisation_id: '5d2c1d0e-0000-4000-8000-000000000002',
  submitted_at: new Date('2026-03-02T09:15:04.12Z'),
  answers: {
    values: {
      preferredDate: '2026-03-09',
      items: ['sofa', 'fridge'],
      addressLine1: '1 Stryd y Castell – Fflat 2',
    },
    summary: {
      en: [{ question: 'Items', answer: 'Sofa' }],
      cy: [{ question: 'Eitemau', answer: 'Soffa' }],
    },
  },
};
const NAMES = { service: 'request-a-bulky-waste-collection', organisation: 'E07000082' };

describe('the canonical form of a submission', () => {
  it('names the submission by reference, service slug, body code and UTC time with milliseconds, and keeps only the submitted values', () => {
    expect(canonicalize(canonicalFields(ROW, NAMES))).toBe(
      '{"answers":{"addressLine1":"1 Stryd y Castell – Fflat 2","items":["sofa","fridge"],' +
        '"preferredDate":"2026-03-09"},"organisation":"E07000082","reference":"JU-7K4M-92QK",' +
        '"service":"request-a-bulky-waste-collection","submittedAt":"2026-03-02T09:15:04.120Z"}',
    );
  });

  it('includes the form version when the submission records one, and leaves it out otherwise', () => {
    expect(canonicalFields({ ...ROW, form_version: 3 }, NAMES).formVersion).toBe(3);
    expect('formVersion' in canonicalFields({ ...ROW, form_version: null }, NAMES)).toBe(false);
    expect('formVersion' in canonicalFields(ROW, NAMES)).toBe(false);
  });

  it('does not depend on the status, the summary wording or the order the answers were stored in', () => {
    const reordered: DigestSource = {
      ...ROW,
      answers: {
        values: Object.fromEntries(Object.entries(ROW.answers.values).reverse()),
        summary: { en: [], cy: [] },
      },
    };
    expect(canonicalize(canonicalFields(reordered, NAMES))).toBe(
      canonicalize(canonicalFields(ROW, NAMES)),
    );
  });
});

describe('the digest', () => {
  it('is SHA-256 in hex and base64url (FIPS 180-2 "abc" vector)', () => {
    expect(digestOf('abc')).toEqual({
      algorithm: 'sha-256',
      hex: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      base64url: 'ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0',
    });
  });

  it('is taken over the UTF-8 bytes of the text', () => {
    const utf8 = createHash('sha256')
      .update(Buffer.from([0x22, 0xc5, 0xb5, 0x22]))
      .digest('hex');
    expect(digestOf('"ŵ"').hex).toBe(utf8);
  });

  it('changes when any answer changes', () => {
    const changed: DigestSource = {
      ...ROW,
      answers: { ...ROW.answers, values: { ...ROW.answers.values, items: ['sofa'] } },
    };
    expect(digestOf(canonicalize(canonicalFields(changed, NAMES))).hex).not.toBe(
      digestOf(canonicalize(canonicalFields(ROW, NAMES))).hex,
    );
  });
});
