import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import type { Config } from '../../../platform/config/config.js';
import type { Database } from '../../../platform/db/database.js';
import {
  findOrganisationBySlugOrGssCode,
  unknownOrganisationMessage,
} from '../../organisations/index.js';
import { HUB_KEY_SCOPES, type HubKeyScope } from '../db/tables.js';
import { setDelivery, type DeliveryMode } from '../hub/delivery.js';
import { createHubKey } from '../hub/keys.js';

/** What a command printed and its exit code, so the CLI and the tests run the same code. */
export interface HubCommandResult {
  code: number;
  out: string[];
  err: string[];
}

const CLI_ACTOR = { userId: null, organisationId: null, role: 'cli' } as const;

const noOrganisation = (org: string): HubCommandResult => ({
  code: 1,
  out: [],
  err: [unknownOrganisationMessage(org)],
});

/**
 * `joinedup hub:key:create --org <slug or GSS code> --scope submit|receive|submit-any|open311 [--name N]`:
 * issues a hub API key for the body and prints it, this once.
 */
export async function hubKeyCreate(
  db: Kysely<Database>,
  args: string[],
): Promise<HubCommandResult> {
  const { values } = parseArgs({
    args,
    options: { org: { type: 'string' }, scope: { type: 'string' }, name: { type: 'string' } },
  });
  if (!values.org || !values.scope)
    return {
      code: 64,
      out: [],
      err: [
        'hub:key:create needs --org <slug or GSS code> and --scope submit|receive|submit-any|open311',
      ],
    };
  if (!(HUB_KEY_SCOPES as readonly string[]).includes(values.scope))
    return { code: 64, out: [], err: ['--scope must be submit, receive, submit-any or open311'] };
  const organisation = await findOrganisationBySlugOrGssCode(db, values.org);
  if (!organisation) return noOrganisation(values.org);
  const name = values.name ?? `${values.scope} key`;
  if (name.length > 100)
    return { code: 64, out: [], err: ['--name must be 100 characters or fewer'] };
  const created = await db
    .transaction()
    .execute((trx) =>
      createHubKey(
        trx,
        { organisationId: organisation.id, name, scope: values.scope as HubKeyScope },
        { ...CLI_ACTOR, organisationId: organisation.id },
      ),
    );
  return {
    code: 0,
    out: [created.key],
    err: [
      `${values.scope} key "${name}" for ${organisation.name}. It is shown only now: keep it safe.`,
    ],
  };
}

/**
 * `joinedup hub:delivery:set --org <slug or GSS code> --mode casework|push|pull [--url U]
 * [--alert-email E]`: how the body takes its submissions. Setting up push for the first time
 * prints the webhook signing secret, this once.
 */
export async function hubDeliverySet(
  db: Kysely<Database>,
  config: Config,
  args: string[],
): Promise<HubCommandResult> {
  const { values } = parseArgs({
    args,
    options: {
      org: { type: 'string' },
      mode: { type: 'string' },
      url: { type: 'string' },
      'alert-email': { type: 'string' },
    },
  });
  const modes: readonly string[] = ['casework', 'push', 'pull'];
  if (!values.org || !values.mode || !modes.includes(values.mode))
    return {
      code: 64,
      out: [],
      err: [
        'hub:delivery:set needs --org <slug or GSS code> and --mode casework|push|pull (push also --url and --alert-email)',
      ],
    };
  const organisation = await findOrganisationBySlugOrGssCode(db, values.org);
  if (!organisation) return noOrganisation(values.org);
  const outcome = await db.transaction().execute((trx) =>
    setDelivery(
      trx,
      config,
      organisation.id,
      {
        mode: values.mode as DeliveryMode,
        webhookUrl: values.url ?? '',
        alertEmail: values['alert-email'] ?? '',
      },
      { ...CLI_ACTOR, organisationId: organisation.id },
    ),
  );
  if (!outcome.ok)
    return { code: 1, out: [], err: outcome.errors.map((e) => `${e.field}: ${e.message}`) };
  return {
    code: 0,
    out: outcome.secret ? [outcome.secret] : [],
    err: [
      `${organisation.name} now takes its submissions by ${values.mode}.` +
        (outcome.secret ? ' The webhook signing secret is shown only now: keep it safe.' : ''),
    ],
  };
}
