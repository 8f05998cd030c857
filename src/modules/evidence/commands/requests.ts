import { sql } from 'kysely';
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import type { SecretSource } from '../../../platform/keyring/keyring.js';
import type { Db } from '../../../platform/db/database.js';
import { enqueue } from '../../../platform/outbox/outbox.js';
import { findOrganisationById } from '../../organisations/index.js';
import { parseAnswerValue, statementWords } from '../answers.js';
import type { ConsentState, EvidenceRequestRow, EvidenceTypeRow, Words } from '../db/tables.js';
import { whyNotSent, type NotSentReason } from '../policies/evidence.js';
import { digestOf, signAnswer, verifyAnswer, type SignedAnswer } from '../signing.js';
import { subjectOf, type SubjectInput } from '../subject.js';

/** The outbox topic of one request's delivery to the answering body. */
export const REQUEST_TOPIC = 'evidence.request';

/** The platform's own actor (the outbox worker). */
export const SYSTEM: Actor = { userId: null, organisationId: null, role: 'system' };

/**
 * What is kept with the submission when the answer is used: minimal (the one value and its
 * statement), time-stamped and signed by Joinedup (`verifyEvidenceSnapshot` checks it).
 */
export interface EvidenceSnapshot {
  kind: 'evidence';
  requestId: string;
  evidenceType: string;
  answeringOrganisationId: string;
  answeringBody: Words;
  requestingOrganisationId: string;
  subjectDigest: string;
  value: boolean | string | number;
  statement: Words;
  answeredAt: string;
  signature: string;
}

export interface AskInput {
  /** The evidence type's code, as the form names it. */
  evidenceType: string;
  /** The body whose form asks. */
  requestingOrganisationId: string;
  /** The person asked about (the applicant). */
  userId: string;
  /** Which question of which journey asks: `<service slug>:<question name>`. */
  journeyKey: string;
  subject: SubjectInput;
  /** The person's answer when the type needs consent: true (ask), false (do not). */
  consent?: boolean;
}

export type AskOutcome =
  | { ok: true; request: EvidenceRequestRow }
  | {
      ok: false;
      code: NotSentReason | 'unknown-type' | 'subject-incomplete';
      request?: EvidenceRequestRow;
    };

/** A published type by its code. */
export async function findTypeByCode(db: Db, code: string): Promise<EvidenceTypeRow | undefined> {
  return db.selectFrom('evidence_types').selectAll().where('code', '=', code).executeTakeFirst();
}

/**
 * Asks the answering body for evidence about a person, from a journey: checks the type, builds
 * the minimal subject, and — only when the type has a legal basis and, where it needs one, the
 * person's consent is given — records the request and queues its delivery through the outbox
 * (in the caller's transaction). Otherwise records it not sent, with why, and sends nothing:
 * the journey then asks the person for evidence.
 *
 * @example await db.transaction().execute((trx) => askForEvidence(trx, { evidenceType: 'dwp-pension-credit', … }, actor))
 */
