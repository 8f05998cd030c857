import type { Db } from '../../../platform/db/database.js';
import type { KeyType, NotifyServiceRow, Postage } from '../db/tables.js';

/** The organisation's Notify service if it has one yet (reading never creates it). */
export async function findService(
  db: Db,
  organisationId: string,
): Promise<NotifyServiceRow | undefined> {
  return db
    .selectFrom('notify_services')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
}

/** An API key as the admin pages list it: never its secret. */
export interface ApiKeySummary {
  id: string;
  name: string;
  keyType: KeyType;
  createdAt: Date;
  createdBy: string | null;
  revokedAt: Date | null;
}

/** The service's API keys, live ones first, newest first within each. */
export async function listApiKeys(db: Db, serviceId: string): Promise<ApiKeySummary[]> {
  const rows = await db
    .selectFrom('notify_api_keys as k')
    .leftJoin('users as u', 'u.id', 'k.created_by')
    .select(['k.id', 'k.name', 'k.key_type', 'k.created_at', 'k.revoked_at', 'u.display_name'])
    .where('k.service_id', '=', serviceId)
    .orderBy((eb) => eb.case().when('k.revoked_at', 'is', null).then(0).else(1).end())
    .orderBy('k.created_at', 'desc')
    .orderBy('k.id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    keyType: row.key_type,
    createdAt: row.created_at,
    createdBy: row.display_name,
    revokedAt: row.revoked_at,
  }));
}

/** One of the service's keys, or undefined. */
export async function findApiKey(
  db: Db,
  serviceId: string,
  keyId: string,
): Promise<ApiKeySummary | undefined> {
  return (await listApiKeys(db, serviceId)).find((key) => key.id === keyId);
}

/** One saved version of a template, for the history and the old-version pages. */
export interface TemplateVersionSummary {
  version: number;
  name: string;
  subject: string | null;
  body: string;
  postage: Postage | null;
  createdAt: Date;
  createdBy: string | null;
}

/** Every version of one of the service's templates, newest first (empty when it is not the service's). */
export async function listTemplateVersions(
  db: Db,
  serviceId: string,
  templateId: string,
): Promise<TemplateVersionSummary[]> {
  const rows = await db
    .selectFrom('notify_template_versions as v')
    .innerJoin('notify_templates as t', 't.id', 'v.template_id')
    .leftJoin('users as u', 'u.id', 'v.created_by')
    .select([
      'v.version',
      'v.name',
      'v.subject',
      'v.body',
      'v.postage',
      'v.created_at',
      'u.display_name',
    ])
    .where('t.id', '=', templateId)
    .where('t.service_id', '=', serviceId)
    .where('t.hidden', '=', false)
    .orderBy('v.version', 'desc')
    .execute();
  return rows.map((row) => ({
    version: row.version,
    name: row.name,
    subject: row.subject,
    body: row.body,
    postage: row.postage,
    createdAt: row.created_at,
    createdBy: row.display_name,
  }));
}
