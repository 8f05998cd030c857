/** What the casework module holds about one person, for their own "My data". */
import type { Db } from '../../../platform/db/database.js';
import type { PersonalDataSection } from '../../../platform/http/types.js';
import { publishedServiceTitles } from '../../catalogue/index.js';
import { listOrganisationsByIds } from '../../organisations/index.js';
import { isoInstant } from '../../../platform/http/personal-data.js';

/**
 * The cases bodies opened to work the person's applications (state, deadlines, whether a
 * caseworker has it), what happened to each with what caseworkers wrote, their internal notes,
 * the requests for information with the person's answers, and referrals to other bodies.
 */
export async function caseworkPersonalData(db: Db, userId: string): Promise<PersonalDataSection[]> {
  const cases = await db
    .selectFrom('cases')
    .select([
      'id',
      'reference',
      'organisation_id',
      'service_id',
      'state',
      'opened_at',
      'closed_at',
      'due_at',
      'assigned_to',
    ])
    .where('applicant_user_id', '=', userId)
    .orderBy('opened_at')
    .execute();
  const ids = cases.map((c) => c.id);
  if (ids.length === 0) return [];
  const [events, notes, requests, referrals] = await Promise.all([
    db
      .selectFrom('case_events')
      .select(['case_id', 'kind', 'action', 'from_state', 'to_state', 'comment', 'occurred_at'])
      .where('case_id', 'in', ids)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('case_notes')
      .select(['case_id', 'body', 'created_at'])
      .where('case_id', 'in', ids)
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('information_requests')
      .select(['case_id', 'question', 'asked_at', 'answer', 'answered_at', 'cancelled_at'])
      .where('case_id', 'in', ids)
      .orderBy('asked_at')
      .execute(),
    db
      .selectFrom('case_referrals')
      .select(['case_id', 'to_organisation_id', 'kind', 'reason', 'status', 'created_at'])
      .where('case_id', 'in', ids)
      .orderBy('created_at')
      .execute(),
  ]);
  const [services, bodies] = await Promise.all([
    publishedServiceTitles(
      db,
      cases.map((c) => c.service_id),
      'en',
    ),
    listOrganisationsByIds(db, [
      ...cases.map((c) => c.organisation_id),
      ...referrals.map((r) => r.to_organisation_id),
    ]).then((rows) => new Map(rows.map((o) => [o.id, o.name]))),
  ]);
  const referenceOf = new Map(cases.map((c) => [c.id, c.reference]));
  const ref = (caseId: string) => referenceOf.get(caseId) ?? null;
  return [
    {
      key: 'cases',
      title: 'casework.personalData.cases',
      rows: cases.map((c) => ({
        reference: c.reference,
        body: bodies.get(c.organisation_id) ?? c.organisation_id,
        service: services.get(c.service_id) ?? c.service_id,
        state: c.state,
        assignedToCaseworker: c.assigned_to !== null,
        openedAt: isoInstant(c.opened_at),
        dueAt: isoInstant(c.due_at),
        closedAt: isoInstant(c.closed_at),
      })),
    },
    {
      key: 'case-history',
      title: 'casework.personalData.history',
      rows: events.map((e) => ({
        reference: ref(e.case_id),
        kind: e.kind,
        action: e.action,
        fromState: e.from_state,
        toState: e.to_state,
        comment: e.comment,
        at: isoInstant(e.occurred_at),
      })),
    },
    {
      key: 'case-notes',
      title: 'casework.personalData.notes',
      rows: notes.map((n) => ({
        reference: ref(n.case_id),
        note: n.body,
        at: isoInstant(n.created_at),
      })),
    },
    {
      key: 'information-requests',
      title: 'casework.personalData.information',
      rows: requests.map((r) => ({
        reference: ref(r.case_id),
        question: r.question,
        askedAt: isoInstant(r.asked_at),
        answer: r.answer,
        answeredAt: isoInstant(r.answered_at),
        cancelledAt: isoInstant(r.cancelled_at),
      })),
    },
    {
      key: 'case-referrals',
      title: 'casework.personalData.referrals',
      rows: referrals.map((r) => ({
        reference: ref(r.case_id),
        toBody: bodies.get(r.to_organisation_id) ?? r.to_organisation_id,
        kind: r.kind,
        reason: r.reason,
        status: r.status,
        at: isoInstant(r.created_at),
      })),
    },
  ];
}