export async function askForEvidence(trx: Db, input: AskInput, actor: Actor): Promise<AskOutcome> {
  const type = await findTypeByCode(trx, input.evidenceType);
  if (!type) return { ok: false, code: 'unknown-type' };
  const subject = subjectOf(type.subject_kind, input.subject);
  if (!subject) return { ok: false, code: 'subject-incomplete' };
  const consent: ConsentState = !type.consent_needed
    ? 'not-needed'
    : input.consent === true
      ? 'given'
      : 'refused';
  const reason = whyNotSent(type, consent);
  const now = new Date();
  const request = await trx
    .insertInto('evidence_requests')
    .values({
      type_id: type.id,
      answering_organisation_id: type.organisation_id,
      requesting_organisation_id: input.requestingOrganisationId,
      user_id: input.userId,
      journey_key: input.journeyKey,
      subject: JSON.stringify(subject.data),
      subject_key: subject.key,
      subject_digest: digestOf({ type: type.code, subject: subject.data }),
      consent,
      consent_at: consent === 'not-needed' ? null : now,
      status: reason ? 'not-sent' : 'waiting',
      reason,
      due_at: new Date(now.getTime() + type.sla_seconds * 1000),
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(trx, actor, {
    action: reason ? 'evidence.request.not-sent' : 'evidence.request.made',
    resourceType: 'evidence_request',
    resourceId: request.id,
    subjectUserId: input.userId,
    details: { evidenceType: type.code, consent, reason },
  });
  if (reason) return { ok: false, code: reason, request };
  await enqueue(trx, {
    topic: REQUEST_TOPIC,
    payload: { requestId: request.id },
    idempotencyKey: `${REQUEST_TOPIC}:${request.id}`,
  });
  return { ok: true, request };
}

/**
 * The person withdraws the consent they gave for a request: if it has not gone yet it never
 * will (the sending checks again under a lock); if it has, any answer is refused from now on.
 */
export async function withdrawEvidenceConsent(
  trx: Db,
  input: { userId: string; requestId: string },
  actor: Actor,
): Promise<{ ok: true } | { ok: false; code: 'not-found' | 'not-withdrawable' }> {
  const request = await trx
    .selectFrom('evidence_requests')
    .selectAll()
    .where('id', '=', input.requestId)
    .where('user_id', '=', input.userId)
    .forUpdate()
    .executeTakeFirst();
  if (!request) return { ok: false, code: 'not-found' };
  if (request.consent !== 'given' || !['waiting', 'sent'].includes(request.status))
    return { ok: false, code: 'not-withdrawable' };
  await trx
    .updateTable('evidence_requests')
    .set({
      consent: 'withdrawn',
      consent_at: new Date(),
      status: request.status === 'waiting' ? 'not-sent' : 'failed',
      reason: 'consent-withdrawn',
      updated_at: new Date(),
    })
    .where('id', '=', request.id)
    .execute();
  await recordAudit(trx, actor, {
    action: 'evidence.consent.withdrawn',
    resourceType: 'evidence_request',
    resourceId: request.id,
    subjectUserId: input.userId,
    details: { wasSent: request.status === 'sent' },
  });
  return { ok: true };
}

/** What was signed of an answered request (the record stored with the submission). */
function signedOf(request: EvidenceRequestRow, type: EvidenceTypeRow): SignedAnswer {
  return {
    requestId: request.id,
    evidenceType: type.code,
    answeringOrganisationId: request.answering_organisation_id,
    requestingOrganisationId: request.requesting_organisation_id,
    subjectDigest: request.subject_digest,
    value: request.answer!.value,
    answeredAt: new Date(request.answered_at!).toISOString(),
  };
}

/** The snapshot of an answered request, for the journey to keep with the submission. */
export async function snapshotOf(
  db: Db,
  request: EvidenceRequestRow,
  type: EvidenceTypeRow,
): Promise<EvidenceSnapshot> {
  const body = await findOrganisationById(db, request.answering_organisation_id);
  const signed = signedOf(request, type);
  return {
    kind: 'evidence',
    ...signed,
    answeringBody: { en: body?.name ?? '', cy: body?.name_cy || body?.name || '' },
    statement: statementWords(type, signed.value),
    signature: request.signature!,
  };
}

/**
 * True when a snapshot (from a submission's answers) is exactly what Joinedup signed: its
 * value, date, type, bodies and subject unchanged.
 */
export function verifyEvidenceSnapshot(secrets: SecretSource, snapshot: EvidenceSnapshot): boolean {
  if (!snapshot || snapshot.kind !== 'evidence' || typeof snapshot.signature !== 'string')
    return false;
  return verifyAnswer(
    secrets,
    {
      requestId: snapshot.requestId,
      evidenceType: snapshot.evidenceType,
      answeringOrganisationId: snapshot.answeringOrganisationId,
      requestingOrganisationId: snapshot.requestingOrganisationId,
      subjectDigest: snapshot.subjectDigest,
      value: snapshot.value,
      answeredAt: snapshot.answeredAt,
    },
    snapshot.signature,
  );
}

export type AnswerOutcome =
  | { ok: true; request: EvidenceRequestRow }
  | {
      ok: false;
      code:
        'not-found' | 'not-awaiting-answer' | 'too-late' | 'consent-withdrawn' | 'invalid-value';
    };

/**
 * Records the answering body's answer (from its table, its webhook's call back, or its pull
 * client), in the caller's transaction with the request locked: only while it waits for an
 * answer, within its time, with consent still live; the value must be of the type's kind. The
 * answer is time-stamped and signed, and the answer is written to the person's access log.
 */
export async function answerEvidenceRequest(
  trx: Db,
  secrets: SecretSource,
  input: {
    requestId: string;
    organisationId: string;
    value: unknown;
    via: EvidenceRequestRow['via'];
  },
  actor: Actor,
  now = new Date(),
): Promise<AnswerOutcome> {
  const request = await trx
    .selectFrom('evidence_requests')
    .selectAll()
    .where('id', '=', input.requestId)
    .where('answering_organisation_id', '=', input.organisationId)
    .forUpdate()
    .executeTakeFirst();
  if (!request) return { ok: false, code: 'not-found' };
  if (request.consent === 'withdrawn') return { ok: false, code: 'consent-withdrawn' };
  if (request.status !== 'sent' && !(request.status === 'waiting' && input.via === 'table'))
    return { ok: false, code: 'not-awaiting-answer' };
  if (now > request.due_at) {
    await trx
      .updateTable('evidence_requests')
      .set({ status: 'failed', reason: 'no-answer-in-time', updated_at: now })
      .where('id', '=', request.id)
      .execute();
    return { ok: false, code: 'too-late' };
  }
  const type = await trx
    .selectFrom('evidence_types')
    .selectAll()
    .where('id', '=', request.type_id)
    .executeTakeFirstOrThrow();
  const value = parseAnswerValue(type.answer_kind, input.value);
  if (value === undefined) return { ok: false, code: 'invalid-value' };
  // Whole seconds: what is signed is exactly what is stored and shown.
  const answeredAt = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const answered = { ...request, answer: { value }, answered_at: answeredAt };
  const signature = signAnswer(secrets, signedOf(answered, type));
  const row = await trx
    .updateTable('evidence_requests')
    .set({
      status: 'answered',
      answer: JSON.stringify({ value }),
      answered_at: answeredAt,
      signature,
      via: input.via,
      sent_at: request.sent_at ?? answeredAt,
      updated_at: now,
    })
    .where('id', '=', request.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(trx, actor, {
    action: 'evidence.answer.read',
    resourceType: 'evidence_request',
    resourceId: request.id,
    subjectUserId: request.user_id,
    details: {
      subject: type.name,
      evidenceType: type.code,
      answeringOrganisationId: request.answering_organisation_id,
      requestingOrganisationId: request.requesting_organisation_id,
    },
  });
  return { ok: true, request: row };
}

/** Marks a request failed (the body did not answer in time, or kept failing); no more is sent. */
export async function failRequest(
  db: Db,
  requestId: string,
  reason: string,
  actor: Actor = SYSTEM,
): Promise<void> {
  const result = await db
    .updateTable('evidence_requests')
    .set({ status: 'failed', reason, updated_at: sql<Date>`now()` })
    .where('id', '=', requestId)
    .where('status', 'in', ['waiting', 'sent'])
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return;
  const request = await db
    .selectFrom('evidence_requests')
    .select(['user_id'])
    .where('id', '=', requestId)
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, {
    action: 'evidence.request.failed',
    resourceType: 'evidence_request',
    resourceId: requestId,
    subjectUserId: request.user_id,
    details: { reason },
  });
}
