import { findUserById, findUserIdByEmail } from '../../src/modules/identity/index.js';
import type { Db } from '../../src/platform/db/database.js';
import type { CurrentUser } from '../../src/platform/http/types.js';

/**
 * The account with this e-mail address as the service layer sees it signed in (a password
 * only, identity not proved), for tests that call commands and queries directly.
 */
export async function currentUserByEmail(db: Db, email: string): Promise<CurrentUser> {
  const id = await findUserIdByEmail(db, email);
  const row = id ? await findUserById(db, id) : undefined;
  if (!row) throw new Error(`No account ${email}`);
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    kind: row.kind,
    organisationId: row.organisation_id,
    organisationName: null,
    roles: row.roles,
    credentialLevel: 'Cl',
    identityLevel: 'P0',
  };
}
