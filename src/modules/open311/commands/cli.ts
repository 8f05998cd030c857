import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/database.js';
import {
  findOrganisationBySlugOrGssCode,
  unknownOrganisationMessage,
} from '../../organisations/index.js';
import { createHubKey, type HubCommandResult } from '../../submissions/index.js';

const USAGE = 'api-key:create needs --org <GSS code or slug> and --scope open311 [--name N]';

/**
 * `joinedup api-key:create --org <GSS code or slug> --scope open311 [--name N]`: issues a key
 * for reporting problems through /open311/v2 (kept in the hub's key store, so the body's admin
 * sees and revokes it at /admin/hub) and prints it, this once. Hub keys of other scopes are made
 * with `hub:key:create`.
 */
export async function apiKeyCreate(
  db: Kysely<Database>,
  args: string[],
): Promise<HubCommandResult> {
  let values: { org?: string | undefined; scope?: string | undefined; name?: string | undefined };
  try {
    ({ values } = parseArgs({
      args,
      options: { org: { type: 'string' }, scope: { type: 'string' }, name: { type: 'string' } },
    }));
  } catch (error) {
    return { code: 64, out: [], err: [(error as Error).message, USAGE] };
  }
  if (!values.org || !values.scope) return { code: 64, out: [], err: [USAGE] };
  if (values.scope !== 'open311')
    return {
      code: 64,
      out: [],
      err: ['--scope must be open311 (for submission hub keys, use hub:key:create)'],
    };
  const organisation = await findOrganisationBySlugOrGssCode(db, values.org);
  if (!organisation) return { code: 1, out: [], err: [unknownOrganisationMessage(values.org)] };
  const name = values.name ?? 'Open311 reports';
  if (name.length > 100)
    return { code: 64, out: [], err: ['--name must be 100 characters or fewer'] };
  const created = await db
    .transaction()
    .execute((trx) =>
      createHubKey(
        trx,
        { organisationId: organisation.id, name, scope: 'open311' },
        { userId: null, organisationId: organisation.id, role: 'cli' },
      ),
    );
  return {
    code: 0,
    out: [created.key],
    err: [
      `Open311 key "${name}" for ${organisation.name}: send it as api_key to POST /open311/v2/requests.json. It is shown only now: keep it safe.`,
    ],
  };
}
