import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/database.js';
import type { Outcome } from '../../../platform/errors/errors.js';
import type { Locale } from '../../../platform/i18n/i18n.js';
import { findOrganisationById } from '../../organisations/index.js';
import { foiDue, stageDue } from '../clock/statutory-clock.js';
import type { CorrespondenceRow } from '../db/tables.js';
import { settingsOf } from '../queries/items.js';
import { requestErrors, type RequestForm } from '../rules/forms.js';
import { dueText, queueRequesterMail } from './mail.js';
import { newReference } from './reference.js';
import { isUuid } from '../../../platform/validation/uuid.js';

/**
 * A complaint or FOI request made to a body by anyone, signed in or not. The clock starts at
 * once: an FOI request is due 20 working days after the day it arrived (s.10(1)); a complaint at
 * stage 1 after the body's own number of working days. The requester is e-mailed an
 * acknowledgement with the reference and the due date, in the language they used.
 */
export async function makeRequest(
  trx: Db,
  actor: Actor,
  kind: 'complaint' | 'foi',
  values: RequestForm,
  accountId: string | null,
  language: Locale,
  now: Date,
): Promise<Outcome<{ item: CorrespondenceRow }>> {
  const errors = requestErrors(values);
  const body = isUuid(values.organisationId)
    ? await findOrganisationById(trx, values.organisationId)
    : undefined;
  if (values.organisationId !== '' && !body)
    errors.unshift({
      field: 'organisationId',
      message: 'correspondence.make.organisationId.missing',
    });
  if (errors.length > 0 || !body) return { ok: false, errors };
  const dueAt =
    kind === 'foi'
      ? foiDue(now)
      : stageDue(now, (await settingsOf(trx, body.id)).complaint_stage1_days);
  const item = await trx
    .insertInto('correspondence')
    .values({
      reference: newReference(kind),
      kind,
      organisation_id: body.id,
      account_id: accountId,
      requester_name: values.name,
      requester_email: values.email,
      language,
      subject: values.subject,
      details: values.details,
      state: 'open',
      received_at: now,
      clock_started_at: now,
      due_at: dueAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(
    trx,
    { ...actor, organisationId: actor.organisationId },
    {
      action: `correspondence.${kind}.made`,
      resourceType: 'correspondence',
      resourceId: item.id,
      subjectUserId: accountId,
      details: { reference: item.reference, organisationId: body.id },
    },
  );
  await queueRequesterMail(
    trx,
    'acknowledged',
    item,
    { body: (language === 'cy' && body.name_cy) || body.name, due: dueText(item, language) },
    `correspondence.acknowledged:${item.reference}`,
  );
  return { ok: true, item };
}
