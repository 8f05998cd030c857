import type { ColumnType, Generated, Selectable } from 'kysely';

/** A relying party: another body's online service that signs people in with Joinedup. */
export interface OidcClientTable {
  client_id: string;
  name: string;
  /** OpenID Connect client metadata, as oidc-provider reads it. */
  metadata: ColumnType<Record<string, unknown>, string, string>;
  created_by: string | null;
  created_at: Generated<Date>;
}

/** One stored oidc-provider artefact (session, interaction, code, token, grant, replay marker…). */
export interface OidcPayloadTable {
  id: string;
  type: string;
  payload: ColumnType<Record<string, unknown>, string, string>;
  grant_id: string | null;
  user_code: string | null;
  uid: string | null;
  expires_at: Date | null;
  consumed_at: Date | null;
}

/** A signing key (private JWK); retired keys stay published until they expire. */
export interface OidcKeyTable {
  kid: string;
  alg: 'ES256' | 'RS256';
  private_jwk: ColumnType<Record<string, unknown>, string, string>;
  created_at: Generated<Date>;
  retired_at: Date | null;
  expires_at: Date | null;
}

export interface OidcSecretTable {
  name: string;
  value: string;
  created_at: Generated<Date>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    oidc_clients: OidcClientTable;
    oidc_payloads: OidcPayloadTable;
    oidc_keys: OidcKeyTable;
    oidc_secrets: OidcSecretTable;
  }
}

export type OidcClientRow = Selectable<OidcClientTable>;
export type OidcKeyRow = Selectable<OidcKeyTable>;
