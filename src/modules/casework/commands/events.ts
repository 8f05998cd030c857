import type { Db } from '../../../platform/db/database.js';
import type { CaseEventRow } from '../db/tables.js';

/** One entry of a case's history (see `CaseEventTable` for the kinds). */
export interface NewCaseEvent {
  kind: string;
  action?: string | null;
  fromState?: string | null;
  toState?: string | null;
  actorUserId?: string | null;
  actorOrganisationId?: string | null;
  comment?: string | null;
  /** Attachment ids sent with it. */
  documents?: readonly string[];
  details?: Record<string, unknown>;
}

/**
 * Appends an event to a case's history, in the caller's transaction. Features other than the
 * engine (requests for information, referrals, escalations) record theirs with it, so the case
 * page's history is one list.
 *
 * @example await recordCaseEvent(trx, caseRow.id, { kind: 'escalated', details: { to: 'team-leader' } });
 */
export async function recordCaseEvent(
  trx: Db,
  caseId: string,
  event: NewCaseEvent,
): Promise<CaseEventRow> {
  return trx
    .insertInto('case_events')
    .values({
      case_id: caseId,
      kind: event.kind,
      action: event.action ?? null,
      from_state: event.fromState ?? null,
      to_state: event.toState ?? null,
      actor_user_id: event.actorUserId ?? null,
      actor_organisation_id: event.actorOrganisationId ?? null,
      comment: event.comment ?? null,
      documents: JSON.stringify(event.documents ?? []),
      details: JSON.stringify(event.details ?? {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
