import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Config } from '../../../platform/config/config.js';
import type { Database, Db } from '../../../platform/db/database.js';
import { enqueue } from '../../../platform/outbox/outbox.js';
import { staffContactsOf } from '../../identity/index.js';
import type { ApiCaller } from '../auth.js';
import { isUuid } from '../../../platform/validation/uuid.js';
import {
  POSTAGE,
  type NotificationStatus,
  type NotificationType,
  type Postage,
} from '../db/tables.js';
import { badRequest, NotifyError, validationError } from '../errors.js';
import { findTemplate } from '../queries/templates.js';
import { consumeRateLimit } from '../../../platform/http/rate-limit-store.js';
import { normaliseEmailAddress, normaliseUkMobile, postalAddress } from '../recipients.js';
import { bilingualContent, missingBilingual } from '../templates/bilingual.js';
import { SMS_CHAR_LIMIT, type Personalisation } from '../templates/render.js';
import { precompiledLetterTemplate } from './templates.js';

/** The outbox topic that delivers one notification; payload `{ notificationId }`. */
export const DELIVER_TOPIC = 'notify.deliver';

const KEY_TYPE_NAMES = { normal: 'LIVE', team: 'TEAM', test: 'TEST' } as const;

function typeName(value: unknown): string {
  return value === null ? 'None' : typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}

/** Notify's JSON-schema messages for a send request's fields. */
export function validateRequest(type: NotificationType, body: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const required = (field: string) => {
    if (!(field in body)) problems.push(`${field} is a required property`);
    else if (typeof body[field] !== 'string')
      problems.push(`${field} ${typeName(body[field])} is not of type string`);
  };
  required('template_id');
  if (typeof body.template_id === 'string' && !isUuid(body.template_id))
    problems.push('template_id is not a valid UUID');
  if (type === 'email') {
    required('email_address');
    if (typeof body.email_address === 'string' && !normaliseEmailAddress(body.email_address))
      problems.push('email_address Not a valid email address');
  }
  if (type === 'sms') {
    required('phone_number');
    if (typeof body.phone_number === 'string') {
      const phone = normaliseUkMobile(body.phone_number);
      if (!phone.ok) problems.push(`phone_number ${phone.reason}`);
    }
  }
  const personalisation = body.personalisation;
  if (type === 'letter' && personalisation === undefined)
    problems.push('personalisation is a required property');
  if (
    personalisation !== undefined &&
    (personalisation === null ||
      typeof personalisation !== 'object' ||
      Array.isArray(personalisation))
  )
    problems.push(`personalisation ${typeName(personalisation)} is not of type object`);
  else if (type === 'letter' && personalisation) {
    for (const line of ['address_line_1', 'address_line_2'])
      if (!(line in (personalisation as object)))
        problems.push(`personalisation ${line} is a required property`);
  }
  if (body.reference !== undefined && body.reference !== null) {
    if (typeof body.reference !== 'string')
      problems.push(`reference ${typeName(body.reference)} is not of type string`);
    else if (body.reference.length > 1000) problems.push('reference is too long');
  }
  return problems;
}

/** What a send returns, in Notify's shape (201). */
export type SendResponse = Record<string, unknown>;

export interface SendContext {
  db: Kysely<Database>;
  config: Config;
  baseUrl: string;
  wakeOutbox(): void;
}

/** The address part of MAIL_FROM (`Joinedup <no-reply@…>` → `no-reply@…`). */
function fromAddress(config: Config): string {
  return /<([^>]+)>/.exec(config.MAIL_FROM)?.[1] ?? config.MAIL_FROM;
}

async function checkRequestRateLimit(db: Db, caller: ApiCaller): Promise<void> {
  const { service, key } = caller;
  const limit = await consumeRateLimit(
    db,
    `notify:rate:${service.id}:${key.key_type}`,
    service.rate_limit,
    60_000,
  );
  if (!limit.allowed)
    throw new NotifyError(
      429,
      'RateLimitError',
      `Exceeded rate limit for key type ${KEY_TYPE_NAMES[key.key_type]} of ${service.rate_limit} requests per 60 seconds`,
    );
}

