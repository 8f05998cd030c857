/**
 * Retention of consultation responses: by default 24 months after the consultation closed, a
 * response is anonymised. Its free-text answers, the link to the person's account, the
 * address they gave for the outcome and any original kept of redacted abuse go; its choices,
 * whether it came from an individual or an organisation (and the organisation's name) and its
 * themes stay, so the published results stand. A body may choose to delete responses instead.
 */
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/database.js';
import type {
  RetentionAction,
  RetentionCandidate,
  RetentionQuery,
  RetentionRecordType,
} from '../../../platform/http/types.js';
import { londonDate } from '../../../platform/time/london.js';
import { answersOf, isChoiceQuestion, questionFormOf, questionsOf } from './questions.js';
import { responsesWithTheirConsultation } from './queries/results.js';

async function findDue(db: Db, query: RetentionQuery): Promise<RetentionCandidate[]> {
  let select = db
    .selectFrom('consultation_responses')
    .innerJoin('consultations', 'consultations.id', 'consultation_responses.consultation_id')
    .select(['consultation_responses.id', 'consultation_responses.user_id as personId'])
    .where('consultations.organisation_id', '=', query.organisationId)
    // The clock starts at the midnight after the closing day (London).
    .where('consultations.closes_on', '<', londonDate(query.cutoff))
    .where('consultation_responses.anonymised_at', 'is', null);
  if (query.heldPersonIds.length > 0)
    select = select.where((eb) =>
      eb.or([
        eb('consultation_responses.user_id', 'is', null),
        eb('consultation_responses.user_id', 'not in', [...query.heldPersonIds]),
      ]),
    );
  if (query.heldPersonEmails.length > 0)
    select = select.where((eb) =>
      eb.or([
        eb('consultation_responses.notify_email', 'is', null),
        eb('consultation_responses.notify_email', 'not in', [...query.heldPersonEmails]),
      ]),
    );
  if (query.heldRecordIds.length > 0)
    select = select.where('consultation_responses.id', 'not in', [...query.heldRecordIds]);
  if (query.heldReferences.length > 0)
    select = select.where((eb) =>
      eb.or([
        eb('consultation_responses.reference', 'is', null),
        eb('consultation_responses.reference', 'not in', [...query.heldReferences]),
      ]),
    );
  return select
    .orderBy('consultations.closes_on')
    .orderBy('consultation_responses.id')
    .limit(query.limit)
    .forUpdate('consultation_responses')
    .skipLocked()
    .execute();
}

async function anonymise(trx: Db, ids: readonly string[], now: Date): Promise<number> {
  const rows = await responsesWithTheirConsultation(trx)
    .select([
      'consultation_responses.id',
      'consultation_responses.answers',
      'consultations.questions',
      'consultation_versions.questions as answeredQuestions',
    ])
    .where('consultation_responses.id', 'in', [...ids])
    .where('consultation_responses.anonymised_at', 'is', null)
    .execute();
  for (const row of rows) {
    // Choices stay (they are counted); everything else — free text, which may say anything
    // about anyone, and any other answer in words — goes.
    const stored = row.answeredQuestions ?? row.questions;
    const kept = answersOf(stored, row.answers);
    const answers = Object.fromEntries(
      questionsOf(questionFormOf(stored).form)
        .filter((q) => Object.hasOwn(kept, q.name))
        .map((q) => [q.name, isChoiceQuestion(q) ? kept[q.name] : '']),
    );
    await trx
      .updateTable('consultation_responses')
      .set({
        answers: JSON.stringify(answers),
        user_id: null,
        notify_email: null,
        token_hash: sql<string>`'anonymised-' || id::text`,
        anonymised_at: now,
      })
      .where('id', '=', row.id)
      .execute();
  }
  if (rows.length > 0)
    await trx
      .updateTable('consultation_redactions')
      .set({ original: null })
      .where(
        'response_id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
  return rows.length;
}

async function dispose(trx: Db, action: RetentionAction, ids: readonly string[], now: Date) {
  if (ids.length === 0) return 0;
  if (action === 'anonymise') return anonymise(trx, ids, now);
  const deleted = await trx
    .deleteFrom('consultation_responses')
    .where('id', 'in', [...ids])
    .executeTakeFirst();
  return Number(deleted.numDeletedRows);
}

/** A response of this body by its reference (C-7K3MX9QA) or its id. */
async function resolve(db: Db, organisationId: string, identifier: string) {
  const text = identifier.trim();
  const byReference = /^C-[A-Z0-9]{8}$/i.test(text);
  if (!byReference && !/^[0-9a-f-]{36}$/i.test(text)) return undefined;
  const row = await db
    .selectFrom('consultation_responses')
    .innerJoin('consultations', 'consultations.id', 'consultation_responses.consultation_id')
    .select(['consultation_responses.id', 'consultation_responses.reference'])
    .where('consultations.organisation_id', '=', organisationId)
    .where(
      byReference ? 'consultation_responses.reference' : 'consultation_responses.id',
      '=',
      byReference ? text.toUpperCase() : text.toLowerCase(),
    )
    .executeTakeFirst();
  return row ? { id: row.id, reference: row.reference ?? row.id } : undefined;
}

/** The `consultation-response` record type, for the engagement module's manifest. */
export const consultationResponseRetention: RetentionRecordType = {
  key: 'consultation-response',
  title: 'consultations.retention.title',
  clockStarts: 'consultations.retention.clock',
  anonymiseKeeps: 'consultations.retention.keeps',
  defaultMonths: 24,
  minMonths: 1,
  maxMonths: 120,
  defaultAction: 'anonymise',
  actions: ['anonymise', 'delete'],
  findDue,
  dispose,
  resolve,
};
