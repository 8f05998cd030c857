import { describe, expect, it } from 'vitest';
import { generateSecret } from 'otplib';
import { groupSecret, openSecret, phoneEnding, sealSecret, totpKey } from './second-factor.js';

describe('sealing TOTP secrets', () => {
  const key = totpKey('a-session-secret-of-at-least-32-characters');

  it('opens what it sealed, and seals the same secret differently each time', () => {
    const secret = generateSecret();
    const sealed = sealSecret(key, secret);
    expect(sealed).not.toContain(secret);
    expect(sealSecret(key, secret)).not.toBe(sealed);
    expect(openSecret(key, sealed)).toBe(secret);
  });

  it('refuses a tampered value and a different key', () => {
    const sealed = sealSecret(key, generateSecret());
    const [v, iv, tag, body] = sealed.split('.');
    const flipped = body!.startsWith('A') ? `B${body!.slice(1)}` : `A${body!.slice(1)}`;
    expect(() => openSecret(key, [v, iv, tag, flipped].join('.'))).toThrow();
    expect(() => openSecret(totpKey('another-session-secret-of-32-characters!'), sealed)).toThrow();
  });
});

describe('showing secrets and phones', () => {
  it('groups a key in fours for typing, and shows only the end of a phone number', () => {
    expect(groupSecret('ABCDEFGHIJ')).toBe('ABCD EFGH IJ');
    expect(phoneEnding('07700 900123')).toBe('0123');
    expect(phoneEnding(null)).toBe('');
  });
});
