/**
 * Sending decision letters. The engine queues `casework.tell` for every action the workflow
 * tells the applicant about; for an action with a `decision`, this handler sends the decision
 * letter in place of the short message (the letter opens with the same words), and passes
 * every other action on to the engine's handler unchanged.
 *
 * Channel, in order: the applicant's account inbox; the e-mail address an application without
 * an account gave; a printed letter (the `letter.send` topic, a PDF for a DL window envelope) to
 * the postal address the application gave. The letter is recorded on the case as the engine
 * records a told message (`message`, with `tell_of`), which also keeps it to one per decision.
 */
import { sql } from 'kysely';
import type { Config } from '../../../../platform/config/config.js';
import type { Db } from '../../../../platform/db/database.js';
import { formatDate, type Locale } from '../../../../platform/i18n/i18n.js';
import { LETTER_TOPIC, type LetterPayload } from '../../../../platform/letters/letters.js';
import { MAIL_TOPIC } from '../../../../platform/mail/mailer.js';
import { enqueue, type OutboxHandler } from '../../../../platform/outbox/outbox.js';
import { ukToday } from '../../../../platform/validation/validators.js';
import { findUserById } from '../../../identity/index.js';
import { sendCaseMessage } from '../../../inbox/index.js';
import { renderLetterPdf } from '../../../notify/index.js';
import { findSubmissionById, nameLookup, type SubmissionRow } from '../../../submissions/index.js';
import { recordCaseEvent } from '../../commands/events.js';
import type { CaseEventRow, CaseRow } from '../../db/tables.js';
import { findCaseById } from '../../queries/cases.js';
import { loadWorkflow } from '../../queries/workflows.js';
import { fillPlaceholders } from '../../workflow/engine.js';
import {
  isAppeal,
  placeholdersIn,
  type DecisionOutcome,
  type WorkflowAction,
  type WorkflowDefinition,
} from '../../workflow/schema.js';
import { translators, type Channel } from '../tell.js';
import { bilingualLetter, reviewDeadline, type DecisionLetterFacts } from './decision-letter.js';

/** The page an applicant asks for a review on. */
export function reviewPath(reference: string): string {
  return `/applications/${reference}/review`;
}

/** The applicant's review route from a state: the workflow's appeal out of it, if any. */
export function appealFrom(definition: WorkflowDefinition, state: string) {
  return definition.actions.find(
    (action) =>
      isAppeal(action) && action.from.includes(state) && action.roles.includes('applicant'),
  );
}

/**
 * A postal address the application gave: the first answer shaped as one (`line1`, `town`,
 * `postcode`), as the forms' address question records it. Null when it gave none.
 */
export function postalAddressOf(
  submission: Pick<SubmissionRow, 'answers'> | undefined,
): string[] | null {
  for (const value of Object.values(submission?.answers.values ?? {})) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) continue;
    const address = value as Record<string, unknown>;
    const line = (key: string) =>
      typeof address[key] === 'string' ? (address[key] as string).trim() : '';
    if (line('line1') && line('town') && line('postcode'))
      return [line('line1'), line('line2'), line('town'), line('postcode')].filter(Boolean);
  }
  return null;
}

