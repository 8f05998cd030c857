import type { Db } from '../../../platform/db/database.js';
import { findOrganisationById, listOrganisationsByIds } from '../../organisations/index.js';
import { findTypeByCode, snapshotOf, type EvidenceSnapshot } from '../commands/requests.js';
import type { EvidenceRequestRow, EvidenceTypeRow, Words } from '../db/tables.js';
import { digestOf } from '../signing.js';
import { subjectOf, type SubjectInput } from '../subject.js';

/** What a journey page says of the type: who is asked, what, on what basis. */
export interface EvidenceTypeView {
  code: string;
  name: Words;
  ask: Words;
  body: Words;
  consentNeeded: boolean;
  legalBasis: string;
  legalBasisReference: string;
  slaSeconds: number;
}

/**
 * Where a journey's evidence question stands for the person: `ask` (nothing asked yet for these
 * answers), `waiting` (asked; check again shortly), `answered` (the signed snapshot to show and
 * keep), or `fallback` (not asked after all, refused, failed or not answered in time: ask the
 * person for evidence). `unavailable` when it cannot be asked at all (no such type, or the form
 * did not give what the subject needs).
 */
export type EvidenceStep =
  | { state: 'unavailable'; reason: 'unknown-type' | 'type-withdrawn' | 'subject-incomplete' }
  | { state: 'ask'; type: EvidenceTypeView }
  | {
      state: 'waiting';
      type: EvidenceTypeView;
      requestId: string;
      dueAt: Date;
      withdrawable: boolean;
    }
  | { state: 'answered'; type: EvidenceTypeView; requestId: string; snapshot: EvidenceSnapshot }
  | { state: 'fallback'; type: EvidenceTypeView; requestId: string; reason: string };

async function typeView(db: Db, type: EvidenceTypeRow): Promise<EvidenceTypeView> {
  const body = await findOrganisationById(db, type.organisation_id);
  return {
    code: type.code,
    name: { en: type.name, cy: type.name_cy },
    ask: type.wording.ask,
    body: { en: body?.name ?? '', cy: body?.name_cy || body?.name || '' },
    consentNeeded: type.consent_needed,
    legalBasis: type.legal_basis,
    legalBasisReference: type.legal_basis_reference,
    slaSeconds: type.sla_seconds,
  };
}

/**
 * The step of one journey question for one person and the subject their answers give now (a
 * changed NI number or address is a new subject, so a new request). Time is the database's
 * record of when the request is due, so every node answers the same.
 *
 * @example const step = await evidenceStep(db, { userId, journeyKey: 'free-school-meals:benefit', evidenceType: 'dwp-qualifying-benefit', subject })
 */
export async function evidenceStep(
  db: Db,
  input: { userId: string; journeyKey: string; evidenceType: string; subject: SubjectInput },
  now = new Date(),
): Promise<EvidenceStep> {
  const type = await findTypeByCode(db, input.evidenceType);
  if (!type) return { state: 'unavailable', reason: 'unknown-type' };
  const subject = subjectOf(type.subject_kind, input.subject);
  if (!subject) return { state: 'unavailable', reason: 'subject-incomplete' };
  const request = await db
    .selectFrom('evidence_requests')
    .selectAll()
    .where('user_id', '=', input.userId)
    .where('journey_key', '=', input.journeyKey)
    .where('subject_digest', '=', digestOf({ type: type.code, subject: subject.data }))
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const view = await typeView(db, type);
  if (!request) {
    if (type.status !== 'published') return { state: 'unavailable', reason: 'type-withdrawn' };
    return { state: 'ask', type: view };
  }
  if (request.status === 'answered')
    return {
      state: 'answered',
      type: view,
      requestId: request.id,
      snapshot: await snapshotOf(db, request, type),
    };
  if ((request.status === 'waiting' || request.status === 'sent') && now <= request.due_at)
    return {
      state: 'waiting',
      type: view,
      requestId: request.id,
      dueAt: request.due_at,
      withdrawable: request.consent === 'given',
    };
  return {
    state: 'fallback',
    type: view,
    requestId: request.id,
    // A body that kept failing says so; one that was merely slow did not answer in time.
    reason:
      request.reason ??
      (request.status === 'waiting' || request.status === 'sent'
        ? 'no-answer-in-time'
        : request.status),
  };
}

/** The requests waiting in a body's pull queue, oldest first (only those still within their time). */
export async function pullQueue(
  db: Db,
  organisationId: string,
  limit: number,
  now = new Date(),
): Promise<{ request: EvidenceRequestRow; type: EvidenceTypeRow }[]> {
  const rows = await db
    .selectFrom('evidence_requests as r')
    .innerJoin('evidence_types as t', 't.id', 'r.type_id')
    .selectAll('r')
    .select(['t.id as t_id'])
    .where('r.answering_organisation_id', '=', organisationId)
    .where('r.status', '=', 'sent')
    .where('r.via', '=', 'pull')
    .where('r.due_at', '>=', now)
    .orderBy('r.created_at')
    .limit(limit)
    .execute();
  const types = await typesByIds(
    db,
    rows.map((r) => r.type_id),
  );
  return rows.map(({ t_id: _ignored, ...request }) => ({
    request,
    type: types.get(request.type_id)!,
  }));
}

async function typesByIds(db: Db, ids: string[]): Promise<Map<string, EvidenceTypeRow>> {
  if (!ids.length) return new Map();
  const rows = await db
    .selectFrom('evidence_types')
    .selectAll()
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((t) => [t.id, t]));
}

/** A body's evidence types, by name. */
export async function typesOfBody(db: Db, organisationId: string): Promise<EvidenceTypeRow[]> {
  return db
    .selectFrom('evidence_types')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .orderBy('name')
    .execute();
}

/** One type of the body by code, or undefined (another body's types are not found). */
export async function typeOfBody(
  db: Db,
  organisationId: string,
  code: string,
): Promise<EvidenceTypeRow | undefined> {
  return db
    .selectFrom('evidence_types')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('code', '=', code)
    .executeTakeFirst();
}

/**
 * The latest requests for one type, for the answering body's staff: when, by whom, the state and
 * how — never the subject or the answer (the staff page shows the traffic, not the people).
 */
export async function requestsOfType(db: Db, typeId: string, limit = 100) {
  const rows = await db
    .selectFrom('evidence_requests')
    .select([
      'id',
      'created_at',
      'status',
      'reason',
      'via',
      'attempts',
      'answered_at',
      'requesting_organisation_id',
    ])
    .where('type_id', '=', typeId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  const names = new Map(
    (
      await listOrganisationsByIds(
        db,
        rows.map((r) => r.requesting_organisation_id),
      )
    ).map((o) => [o.id, o.name]),
  );
  return rows.map((r) => ({ ...r, requester: names.get(r.requesting_organisation_id) ?? '' }));
}

/** How many rows a table-answered type holds. */
export async function tableRowCount(db: Db, typeId: string): Promise<number> {
  const row = await db
    .selectFrom('evidence_table_rows')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('type_id', '=', typeId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