/** Counts a live (or team) message against the service's daily limit, in the sending transaction. */
async function checkDailyLimit(trx: Db, caller: ApiCaller, now = new Date()): Promise<void> {
  if (caller.key.key_type === 'test') return;
  const day = now.toISOString().slice(0, 10);
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  const limit = await consumeRateLimit(
    trx,
    `notify:daily:${caller.service.id}:${day}`,
    caller.service.message_limit,
    midnight - now.getTime(),
  );
  if (!limit.allowed)
    throw new NotifyError(
      429,
      'TooManyRequestsError',
      `Exceeded send limits (${caller.service.message_limit}) for today`,
    );
}

/** Whether a team key may send to this recipient: only the organisation's own staff. */
async function isTeamMember(
  db: Db,
  organisationId: string,
  type: 'email' | 'sms',
  recipient: string,
): Promise<boolean> {
  const staff = await staffContactsOf(db, organisationId);
  if (type === 'email') return staff.some((user) => user.email.toLowerCase() === recipient);
  return staff.some((user) => {
    const phone = user.phone ? normaliseUkMobile(user.phone) : null;
    return phone?.ok === true && phone.number === recipient;
  });
}

async function insertAndQueue(
  context: SendContext,
  caller: ApiCaller,
  values: {
    id: string;
    type: NotificationType;
    templateId: string;
    templateVersion: number;
    recipient: string;
    addressLines: string[] | null;
    reference: string | null;
    subject: string | null;
    body: string;
    postage: Postage | null;
    pdf: Buffer | null;
    status: NotificationStatus;
  },
): Promise<void> {
  await context.db.transaction().execute(async (trx) => {
    await checkDailyLimit(trx, caller);
    await trx
      .insertInto('notify_notifications')
      .values({
        id: values.id,
        service_id: caller.service.id,
        api_key_id: caller.key.id,
        key_type: caller.key.key_type,
        type: values.type,
        template_id: values.templateId,
        template_version: values.templateVersion,
        recipient: values.recipient,
        address_lines: values.addressLines ? JSON.stringify(values.addressLines) : null,
        reference: values.reference,
        subject: values.subject,
        body: values.body,
        postage: values.postage,
        precompiled_pdf: values.pdf,
        status: values.status,
      })
      .execute();
    await enqueue(trx, {
      topic: DELIVER_TOPIC,
      payload: { notificationId: values.id },
      idempotencyKey: `${DELIVER_TOPIC}:${values.id}`,
    });
  });
  context.wakeOutbox();
}

function notificationLinks(
  context: SendContext,
  caller: ApiCaller,
  id: string,
  templateId: string,
  version: number,
) {
  return {
    id,
    uri: `${context.baseUrl}/v2/notifications/${id}`,
    template: {
      id: templateId,
      version,
      uri: `${context.baseUrl}/services/${caller.service.id}/templates/${templateId}`,
    },
    scheduled_for: null,
  };
}

/**
 * `POST /v2/notifications/{email|sms|letter}`: checks the request as Notify does (schema, rate
 * limit, template, personalisation, recipient, daily limit), then stores the notification and
 * its delivery message in one transaction, so an accepted notification is never lost.
 */
