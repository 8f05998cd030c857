import { parseArgs } from 'node:util';
import type { Config } from '../platform/config/config.js';
import type { Db } from '../platform/db/database.js';
import { sessionSecrets, type SealedCount } from '../platform/keyring/keyring.js';
import { resealTotpSecrets, sealedTotpCounts } from '../modules/identity/index.js';
import { notifySealedCounts, resealNotifySecrets } from '../modules/notify/index.js';
import { payWebhookSealedCounts, resealPayWebhookSecrets } from '../modules/payments/index.js';
import type { CommandResult } from '../modules/sso/index.js';

/**
 * `joinedup secrets:rotate-check [--reseal]`: after SESSION_SECRET has changed, whether the
 * previous secrets (SESSION_SECRETS_PREVIOUS) are still needed. Counts every value sealed at
 * rest by the secret that opens it, and exits 0 only when the current secret opens them all, so
 * the previous ones may be dropped (docs/operations/production.md, "Rotating SESSION_SECRET").
 * `--reseal` first seals again under the current secret whatever a previous one opens.
 */
export async function secretsRotateCheck(
  db: Db,
  config: Config,
  args: string[] = [],
): Promise<CommandResult> {
  const { values } = parseArgs({ args, options: { reseal: { type: 'boolean' } } });
  const secrets = sessionSecrets(config);
  const out = [`Session secrets: the current one and ${secrets.length - 1} previous.`];
  if (values.reseal) {
    const resealed =
      (await resealTotpSecrets(db, config)) +
      (await resealNotifySecrets(db, config)) +
      (await resealPayWebhookSecrets(db, config));
    out.push(`Sealed again under the current secret: ${resealed}.`);
  }
  const counts: [string, SealedCount][] = [
    ['Authenticator-app secrets', await sealedTotpCounts(db, config)],
    ['Notify API keys and callback tokens', await notifySealedCounts(db, config)],
    ['Pay webhook signing secrets', await payWebhookSealedCounts(db, config)],
  ];
  out.push(
    ...counts.map(
      ([what, c]) =>
        `${what}: ${c.current} current, ${c.previous} need a previous secret, ${c.unreadable} unreadable`,
    ),
    'Hub webhook signing secrets are derived, not stored: hub deliveries are signed under every secret on the keyring until each body is given a new one.',
  );
  const previous = counts.reduce((sum, [, c]) => sum + c.previous, 0);
  const unreadable = counts.reduce((sum, [, c]) => sum + c.unreadable, 0);
  const err: string[] = [];
  if (previous > 0)
    err.push(
      `${previous} sealed values still open only with a previous secret: keep SESSION_SECRETS_PREVIOUS (they are sealed again as they are used, or now with --reseal).`,
    );
  if (unreadable > 0)
    err.push(
      `${unreadable} sealed values open with no secret on the keyring: put the SESSION_SECRET they were sealed under back in SESSION_SECRETS_PREVIOUS, or issue them again.`,
    );
  if (err.length === 0 && secrets.length > 1)
    err.push('Nothing sealed needs a previous secret: SESSION_SECRETS_PREVIOUS may be emptied.');
  return { code: previous + unreadable > 0 ? 1 : 0, out, err };
}
