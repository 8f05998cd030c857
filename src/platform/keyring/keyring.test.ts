import { describe, expect, it } from 'vitest';
import { countSealed, deriveKeys, sealer, sessionSecrets } from './keyring.js';

const OLD = 'the-secret-this-site-had-before-0123456789';
const NEW = 'the-secret-this-site-has-now-after-rotation';
const UNKNOWN = 'a-secret-on-no-keyring-of-this-site-0123456';

describe('the session secrets keyring', () => {
  it('puts the current secret first, then the previous ones once each, without the current', () => {
    expect(sessionSecrets(NEW)).toEqual([NEW]);
    expect(
      sessionSecrets({ SESSION_SECRET: NEW, SESSION_SECRETS_PREVIOUS: [OLD, NEW, OLD] }),
    ).toEqual([NEW, OLD]);
    expect(sessionSecrets({ SESSION_SECRET: NEW })).toEqual([NEW]);
  });

  it('derives the same key for a purpose from the same secret, and different ones otherwise', () => {
    const [current, previous] = deriveKeys(
      { SESSION_SECRET: NEW, SESSION_SECRETS_PREVIOUS: [OLD] },
      'salt',
      'purpose-v1',
    );
    expect(current).toEqual(deriveKeys(NEW, 'salt', 'purpose-v1')[0]);
    expect(previous).toEqual(deriveKeys(OLD, 'salt', 'purpose-v1')[0]);
    expect(current).not.toEqual(previous);
    expect(deriveKeys(NEW, 'salt', 'another-purpose-v1')[0]).not.toEqual(current);
  });

  it('opens a value sealed under the previous secret after rotation, saying it is stale, and seals anew under the current one', () => {
    const sealedBefore = sealer(OLD, 'salt', 'purpose-v1').seal('a secret');
    const rotated = sealer(
      { SESSION_SECRET: NEW, SESSION_SECRETS_PREVIOUS: [OLD] },
      'salt',
      'purpose-v1',
    );
    expect(rotated.open(sealedBefore)).toEqual({ plain: 'a secret', stale: true });
    const sealedAfter = rotated.seal('a secret');
    expect(rotated.open(sealedAfter)).toEqual({ plain: 'a secret', stale: false });
    // Sealed under the new secret alone: the old one is no longer needed for it.
    expect(sealer(NEW, 'salt', 'purpose-v1').open(sealedAfter).plain).toBe('a secret');
    expect(() => sealer(OLD, 'salt', 'purpose-v1').open(sealedAfter)).toThrow();
  });

  it('does not open a value sealed under a secret on no keyring, for another purpose, or tampered with', () => {
    const rotated = sealer(
      { SESSION_SECRET: NEW, SESSION_SECRETS_PREVIOUS: [OLD] },
      'salt',
      'purpose-v1',
    );
    expect(() => rotated.open(sealer(UNKNOWN, 'salt', 'purpose-v1').seal('x'))).toThrow(
      /no secret on the keyring/,
    );
    expect(() => rotated.open(sealer(NEW, 'salt', 'other-v1').seal('x'))).toThrow();
    const [v, iv, tag, body] = rotated.seal('a secret').split('.');
    const flipped = body!.startsWith('A') ? `B${body!.slice(1)}` : `A${body!.slice(1)}`;
    expect(() => rotated.open([v, iv, tag, flipped].join('.'))).toThrow();
    expect(() => rotated.open('v2.a.b.c')).toThrow(/Unknown sealed format/);
  });

  it('counts sealed values by the secret that opens them', () => {
    const rotated = sealer({ SESSION_SECRET: NEW, SESSION_SECRETS_PREVIOUS: [OLD] }, 's', 'p');
    const values = [
      rotated.seal('a'),
      rotated.seal('b'),
      sealer(OLD, 's', 'p').seal('c'),
      sealer(UNKNOWN, 's', 'p').seal('d'),
    ];
    expect(countSealed(rotated, values)).toEqual({ current: 2, previous: 1, unreadable: 1 });
  });
});
