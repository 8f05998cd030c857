import { sealer, type Sealer, type SecretSource } from '../../platform/keyring/keyring.js';

/**
 * The key that seals API-key secrets and callback tokens at rest: AES-256-GCM, derived with
 * HKDF-SHA256 from the session secrets (src/platform/keyring). Notify's JWTs are HS256, so
 * checking one needs the secret itself; a hash would not do. After SESSION_SECRET changes,
 * what was sealed under a previous one (still in SESSION_SECRETS_PREVIOUS) opens, and an API
 * key's secret is sealed again under the new one the next time the key is used.
 */
export function notifySealingKey(secrets: SecretSource): Sealer {
  return sealer(secrets, 'joinedup-notify', 'notify-secrets-v1');
}

/** `v1.<iv>.<tag>.<ciphertext>`, base64url parts, under the current key. */
export function seal(key: Sealer, plain: string): string {
  return key.seal(plain);
}

/** The plain text from {@link seal}; throws if it was tampered with or no key opens it. */
export function unseal(key: Sealer, sealed: string): string {
  return key.open(sealed).plain;
}
