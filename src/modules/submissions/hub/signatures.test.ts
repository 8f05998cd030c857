import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signatureHeader, signatureOf, verifySignature } from './signatures.js';

const BODY = '{"id":"5d2c1d0e-0000-4000-8000-000000000001","reference":"JU-7K4M-92QK"}';
const NOW = 1_767_225_600; // 2026-01-01T00:00:00Z

describe('webhook signatures', () => {
  it('are the hex HMAC-SHA256 of the timestamp, a dot and the body, under the secret', () => {
    const expected = createHmac('sha256', 'whsec_one').update(`${NOW}.${BODY}`).digest('hex');
    expect(signatureOf('whsec_one', NOW, BODY)).toBe(expected);
    expect(signatureHeader(['whsec_one'], NOW, BODY)).toBe(`t=${NOW},v1=${expected}`);
  });

  it('carry one v1 per secret while a rotation overlaps, and either secret verifies', () => {
    const header = signatureHeader(['whsec_new', 'whsec_old'], NOW, BODY);
    expect(header.split(',')).toHaveLength(3);
    const at = { now: NOW * 1000 };
    expect(verifySignature(header, BODY, ['whsec_old'], at)).toBe(true);
    expect(verifySignature(header, BODY, ['whsec_new'], at)).toBe(true);
    expect(verifySignature(header, BODY, ['whsec_other'], at)).toBe(false);
  });

  it('do not verify a changed body, a changed timestamp, a stale timestamp or a missing header', () => {
    const header = signatureHeader(['whsec_one'], NOW, BODY);
    const at = { now: NOW * 1000 };
    expect(verifySignature(header, `${BODY} `, ['whsec_one'], at)).toBe(false);
    expect(
      verifySignature(header.replace(`t=${NOW}`, `t=${NOW + 1}`), BODY, ['whsec_one'], at),
    ).toBe(false);
    expect(verifySignature(header, BODY, ['whsec_one'], { now: (NOW + 301) * 1000 })).toBe(false);
    expect(verifySignature(header, BODY, ['whsec_one'], { now: (NOW + 299) * 1000 })).toBe(true);
    expect(verifySignature(undefined, BODY, ['whsec_one'], at)).toBe(false);
    expect(verifySignature('t=abc,v1=zz', BODY, ['whsec_one'], at)).toBe(false);
  });
});
