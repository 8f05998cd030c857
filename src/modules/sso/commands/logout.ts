import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../../../platform/db/database.js';
import type { ProviderHolder } from '../provider.js';

const holders = new WeakMap<Kysely<Database>, { holder: ProviderHolder; logger: Logger }>();

/** Called by the module when it starts, so `signOutOfRelyingParties(db, …)` finds its provider. */
export function registerHolder(db: Kysely<Database>, holder: ProviderHolder, logger: Logger): void {
  holders.set(db, { holder, logger });
}

/**
 * Makes this node read the signing keys now instead of within 30 s (after `rotateSigningKeys`).
 * For tests and the CLI; other nodes catch up on their own.
 */
export async function reloadSigningKeys(db: Kysely<Database>): Promise<void> {
  await holders.get(db)?.holder.refresh();
}

/**
 * Back-channel logout when a person signs out of Joinedup: every single sign-on session of
 * theirs ends, each relying party that registered a back-channel logout URI is sent a
 * logout token (sub pairwise, with sid), and the grants are revoked so their tokens stop
 * working. Returns how many logout tokens were delivered.
 *
 * Wired by the sso module to run on `POST /sign-out` (see module.ts); "sign out everywhere"
 * should call it too, after ending the Joinedup sessions.
 *
 * @example await signOutOfRelyingParties(db, user.id);
 */
export async function signOutOfRelyingParties(
  db: Kysely<Database>,
  userId: string,
): Promise<number> {
  const registered = holders.get(db);
  const sessions = await db
    .selectFrom('oidc_payloads')
    .select(['id', 'payload'])
    .where('type', '=', 'Session')
    .where(sql<string>`payload->>'accountId'`, '=', userId)
    .execute();
  if (sessions.length === 0) return 0;
  let delivered = 0;
  const provider = registered ? (await registered.holder.get()).provider : null;
  for (const session of sessions) {
    const authorizations = (session.payload.authorizations ?? {}) as Record<
      string,
      { sid?: string; grantId?: string }
    >;
    for (const [clientId, { sid, grantId }] of Object.entries(authorizations)) {
      if (grantId) await db.deleteFrom('oidc_payloads').where('grant_id', '=', grantId).execute();
      const client = provider ? await provider.Client.find(clientId) : undefined;
      if (!client?.backchannelLogoutUri || !sid) continue;
      try {
        // oidc-provider's own method (untyped in @types/oidc-provider): pairwise sub, sid, signed.
        const send = client as unknown as {
          backchannelLogout(sub: string, sid: string): Promise<void>;
        };
        await send.backchannelLogout(userId, sid);
        delivered += 1;
      } catch (err) {
        registered?.logger.warn({ err, clientId }, 'back-channel logout not delivered');
      }
    }
    await db
      .deleteFrom('oidc_payloads')
      .where('type', '=', 'Session')
      .where('id', '=', session.id)
      .execute();
  }
  return delivered;
}
