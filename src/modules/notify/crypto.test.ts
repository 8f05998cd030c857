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
});
