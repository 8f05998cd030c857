import type { Actor } from '../../../platform/audit/audit.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import { NOTIFICATION_TYPES, POSTAGE, type NotificationType, type Postage } from '../db/tables.js';
import { ensureService } from './services.js';

export interface TemplateInput {
  type: NotificationType;
  name: string;
  subject?: string | null;
  body: string;
  postage?: Postage | null;
  /** A Welsh version: with a Welsh body, messages carry both languages, Welsh first (templates/bilingual.ts). */
  welshSubject?: string | null;
  welshBody?: string | null;
}

type Outcome<T> = ({ ok: true } & T) | { ok: false; errors: { field: string; message: string }[] };

function check(input: TemplateInput): { field: string; message: string }[] {
  const errors: { field: string; message: string }[] = [];
  if (!(NOTIFICATION_TYPES as readonly string[]).includes(input.type))
    errors.push({ field: 'type', message: 'Choose e-mail, text message or letter' });
  if (!input.name.trim()) errors.push({ field: 'name', message: 'Enter a template name' });
  if (input.name.length > 255)
    errors.push({ field: 'name', message: 'Template name must be 255 characters or fewer' });
  if (!input.body.trim()) errors.push({ field: 'body', message: 'Enter the message' });
  if (input.type !== 'sms' && !input.subject?.trim())
    errors.push({
      field: 'subject',
      message: input.type === 'email' ? 'Enter a subject line' : 'Enter a heading',
    });
  if (input.welshBody?.trim() && input.type !== 'sms' && !input.welshSubject?.trim())
    errors.push({
      field: 'welshSubject',
      message: input.type === 'email' ? 'Enter a Welsh subject line' : 'Enter a Welsh heading',
    });
  if (!input.welshBody?.trim() && input.welshSubject?.trim())
    errors.push({ field: 'welshBody', message: 'Enter the Welsh message' });
  if (input.postage && !(POSTAGE as readonly string[]).includes(input.postage))
    errors.push({ field: 'postage', message: `Postage must be one of ${POSTAGE.join(', ')}` });
  return errors;
}

/** The Welsh columns: both null for an English-only template; no subject for a text message. */
function welshValues(
  type: NotificationType,
  input: Pick<TemplateInput, 'welshSubject' | 'welshBody'>,
): { welsh_subject: string | null; welsh_body: string | null } {
  if (!input.welshBody?.trim()) return { welsh_subject: null, welsh_body: null };
  return {
    welsh_subject: type === 'sms' ? null : input.welshSubject!.trim(),
    welsh_body: input.welshBody,
  };
}

/**
 * A new template (version 1) for the organisation's Notify service.
 *
 * @example await createTemplate(trx, organisationId, { type: 'email', name: 'Reminder', subject: 'Hello ((name))', body: '…' }, actor);
 */
export async function createTemplate(
  db: Db,
  organisationId: string,
  input: TemplateInput,
  actor: Actor,
): Promise<Outcome<{ id: string }>> {
  const errors = check(input);
  if (errors.length) return { ok: false, errors };
  const service = await ensureService(db, organisationId);
  const values = {
    name: input.name.trim(),
    subject: input.type === 'sms' ? null : input.subject!.trim(),
    body: input.body,
    postage: input.type === 'letter' ? (input.postage ?? 'second') : null,
    ...welshValues(input.type, input),
    created_by: actor.userId,
  };
  const row = await db
    .insertInto('notify_templates')
    .values({ service_id: service.id, type: input.type, ...values })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('notify_template_versions')
    .values({ template_id: row.id, version: 1, ...values })
    .execute();
  await recordAudit(db, actor, {
    action: 'notify.template.created',
    resourceType: 'notify_template',
    resourceId: row.id,
    subjectUserId: null,
    details: { serviceId: service.id, type: input.type, name: values.name },
  });
  return { ok: true, id: row.id };
}

/** Saves an edit as a new version; earlier versions stay readable (`/v2/template/{id}/version/{v}`). */
export async function updateTemplate(
  db: Db,
  organisationId: string,
  templateId: string,
  input: Omit<TemplateInput, 'type'>,
  actor: Actor,
): Promise<Outcome<{ version: number }>> {
  const service = await ensureService(db, organisationId);
  const template = await db
    .selectFrom('notify_templates')
    .selectAll()
    .where('id', '=', templateId)
    .where('service_id', '=', service.id)
    .where('hidden', '=', false)
    .forUpdate()
    .executeTakeFirst();
  if (!template)
    return { ok: false, errors: [{ field: 'template', message: 'Template not found' }] };
  const errors = check({ ...input, type: template.type });
  if (errors.length) return { ok: false, errors };
  const version = template.version + 1;
  const values = {
    name: input.name.trim(),
    subject: template.type === 'sms' ? null : input.subject!.trim(),
    body: input.body,
    postage: template.type === 'letter' ? (input.postage ?? template.postage ?? 'second') : null,
    ...welshValues(template.type, input),
  };
  await db
    .updateTable('notify_templates')
    .set({ ...values, version, updated_at: new Date() })
    .where('id', '=', templateId)
    .execute();
  await db
    .insertInto('notify_template_versions')
    .values({ template_id: templateId, version, ...values, created_by: actor.userId })
    .execute();
  await recordAudit(db, actor, {
    action: 'notify.template.updated',
    resourceType: 'notify_template',
    resourceId: templateId,
    subjectUserId: null,
    details: { serviceId: service.id, version },
  });
  return { ok: true, version };
}

/** The service's hidden template that precompiled PDF letters are recorded against, as in Notify. */
export async function precompiledLetterTemplate(
  db: Db,
  serviceId: string,
): Promise<{ id: string; version: number }> {
  const existing = await db
    .selectFrom('notify_templates')
    .select(['id', 'version'])
    .where('service_id', '=', serviceId)
    .where('hidden', '=', true)
    .where('name', '=', 'Pre-compiled PDF') // not a platform message's hidden template
    .executeTakeFirst();
  if (existing) return existing;
  const values = {
    name: 'Pre-compiled PDF',
    subject: 'Pre-compiled PDF',
    body: '',
    postage: 'second' as const,
    created_by: null,
  };
  const row = await db
    .insertInto('notify_templates')
    .values({ service_id: serviceId, type: 'letter', hidden: true, ...values })
    .returning(['id', 'version'])
    .executeTakeFirstOrThrow();
  await db
    .insertInto('notify_template_versions')
    .values({ template_id: row.id, version: 1, ...values })
    .execute();
  return row;
}
