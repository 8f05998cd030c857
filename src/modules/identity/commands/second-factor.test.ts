import { describe, expect, it } from 'vitest';
import { generateSecret } from 'otplib';
import { groupSecret, openSecret, phoneEnding, sealSecret, totpKey } from './second-factor.js';
import { staffSecondFactorStep } from '../staff-second-factor.js';

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

describe('sealing TOTP secrets across a change of SESSION_SECRET', () => {
  const OLD = 'the-secret-this-site-had-before-0123456789';
  const NEW = 'the-secret-this-site-has-now-after-rotation';

  it('opens a secret sealed under the previous SESSION_SECRET, and not one sealed under a secret on no keyring', () => {
    const secret = generateSecret();
    const rotated = totpKey({ SESSION_SECRET: NEW, SESSION_SECRETS_PREVIOUS: [OLD] });
    expect(openSecret(rotated, sealSecret(totpKey(OLD), secret))).toBe(secret);
    expect(rotated.open(sealSecret(totpKey(OLD), secret)).stale).toBe(true);
    expect(openSecret(totpKey(NEW), sealSecret(rotated, secret))).toBe(secret);
    const unknown = sealSecret(totpKey('a-secret-on-no-keyring-of-this-site-0123456'), secret);
    expect(() => openSecret(rotated, unknown)).toThrow();
  });
});

describe('showing secrets and phones', () => {
  it('groups a key in fours for typing, and shows only the end of a phone number', () => {
    expect(groupSecret('ABCDEFGHIJ')).toBe('ABCD EFGH IJ');
    expect(phoneEnding('07700 900123')).toBe('0123');
    expect(phoneEnding(null)).toBe('');
  });
});

describe('staff and their second factor', () => {
  const staff = { kind: 'staff', credentialLevel: 'Cl' } as const;

  it('sends staff to set one up, or to give it, until their session has; never citizens, nor when not required', () => {
    expect(staffSecondFactorStep(staff, 'none', true)).toBe('/account/second-factor');
    expect(staffSecondFactorStep(staff, 'totp', true)).toBe('/sign-in/second-factor');
    expect(staffSecondFactorStep({ ...staff, credentialLevel: 'Cl.Cm' }, 'totp', true)).toBe(
      undefined,
    );
    expect(staffSecondFactorStep({ ...staff, kind: 'citizen' }, 'none', true)).toBe(undefined);
    expect(staffSecondFactorStep(staff, 'none', false)).toBe(undefined);
  });
});
