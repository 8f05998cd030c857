import { sql, type Kysely } from 'kysely';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Database } from '../../../platform/db/database.js';
import { SIGN_IN_SCOPES } from '../commands/relying-parties.js';

/**
 * oidc-provider's storage in the database (`oidc_payloads`), so that any node can serve any
 * step of a sign-in and a client assertion's `jti` is refused on every node once seen
 * (the `ReplayDetection` model is stored here like any other). Clients come from
 * `oidc_clients`, which the admin pages and the CLI write.
 *
 * @example new Provider(issuer, { adapter: databaseAdapter(db) })
 */
export function databaseAdapter(db: Kysely<Database>): new (name: string) => Adapter {
  return class DatabaseAdapter implements Adapter {
    constructor(private readonly type: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      if (this.type === 'Client') throw new Error('clients are registered by an administrator');
      const row = {
        id,
        type: this.type,
        payload: JSON.stringify(payload),
        grant_id: payload.grantId ?? null,
        user_code: payload.userCode ?? null,
        uid: payload.uid ?? null,
        expires_at: expiresIn ? new Date(Date.now() + expiresIn * 1000) : null,
      };
      await db
        .insertInto('oidc_payloads')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['type', 'id']).doUpdateSet({
            payload: row.payload,
            grant_id: row.grant_id,
            user_code: row.user_code,
            uid: row.uid,
            expires_at: row.expires_at,
          }),
        )
        .execute();
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.type === 'Client') return findClient(db, id);
      return this.findBy('id', id);
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return this.findBy('uid', uid);
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return this.findBy('user_code', userCode);
    }

    async consume(id: string): Promise<void> {
      await db
        .updateTable('oidc_payloads')
        .set({ consumed_at: sql<Date>`now()` })
        .where('type', '=', this.type)
        .where('id', '=', id)
        .execute();
    }

    async destroy(id: string): Promise<void> {
      await db
        .deleteFrom('oidc_payloads')
        .where('type', '=', this.type)
        .where('id', '=', id)
        .execute();
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await db.deleteFrom('oidc_payloads').where('grant_id', '=', grantId).execute();
    }

    private async findBy(
      column: 'id' | 'uid' | 'user_code',
      value: string,
    ): Promise<AdapterPayload | undefined> {
      const row = await db
        .selectFrom('oidc_payloads')
        .select(['payload', 'consumed_at'])
        .where('type', '=', this.type)
        .where(column, '=', value)
        .where((eb) =>
          eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', sql<Date>`now()`)]),
        )
        .executeTakeFirst();
      if (!row) return undefined;
      return { ...(row.payload as AdapterPayload), ...(row.consumed_at ? { consumed: true } : {}) };
    }
  };
}

async function findClient(db: Kysely<Database>, id: string): Promise<AdapterPayload | undefined> {
  const row = await db
    .selectFrom('oidc_clients')
    .select(['client_id', 'metadata'])
    .where('client_id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  // Relying parties registered before scopes were recorded may sign people in, nothing more.
  const scope =
    typeof row.metadata.scope === 'string' ? row.metadata.scope : SIGN_IN_SCOPES.join(' ');
  return { ...row.metadata, scope, client_id: row.client_id } as AdapterPayload;
}

/** Deletes what oidc-provider stored that has expired (run now and then; nothing reads it). */
export async function purgeExpiredPayloads(db: Kysely<Database>): Promise<number> {
  const result = await db
    .deleteFrom('oidc_payloads')
    .where('expires_at', '<', sql<Date>`now()`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
