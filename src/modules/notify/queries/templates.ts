import type { Db } from '../../../platform/db/database.js';
import type { NotificationType, Postage } from '../db/tables.js';

/** Notify's date format: ISO 8601 in UTC with microseconds, `2024-05-17T15:58:38.342000Z`. */
export function notifyDate(date: Date | null): string | null {
  return date ? date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z') : null;
}

/** A template version as `GET /v2/template/{id}` shows it. */
export interface TemplateResponse {
  id: string;
  name: string;
  type: NotificationType;
  created_at: string;
  updated_at: string | null;
  created_by: string;
  version: number;
  body: string;
  subject: string | null;
  letter_contact_block: string | null;
  postage: Postage | null;
  /** Joinedup's addition: the Welsh version, sent before the English (null when there is none). */
  welsh_subject: string | null;
  welsh_body: string | null;
}

/** Who made a template when nobody signed in did (the command line). */
const SYSTEM_AUTHOR = 'notify-api@joinedup.invalid';

/**
 * One version of one of the service's templates (the latest without `version`), or undefined.
 * Hidden templates (the precompiled-letter one) are never shown.
 */
export async function findTemplate(
  db: Db,
  serviceId: string,
  templateId: string,
  version?: number,
): Promise<(TemplateResponse & { archived: boolean }) | undefined> {
  const row = await db
    .selectFrom('notify_templates as t')
    .innerJoin('notify_template_versions as v', (join) =>
      join
        .onRef('v.template_id', '=', 't.id')
        .on((eb) =>
          version === undefined
            ? eb('v.version', '=', eb.ref('t.version'))
            : eb('v.version', '=', version),
        ),
    )
    .leftJoin('users as u', 'u.id', 'v.created_by')
    .select([
      't.id',
      't.type',
      't.created_at',
      't.archived',
      'v.version',
      'v.name',
      'v.subject',
      'v.body',
      'v.postage',
      'v.welsh_subject',
      'v.welsh_body',
      'v.created_at as version_created_at',
      'u.email as author',
    ])
    .where('t.id', '=', templateId)
    .where('t.service_id', '=', serviceId)
    .where('t.hidden', '=', false)
    .executeTakeFirst();
  if (!row) return undefined;
  return { ...templateResponse(row), archived: row.archived };
}

/** The service's current templates, optionally of one type, newest first (`GET /v2/templates`). */
export async function listTemplates(
  db: Db,
  serviceId: string,
  type?: NotificationType,
): Promise<TemplateResponse[]> {
  let query = db
    .selectFrom('notify_templates as t')
    .innerJoin('notify_template_versions as v', (join) =>
      join.onRef('v.template_id', '=', 't.id').onRef('v.version', '=', 't.version'),
    )
    .leftJoin('users as u', 'u.id', 'v.created_by')
    .select([
      't.id',
      't.type',
      't.created_at',
      'v.version',
      'v.name',
      'v.subject',
      'v.body',
      'v.postage',
      'v.welsh_subject',
      'v.welsh_body',
      'v.created_at as version_created_at',
      'u.email as author',
    ])
    .where('t.service_id', '=', serviceId)
    .where('t.hidden', '=', false)
    .where('t.archived', '=', false);
  if (type) query = query.where('t.type', '=', type);
  const rows = await query.orderBy('t.created_at', 'desc').orderBy('t.id').execute();
  return rows.map(templateResponse);
}

/** A template's current version in the shape Notify's API answers with. */
function templateResponse(row: {
  id: string;
  name: string;
  type: NotificationType;
  created_at: Date;
  version: number;
  version_created_at: Date;
  author: string | null;
  body: string;
  subject: string | null;
  postage: TemplateResponse['postage'];
  welsh_subject: string | null;
  welsh_body: string | null;
}): TemplateResponse {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    created_at: notifyDate(row.created_at)!,
    updated_at: row.version > 1 ? notifyDate(row.version_created_at) : null,
    created_by: row.author ?? SYSTEM_AUTHOR,
    version: row.version,
    body: row.body,
    subject: row.subject,
    letter_contact_block: null,
    postage: row.postage,
    welsh_subject: row.welsh_subject,
    welsh_body: row.welsh_body,
  };
}