export async function sendNotification(
  context: SendContext,
  caller: ApiCaller,
  type: NotificationType,
  body: Record<string, unknown>,
): Promise<SendResponse> {
  if (type === 'letter' && 'content' in body) return sendPrecompiledLetter(context, caller, body);
  const problems = validateRequest(type, body);
  if (problems.length) throw validationError(problems);
  await checkRequestRateLimit(context.db, caller);

  const template = await findTemplate(context.db, caller.service.id, body.template_id as string);
  if (!template) throw badRequest('Template not found');
  if (template.type !== type)
    throw badRequest(`${template.type} template is not suitable for ${type} notification`);
  if (template.archived) throw badRequest('Template has been deleted');

  const personalisation = (body.personalisation ?? {}) as Personalisation;
  const missing = missingBilingual(template, personalisation);
  if (missing.length) throw badRequest(`Missing personalisation: ${missing.join(', ')}`);
  // With a Welsh version, both languages, Welsh first (templates/bilingual.ts).
  const { body: content, subject } = bilingualContent(template, personalisation);
  if (!content.trim()) throw badRequest('Your message is empty.');
  if (type === 'sms' && [...content].length > SMS_CHAR_LIMIT)
    throw badRequest(
      `Text messages cannot be longer than ${SMS_CHAR_LIMIT} characters. Your message is ${[...content].length} characters`,
    );
  const reference = typeof body.reference === 'string' ? body.reference : null;
  const id = randomUUID();

  if (type === 'letter') {
    if (caller.key.key_type === 'team')
      throw badRequest('Cannot send letters with a team api key', 403);
    const address = postalAddress(personalisation);
    if (!address.ok) throw validationError([address.reason]);
    await insertAndQueue(context, caller, {
      id,
      type,
      templateId: template.id,
      templateVersion: template.version,
      recipient: address.lines[0]!,
      addressLines: address.lines,
      reference,
      subject,
      body: content,
      postage: template.postage ?? 'second',
      pdf: null,
      status: 'accepted',
    });
    return {
      ...notificationLinks(context, caller, id, template.id, template.version),
      reference,
      content: { body: content, subject },
    };
  }

  const recipient =
    type === 'email'
      ? normaliseEmailAddress(body.email_address as string)!
      : (normaliseUkMobile(body.phone_number as string) as { number: string }).number;
  if (
    caller.key.key_type === 'team' &&
    !(await isTeamMember(context.db, caller.service.organisation_id, type, recipient))
  )
    throw badRequest('Can’t send to this recipient using a team-only API key');
  await insertAndQueue(context, caller, {
    id,
    type,
    templateId: template.id,
    templateVersion: template.version,
    recipient: type === 'email' ? recipient : (body.phone_number as string),
    addressLines: null,
    reference,
    subject,
    body: content,
    postage: null,
    pdf: null,
    status: 'created',
  });
  const links = notificationLinks(context, caller, id, template.id, template.version);
  if (type === 'email')
    return {
      ...links,
      reference,
      content: { body: content, subject, from_email: fromAddress(context.config) },
    };
  return {
    ...links,
    reference,
    content: { body: content, from_number: context.config.BRAND_NAME },
  };
}

/** The largest precompiled PDF Notify accepts. */
export const MAX_PDF_BYTES = 5 * 1024 * 1024;

async function sendPrecompiledLetter(
  context: SendContext,
  caller: ApiCaller,
  body: Record<string, unknown>,
): Promise<SendResponse> {
  const problems: string[] = [];
  if (!('reference' in body)) problems.push('reference is a required property');
  else if (typeof body.reference !== 'string')
    problems.push(`reference ${typeName(body.reference)} is not of type string`);
  if (typeof body.content !== 'string')
    problems.push(`content ${typeName(body.content)} is not of type string`);
  if (body.postage !== undefined && !(POSTAGE as readonly unknown[]).includes(body.postage))
    problems.push('postage invalid. It must be first, second, economy, europe or rest-of-world.');
  if (problems.length) throw validationError(problems);
  await checkRequestRateLimit(context.db, caller);
  if (caller.key.key_type === 'team')
    throw badRequest('Cannot send letters with a team api key', 403);
  const content = body.content as string;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(content.replace(/\s/g, '')))
    throw badRequest('Cannot decode letter content (invalid base64 encoding)');
  const pdf = Buffer.from(content, 'base64');
  if (pdf.length > MAX_PDF_BYTES) throw badRequest('Letter content is too large');
  if (!pdf.subarray(0, 5).equals(Buffer.from('%PDF-')))
    throw badRequest('Letter content is not a valid PDF');
  const template = await precompiledLetterTemplate(context.db, caller.service.id);
  const id = randomUUID();
  const postage = (body.postage as Postage | undefined) ?? 'second';
  await insertAndQueue(context, caller, {
    id,
    type: 'letter',
    templateId: template.id,
    templateVersion: template.version,
    recipient: 'Provided as PDF',
    addressLines: null,
    reference: body.reference as string,
    subject: 'Pre-compiled PDF',
    body: '',
    postage,
    pdf,
    status: 'pending-virus-check',
  });
  return { id, reference: body.reference, postage };
}
