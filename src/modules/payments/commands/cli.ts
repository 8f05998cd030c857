import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/database.js';
import {
  findOrganisationBySlugOrGssCode,
  unknownOrganisationMessage,
} from '../../organisations/index.js';
import type { Config } from '../../../platform/config/config.js';
import { createPayKey } from '../keys.js';
import { dailyReconciliation, isIsoDate, reconciliationCsv } from '../queries/reconciliation.js';
import { createWebhook } from './webhooks.js';

/** What a command printed and its exit code, so the CLI and the tests run the same code. */
export interface PayCommandResult {
  code: number;
  out: string[];
  err: string[];
}

/**
 * `joinedup pay:key:create --org <GSS code or slug> [--name N]`: issues a payments API key for
 * the body and prints it, this once.
 */
export async function payKeyCreate(
  db: Kysely<Database>,
  args: string[],
): Promise<PayCommandResult> {
  const { values } = parseArgs({
    args,
    options: { org: { type: 'string' }, name: { type: 'string' } },
  });
  if (!values.org)
    return { code: 64, out: [], err: ['pay:key:create needs --org <GSS code or slug>'] };
  const organisation = await findOrganisationBySlugOrGssCode(db, values.org);
  if (!organisation) return { code: 1, out: [], err: [unknownOrganisationMessage(values.org)] };
  const name = values.name ?? 'payments key';
  if (name.length > 100)
    return { code: 64, out: [], err: ['--name must be 100 characters or fewer'] };
  const created = await db
    .transaction()
    .execute((trx) =>
      createPayKey(
        trx,
        { organisationId: organisation.id, name },
        { userId: null, organisationId: organisation.id, role: 'cli' },
      ),
    );
  return {
    code: 0,
    out: [created.key],
    err: [`Payments key "${name}" for ${organisation.name}. It is shown only now: keep it safe.`],
  };
}

/**
 * `joinedup pay:webhook:create --org <GSS code or slug> --url <https URL>`: sends the body's
 * payment events to the URL, signed with Pay-Signature; prints the signing secret, this once.
 */
export async function payWebhookCreate(
  db: Kysely<Database>,
  config: Config,
  args: string[],
): Promise<PayCommandResult> {
  const { values } = parseArgs({
    args,
    options: { org: { type: 'string' }, url: { type: 'string' } },
  });
  if (!values.org || !values.url)
    return {
      code: 64,
      out: [],
      err: ['pay:webhook:create needs --org <GSS code or slug> and --url <URL>'],
    };
  let url: URL;
  try {
    url = new URL(values.url);
  } catch {
    return { code: 64, out: [], err: ['--url must be a full https address'] };
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && config.hubAllowPrivateWebhooks))
    return { code: 64, out: [], err: ['--url must be a full https address'] };
  const organisation = await findOrganisationBySlugOrGssCode(db, values.org);
  if (!organisation) return { code: 1, out: [], err: [unknownOrganisationMessage(values.org)] };
  const created = await db
    .transaction()
    .execute((trx) =>
      createWebhook(
        trx,
        config,
        { organisationId: organisation.id, callbackUrl: url.toString() },
        { userId: null, organisationId: organisation.id, role: 'cli' },
      ),
    );
  return {
    code: 0,
    out: [created.signingSecret],
    err: [
      `Payment events for ${organisation.name} will be sent to ${url.toString()}, signed with Pay-Signature. The signing secret is shown only now: keep it safe.`,
    ],
  };
}

/**
 * `joinedup pay:reconcile --org <GSS code or slug> --date YYYY-MM-DD`: prints the body's
 * reconciliation for that UK day as CSV (what the admin page downloads).
 */
export async function payReconcile(
  db: Kysely<Database>,
  args: string[],
): Promise<PayCommandResult> {
  const { values } = parseArgs({
    args,
    options: { org: { type: 'string' }, date: { type: 'string' } },
  });
  if (!values.org || !values.date)
    return {
      code: 64,
      out: [],
      err: ['pay:reconcile needs --org <GSS code or slug> and --date YYYY-MM-DD'],
    };
  if (!isIsoDate(values.date))
    return { code: 64, out: [], err: ['--date must be a date like 2026-11-26'] };
  const organisation = await findOrganisationBySlugOrGssCode(db, values.org);
  if (!organisation) return { code: 1, out: [], err: [unknownOrganisationMessage(values.org)] };
  const csv = reconciliationCsv(await dailyReconciliation(db, organisation.id, values.date));
  return { code: 0, out: csv.trimEnd().split('\r\n'), err: [] };
}
