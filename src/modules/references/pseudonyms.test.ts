import { describe, expect, it } from 'vitest';
import { derivePseudonym } from './pseudonyms.js';

const SECRET = 'a-session-secret-of-at-least-32-characters';
const BODY_A = '00000000-0000-4000-8000-00000000000a';
const BODY_B = '00000000-0000-4000-8000-00000000000b';
const USER = '00000000-0000-4000-8000-000000000123';

describe('pseudonymous identifiers', () => {
  it('are the same for one body and person, and unrelated between bodies', () => {
    const a = derivePseudonym(SECRET, BODY_A, USER);
    expect(a).toMatch(/^jp_[A-Za-z0-9_-]{32}$/);
    expect(derivePseudonym(SECRET, BODY_A, USER)).toBe(a);
    expect(derivePseudonym(SECRET, BODY_B, USER)).not.toBe(a);
    expect(a).not.toContain(USER.slice(-6));
  });
  it('depend on the current secret (which is why each is kept once given)', () => {
    const rotated = { SESSION_SECRET: `${SECRET}-new`, SESSION_SECRETS_PREVIOUS: [SECRET] };
    expect(derivePseudonym(rotated, BODY_A, USER)).not.toBe(derivePseudonym(SECRET, BODY_A, USER));
  });
});
