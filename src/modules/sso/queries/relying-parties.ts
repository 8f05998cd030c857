import type { Db } from '../../../platform/db/database.js';

/** A relying party as the admin list shows it. */
export interface RelyingPartySummary {
  clientId: string;
  name: string;
  redirectUris: string[];
  authMethod: string;
  backchannelLogoutUri: string | null;
  createdAt: Date;
}

/** Every registered relying party, newest first. */
export async function listRelyingParties(db: Db): Promise<RelyingPartySummary[]> {
  const rows = await db
    .selectFrom('oidc_clients')
    .select(['client_id', 'name', 'metadata', 'created_at'])
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((row) => {
    const m = row.metadata as Record<string, unknown>;
    return {
      clientId: row.client_id,
      name: row.name,
      redirectUris: (m.redirect_uris as string[] | undefined) ?? [],
      authMethod: String(m.token_endpoint_auth_method ?? ''),
      backchannelLogoutUri: (m.backchannel_logout_uri as string | undefined) ?? null,
      createdAt: row.created_at,
    };
  });
}