/** The action's `tell` in one language, filled as the engine fills it (dates in that language). */
async function toldIn(
  db: Db,
  locale: Locale,
  caseRow: CaseRow,
  event: CaseEventRow,
  action: WorkflowAction,
): Promise<string> {
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
  return fillPlaceholders(action.tell![locale], values)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

async function applicantName(db: Db, caseRow: CaseRow, submission: SubmissionRow | undefined) {
  const account = caseRow.applicant_user_id
    ? await findUserById(db, caseRow.applicant_user_id)
    : undefined;
  return caseRow.applicant_name ?? account?.display_name ?? submission?.applicant?.name ?? '';
}

/** Everything the letter says, read before any transaction opens. */
export async function letterFacts(
  db: Db,
  config: Pick<Config, 'baseUrl'>,
  caseRow: CaseRow,
  event: CaseEventRow,
  action: WorkflowAction,
  definition: WorkflowDefinition,
  submission: SubmissionRow | undefined,
): Promise<DecisionLetterFacts> {
  const [en, cy] = [nameLookup(db, 'en'), nameLookup(db, 'cy')];
  const appeal = event.to_state ? appealFrom(definition, event.to_state) : undefined;
  const told = action.tell
    ? {
        en: await toldIn(db, 'en', caseRow, event, action),
        cy: await toldIn(db, 'cy', caseRow, event, action),
      }
    : null;
  return {
    reference: caseRow.reference,
    applicantName: await applicantName(db, caseRow, submission),
    service: { en: await en.service(caseRow.service_id), cy: await cy.service(caseRow.service_id) },
    organisation: {
      en: await en.organisation(caseRow.organisation_id),
      cy: await cy.organisation(caseRow.organisation_id),
    },
    decision: action.decision as DecisionOutcome,
    told,
    toldReasons: !!action.tell && placeholdersIn(action.tell.en).includes('comment'),
    reasons: event.comment,
    review: appeal?.appealWithinDays
      ? {
          deadline: reviewDeadline(ukToday(event.occurred_at), appeal.appealWithinDays),
          link: caseRow.applicant_user_id
            ? `${config.baseUrl}${reviewPath(caseRow.reference)}`
            : null,
        }
      : null,
  };
}

async function alreadySent(db: Db, caseId: string, eventId: number): Promise<boolean> {
  const row = await db
    .selectFrom('case_events')
    .select('id')
    .where('case_id', '=', caseId)
    .where('kind', '=', 'message')
    .where(sql<string>`details ->> 'tell_of'`, '=', String(eventId))
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Sends the decision letter of one decision event, once: read everything, then write the
 * message, its record on the case and any e-mail or printed letter in one transaction.
 */
export async function sendDecisionLetter(
  db: Db,
  config: Pick<Config, 'baseUrl'>,
  event: CaseEventRow,
): Promise<Channel | 'already-sent'> {
  if (await alreadySent(db, event.case_id, event.id)) return 'already-sent';
  const caseRow = (await findCaseById(db, event.case_id))!;
  const definition = await loadWorkflow(db, caseRow.workflow_id);
  const action = definition.actions.find((a) => a.name === event.action)!;
  const submission = caseRow.submission_id
    ? await findSubmissionById(db, caseRow.submission_id)
    : undefined;
  const facts = await letterFacts(db, config, caseRow, event, action, definition, submission);
  const letter = bilingualLetter(await translators(), facts);
  const address = caseRow.applicant_user_id ? null : postalAddressOf(submission);
  const email = submission?.applicant?.email;
  const actor = {
    userId: event.actor_user_id,
    organisationId: caseRow.organisation_id,
    role: 'casework',
  };

  return db.transaction().execute(async (trx) => {
    let channel: Channel = 'none';
    if (caseRow.applicant_user_id) {
      const message = await sendCaseMessage(
        trx,
        {
          organisationId: caseRow.organisation_id,
          recipientUserId: caseRow.applicant_user_id,
          submission: submission ? { id: submission.id, reference: submission.reference } : null,
          subject: letter.subject,
          body: letter.text,
          sentByUserId: event.actor_organisation_id ? event.actor_user_id : null,
        },
        actor,
        config.baseUrl,
      );
      if (message) channel = 'inbox';
    }
    if (channel === 'none' && email) {
      await enqueue(trx, {
        topic: MAIL_TOPIC,
        payload: {
          to: email,
          subject: letter.subject,
          text: letter.text,
          organisationId: caseRow.organisation_id,
        },
        idempotencyKey: `casework.decision-letter:${event.id}:mail`,
      });
      channel = 'email';
    }
    if (channel === 'none' && address) {
      const lines = [facts.applicantName, ...address].filter(Boolean);
      const pdf = renderLetterPdf({
        addressLines: lines,
        subject: letter.printed.subject,
        body: letter.printed.body,
        date: event.occurred_at,
        sender: facts.organisation.en,
      });
      // Queued as `queueLetter` would, naming the body, whose Notify service records it.
      const payload: LetterPayload & { organisationId: string } = {
        to: { name: lines[0]!, lines: lines.slice(1) },
        pdfBase64: pdf.toString('base64'),
        organisationId: caseRow.organisation_id,
      };
      await enqueue(trx, {
        topic: LETTER_TOPIC,
        payload: { ...payload },
        idempotencyKey: `casework.decision-letter:${event.id}:letter`,
      });
      channel = 'letter';
    }
    await recordCaseEvent(trx, caseRow.id, {
      kind: 'message',
      actorUserId: event.actor_user_id,
      actorOrganisationId: event.actor_organisation_id,
      details: {
        tell_of: event.id,
        action: event.action,
        channel,
        subject: letter.subject,
        text: letter.text,
        decision_letter: true,
      },
    });
    return channel;
  });
}

/**
 * The `casework.tell` handler with decision letters: a decision action's event gets the letter;
 * an action already told (a request for information sends its own message with the link to
 * answer) gets nothing more; any other goes to the engine's handler (`tell`).
 *
 * @example [TELL_TOPIC]: withDecisionLetters(context.config, tellHandler(context.config))
 */
export function withDecisionLetters(
  config: Pick<Config, 'baseUrl'>,
  tell: OutboxHandler,
): OutboxHandler {
  return async (payload, context) => {
    const eventId = Number(payload.eventId);
    if (!Number.isSafeInteger(eventId)) return tell(payload, context);
    const event = await context.db
      .selectFrom('case_events')
      .selectAll()
      .where('id', '=', eventId)
      .executeTakeFirst();
    if (!event || event.kind !== 'action') return tell(payload, context);
    // Told already, in the same transaction as the action: a request for information's own message.
    if (await alreadySent(context.db, event.case_id, event.id)) return;
    if (typeof event.details.decision !== 'string') return tell(payload, context);
    await sendDecisionLetter(context.db, config, event);
  };
}
