import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import type { Config } from '../../../platform/config/config.js';
import type { Database } from '../../../platform/db/database.js';
import {
  countSealed,
  resealIfStale,
  type SealedCount,
  type SecretSource,
} from '../../../platform/keyring/keyring.js';
import {
  findOrganisationBySlugOrGssCode,
  unknownOrganisationMessage,
} from '../../organisations/index.js';
import { notifySealingKey } from '../crypto.js';
import { NOTIFICATION_TYPES, type NotificationType } from '../db/tables.js';
import { createApiKey, keyTypeFromName } from './services.js';
import { createTemplate } from './templates.js';

/** What a command printed and its exit code, so the CLI and the tests run the same code. */
export interface NotifyCommandResult {
  code: number;
  out: string[];
  err: string[];
}

const CLI_ACTOR = { userId: null, organisationId: null, role: 'cli' } as const;

const noOrganisation = (org: string): NotifyCommandResult => ({
  code: 1,
  out: [],
  err: [unknownOrganisationMessage(org)],
});

/**
 * `joinedup notify:key:create --org <slug or GSS code> --type live|team|test [--name N]`: issues
 * a Notify API key for the organisation's service and prints it, this once.
 */
export async function notifyKeyCreate(
  db: Kysely<Database>,
  config: Config,
  args: string[],
): Promise<NotifyCommandResult> {
  const { values } = parseArgs({
    args,
    options: { org: { type: 'string' }, type: { type: 'string' }, name: { type: 'string' } },
  });
  if (!values.org || !values.type)
    return {
      code: 64,
      out: [],
      err: ['notify:key:create needs --org <slug or GSS code> and --type live|team|test'],
    };
  const keyType = keyTypeFromName(values.type);
  if (!keyType) return { code: 64, out: [], err: ['--type must be live, team or test'] };
  const organisation = await findOrganisationBySlugOrGssCode(db, values.org);
  if (!organisation) return noOrganisation(values.org);
  const name = values.name ?? `${values.type} key`;
  const created = await db.transaction().execute((trx) =>
    createApiKey(
      trx,
      notifySealingKey(config),
      { organisationId: organisation.id, name, keyType },
      {
        ...CLI_ACTOR,
        organisationId: organisation.id,
      },
    ),
  );
  return {
    code: 0,
    out: [created.key],
    err: [
      `${values.type} key "${name}" for ${organisation.name} (service ${created.serviceId}). It is shown only now: keep it safe.`,
    ],
  };
}

/**
 * `joinedup notify:template:create --org <code> --type email|sms|letter --name <name> [--subject <text>] --body <text>
 * [--welsh-subject <text>] [--welsh-body <text>]`: adds a template to the organisation's service and prints its id.
 * With a Welsh body, messages from it carry both languages, Welsh first.
 */
export async function notifyTemplateCreate(
  db: Kysely<Database>,
  args: string[],
): Promise<NotifyCommandResult> {
  const { values } = parseArgs({
    args,
    options: {
      org: { type: 'string' },
      type: { type: 'string' },
      name: { type: 'string' },
      subject: { type: 'string' },
      body: { type: 'string' },
      'welsh-subject': { type: 'string' },
      'welsh-body': { type: 'string' },
    },
  });
  if (!values.org || !values.type || !values.name || values.body === undefined)
    return {
      code: 64,
      out: [],
      err: [
        'notify:template:create needs --org, --type email|sms|letter, --name and --body (and --subject for e-mail and letters)',
      ],
    };
  if (!(NOTIFICATION_TYPES as readonly string[]).includes(values.type))
    return { code: 64, out: [], err: ['--type must be email, sms or letter'] };
  const organisation = await findOrganisationBySlugOrGssCode(db, values.org);
  if (!organisation) return noOrganisation(values.org);
  const outcome = await db.transaction().execute((trx) =>
    createTemplate(
      trx,
      organisation.id,
      {
        type: values.type as NotificationType,
        name: values.name!,
        subject: values.subject ?? null,
        body: values.body!,
        welshSubject: values['welsh-subject'] ?? null,
        welshBody: values['welsh-body'] ?? null,
      },
      { ...CLI_ACTOR, organisationId: organisation.id },
    ),
  );
  if (!outcome.ok)
    return { code: 1, out: [], err: outcome.errors.map((e) => `${e.field}: ${e.message}`) };
  return { code: 0, out: [outcome.id], err: [] };
}

/**
 * The sealed API-key secrets and callback tokens counted by the session secret that opens
 * them, for `joinedup secrets:rotate-check`.
 */
export async function notifySealedCounts(
  db: Kysely<Database>,
  secrets: SecretSource,
): Promise<SealedCount> {
  const [keys, services] = await Promise.all([
    db.selectFrom('notify_api_keys').select('secret_sealed').execute(),
    db
      .selectFrom('notify_services')
      .select('callback_token_sealed')
      .where('callback_token_sealed', 'is not', null)
      .execute(),
  ]);
  return countSealed(notifySealingKey(secrets), [
    ...keys.map((key) => key.secret_sealed),
    ...services.flatMap((service) => service.callback_token_sealed ?? []),
  ]);
}

/**
 * Seals again under the current session secret every API-key secret and callback token only a
 * previous one opens (`joinedup secrets:rotate-check --reseal`). Returns how many.
 */
export async function resealNotifySecrets(
  db: Kysely<Database>,
  secrets: SecretSource,
): Promise<number> {
  const key = notifySealingKey(secrets);
  let resealed = 0;
  for (const row of await db
    .selectFrom('notify_api_keys')
    .select(['id', 'secret_sealed'])
    .execute()) {
    const now = resealIfStale(key, row.secret_sealed);
    if (!now) continue;
    const result = await db
      .updateTable('notify_api_keys')
      .set({ secret_sealed: now })
      .where('id', '=', row.id)
      .where('secret_sealed', '=', row.secret_sealed)
      .executeTakeFirst();
    resealed += Number(result.numUpdatedRows);
  }
  const services = await db
    .selectFrom('notify_services')
    .select(['id', 'callback_token_sealed'])
    .where('callback_token_sealed', 'is not', null)
    .execute();
  for (const row of services) {
    const now = row.callback_token_sealed
      ? resealIfStale(key, row.callback_token_sealed)
      : undefined;
    if (!now) continue;
    const result = await db
      .updateTable('notify_services')
      .set({ callback_token_sealed: now })
      .where('id', '=', row.id)
      .where('callback_token_sealed', '=', row.callback_token_sealed)
      .executeTakeFirst();
    resealed += Number(result.numUpdatedRows);
  }
  return resealed;
}
