/**
 * Telling the applicant what an action's `tell` says, after the action is committed (outbox topic
 * `casework.tell`): in their account inbox when they have an account, else by e-mail to the
 * address they gave. English then Welsh, as every message to the public is. Each told message is
 * recorded on the case (a `message` event), which makes the handler idempotent and is what the
 * case page lists under "Messages to the applicant".
 */
import { sql } from 'kysely';
import type { Actor } from '../../../platform/audit/audit.js';
import type { Config } from '../../../platform/config/config.js';
import type { Db } from '../../../platform/db/database.js';
import { formatDate, type Locale } from '../../../platform/i18n/i18n.js';
import { MAIL_TOPIC } from '../../../platform/mail/mailer.js';
import { enqueue, type OutboxHandler } from '../../../platform/outbox/outbox.js';
import { sendCaseMessage } from '../../inbox/index.js';
import { findSubmissionById, nameLookup } from '../../submissions/index.js';
import type { CaseEventRow, CaseRow } from '../db/tables.js';
import { findCaseById } from '../queries/cases.js';
import { loadWorkflow } from '../queries/workflows.js';
import { fillPlaceholders } from '../workflow/engine.js';
import type { WorkflowAction } from '../workflow/schema.js';
import { recordCaseEvent } from './events.js';

/** Between the English and the Welsh of one message. */
const BETWEEN_LANGUAGES = '\n\n———\n\n';

async function alreadyTold(db: Db, caseId: string, eventId: number): Promise<boolean> {
  const row = await db
    .selectFrom('case_events')
    .select('id')
    .where('case_id', '=', caseId)
    .where('kind', '=', 'message')
    .where(sql<string>`details ->> 'tell_of'`, '=', String(eventId))
    .executeTakeFirst();
  return row !== undefined;
}

/** The action's message in one language, its placeholders filled (dates in that language). */
async function textIn(
  locale: Locale,
  db: Db,
  caseRow: CaseRow,
  event: CaseEventRow,
  action: WorkflowAction & { tell: { en: string; cy: string } },
) {
  const names = nameLookup(db, locale);
  const inputs = (event.details.inputs ?? {}) as Record<string, string>;
  const values: Record<string, string> = {
    reference: caseRow.reference,
    service: await names.service(caseRow.service_id),
    organisation: await names.organisation(caseRow.organisation_id),
    comment: event.comment ?? '',
  };
  for (const input of action.inputs ?? [])
    if (inputs[input.name]) values[input.name] = formatDate(inputs[input.name]!, locale);
  // A placeholder left empty (no comment) leaves blank lines behind: fold them.
  return fillPlaceholders(action.tell[locale], values)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The `casework.tell` handler: reads everything first, then writes in one transaction. */
export function tellHandler(config: Config): OutboxHandler {
  return async (payload, { db }) => {
    const event = await db
      .selectFrom('case_events')
      .selectAll()
      .where('id', '=', Number(payload.eventId))
      .executeTakeFirst();
    if (!event?.action) return;
    if (await alreadyTold(db, event.case_id, event.id)) return;
    const caseRow = (await findCaseById(db, event.case_id))!;
    const action = (await loadWorkflow(db, caseRow.workflow_id)).actions.find(
      (a) => a.name === event.action,
    );
    if (!action?.tell) return;
    const tell = { ...action, tell: action.tell };
    const [en, cy] = await Promise.all([
      textIn('en', db, caseRow, event, tell),
      textIn('cy', db, caseRow, event, tell),
    ]);
    const subject = `${caseRow.reference}: ${await nameLookup(db, 'en').service(caseRow.service_id)}`;
    const text = en + BETWEEN_LANGUAGES + cy;
    const submission = caseRow.submission_id
      ? await findSubmissionById(db, caseRow.submission_id)
      : undefined;
    const actor: Actor = {
      userId: event.actor_user_id,
      organisationId: caseRow.organisation_id,
      role: 'casework',
    };
    await db.transaction().execute(async (trx) => {
      let channel: 'inbox' | 'email' | 'none' = 'none';
      if (caseRow.applicant_user_id) {
        const message = await sendCaseMessage(
          trx,
          {
            organisationId: caseRow.organisation_id,
            recipientUserId: caseRow.applicant_user_id,
            submission: submission ? { id: submission.id, reference: submission.reference } : null,
            subject,
            body: text,
            sentByUserId: event.actor_organisation_id ? event.actor_user_id : null,
          },
          actor,
          config.baseUrl,
        );
        if (message) channel = 'inbox';
      }
      const email = submission?.applicant?.email;
      if (channel === 'none' && email) {
        await enqueue(trx, {
          topic: MAIL_TOPIC,
          payload: { to: email, subject, text, organisationId: caseRow.organisation_id },
          idempotencyKey: `casework.tell:${event.id}:mail`,
        });
        channel = 'email';
      }
      await recordCaseEvent(trx, caseRow.id, {
        kind: 'message',
        actorUserId: event.actor_user_id,
        actorOrganisationId: event.actor_organisation_id,
        details: { tell_of: event.id, action: event.action, channel, subject, text },
      });
    });
  };
}
