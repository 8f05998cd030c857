import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Where the session secrets come from: the configuration (SESSION_SECRET, then the older
 * SESSION_SECRETS_PREVIOUS), or one secret on its own (a test, a tool that knows only one).
 */
export type SecretSource =
  | string
  | { readonly SESSION_SECRET: string; readonly SESSION_SECRETS_PREVIOUS?: readonly string[] };

/**
 * The session secrets, newest first: the current one seals and signs, the previous ones only
 * open and verify what was made before a rotation (docs/operations/production.md, "Key rotation").
 *
 * @example sessionSecrets(config) // ['new…', 'old…']
 */
export function sessionSecrets(source: SecretSource): readonly string[] {
  if (typeof source === 'string') return [source];
  const previous = (source.SESSION_SECRETS_PREVIOUS ?? []).filter(
    (secret) => secret !== source.SESSION_SECRET,
  );
  return [source.SESSION_SECRET, ...new Set(previous)];
}

/** One purpose's key from each secret, newest first: HKDF-SHA256 with the purpose's salt and info. */
export function deriveKeys(source: SecretSource, salt: string, info: string): Buffer[] {
  return sessionSecrets(source).map((secret) =>
    Buffer.from(hkdfSync('sha256', secret, salt, info, 32)),
  );
}

/** What {@link Sealer.open} found: the plain text, and whether it was sealed under an older secret. */
export interface Opened {
  plain: string;
  /** Sealed under a previous secret: seal it again (with `seal`) where that is natural. */
  stale: boolean;
}

/**
 * Seals values at rest (AES-256-GCM) for one purpose: with the key from the current secret,
 * and opens them with the key from whichever secret sealed them, so rotating SESSION_SECRET
 * loses nothing while the old one stays in SESSION_SECRETS_PREVIOUS.
 */
export interface Sealer {
  /** `v1.<iv>.<tag>.<ciphertext>` (base64url) under the current key. */
  seal(plain: string): string;
  /** Throws if the value was tampered with, or no secret on the keyring sealed it. */
  open(sealed: string): Opened;
}

/** GCM's tag tells a wrong key from the right one, so no key id is needed in the value. */
function openWith(key: Buffer, iv: string, tag: string, body: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([
    decipher.update(Buffer.from(body, 'base64url')),
    decipher.final(),
  ]).toString('utf8');
}

/**
 * A {@link Sealer} for one purpose. Values sealed before the keyring existed open unchanged:
 * the format and the derivation (salt, info) are the ones each module used.
 *
 * @example const totp = sealer(config, 'joinedup', 'totp-secret-v1'); totp.open(totp.seal('x')).plain
 */
export function sealer(source: SecretSource, salt: string, info: string): Sealer {
  const keys = deriveKeys(source, salt, info);
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', keys[0]!, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', ...[iv, cipher.getAuthTag(), body].map((p) => p.toString('base64url'))].join(
        '.',
      );
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || body === undefined)
        throw new Error('Unknown sealed format');
      for (const [index, key] of keys.entries()) {
        try {
          return { plain: openWith(key, iv, tag, body), stale: index > 0 };
        } catch {
          // Not this key (or tampered with): try the next one.
        }
      }
      throw new Error('Sealed under no secret on the keyring, or tampered with');
    },
  };
}

/** How many sealed values the current secret opens, how many only a previous one, and how many none. */
export interface SealedCount {
  current: number;
  previous: number;
  unreadable: number;
}

/**
 * Counts sealed values by the secret that opens them, for `joinedup secrets:rotate-check`: a
 * previous secret may leave SESSION_SECRETS_PREVIOUS once nothing needs it (`previous` is 0).
 */
export function countSealed(sealer: Sealer, values: Iterable<string>): SealedCount {
  const count: SealedCount = { current: 0, previous: 0, unreadable: 0 };
  for (const value of values) {
    try {
      count[sealer.open(value).stale ? 'previous' : 'current'] += 1;
    } catch {
      count.unreadable += 1;
    }
  }
  return count;
}

/**
 * The value sealed again under the current secret when only a previous one opens it; undefined
 * when it is current already, or when no secret on the keyring opens it (left as it is). For
 * `joinedup secrets:rotate-check --reseal`, which does at once what use does over time.
 */
export function resealIfStale(sealer: Sealer, value: string): string | undefined {
  try {
    const opened = sealer.open(value);
    return opened.stale ? sealer.seal(opened.plain) : undefined;
  } catch {
    return undefined;
  }
}
