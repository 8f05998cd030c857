import { recordAudit, type Actor } from '../../platform/audit/audit.js';
import type { Config } from '../../platform/config/config.js';
import type { Db } from '../../platform/db/database.js';
import { PermanentFailure, type OutboxHandler } from '../../platform/outbox/outbox.js';
import { findOrganisationById } from '../organisations/index.js';
import {
  activeSecrets,
  postWebhook,
  SIGNATURE_HEADER,
  signatureHeader,
  webhookSecrets,
  WEBHOOK_TIMEOUT_MS,
} from '../submissions/index.js';
import { answerEvidenceRequest, failRequest, SYSTEM } from './commands/requests.js';
import type { EvidenceRequestRow, EvidenceTypeRow } from './db/tables.js';
import { whyNotSent } from './policies/evidence.js';

/** What the answering body receives: the question, the minimal subject, the legal basis and where to answer. */
export interface EvidenceRequestMessage {
  id: string;
  evidenceType: string;
  question: string;
  subject: Record<string, string>;
  legalBasis: { text: string; reference: string };
  consent: EvidenceRequestRow['consent'];
  requestedBy: { id: string; name: string };
  requestedAt: string;
  dueAt: string;
  answerKind: EvidenceTypeRow['answer_kind'];
  answer: string;
}

export async function requestMessage(
  db: Db,
  request: EvidenceRequestRow,
  type: EvidenceTypeRow,
  baseUrl: string,
): Promise<EvidenceRequestMessage> {
  const requester = await findOrganisationById(db, request.requesting_organisation_id);
  return {
    id: request.id,
    evidenceType: type.code,
    question: type.wording.ask.en,
    subject: request.subject,
    legalBasis: { text: type.legal_basis, reference: type.legal_basis_reference },
    consent: request.consent,
    requestedBy: { id: request.requesting_organisation_id, name: requester?.name ?? '' },
    requestedAt: new Date(request.created_at).toISOString(),
    dueAt: new Date(request.due_at).toISOString(),
    answerKind: type.answer_kind,
    answer: `${baseUrl}/api/v1/evidence/requests/${request.id}/answer`,
  };
}

/** The requesting body's read, in the person's access log: who asked, whom, what type — not more. */
async function recordSent(trx: Db, request: EvidenceRequestRow, type: EvidenceTypeRow) {
  const actor: Actor = {
    userId: null,
    organisationId: request.requesting_organisation_id,
    role: 'system',
  };
  await recordAudit(trx, actor, {
    action: 'evidence.request.read',
    resourceType: 'evidence_request',
    resourceId: request.id,
    subjectUserId: request.user_id,
    details: {
      subject: type.name,
      evidenceType: type.code,
      answeringOrganisationId: request.answering_organisation_id,
      requestingOrganisationId: request.requesting_organisation_id,
      via: type.answered_by,
    },
  });
}

/**
 * The `evidence.request` handler. Under a lock on the request it checks again that it may be
 * sent (type published with a legal basis, consent live, still within its time) and then:
 * answers it from the body's table at once; or puts it in the body's pull queue; or POSTs it to
 * the body's webhook signed with the hub's secrets (`Joinedup-Signature`, `Idempotency-Key`),
 * the body answering later at the `answer` address. A failed POST puts it back and throws, so
 * the outbox retries it with backoff until its time is up; then it is failed and the journey
 * asks the person for evidence instead.
 */
export function evidenceRequestHandler(config: Config): OutboxHandler {
  const handler: OutboxHandler = async (payload, { db }) => {
    const requestId = String(payload.requestId);
    const now = new Date();
    const step = await db.transaction().execute(async (trx) => {
      const request = await trx
        .selectFrom('evidence_requests')
        .selectAll()
        .where('id', '=', requestId)
        .forUpdate()
        .executeTakeFirst();
      if (!request || request.status !== 'waiting') return { kind: 'done' as const };
      const type = await trx
        .selectFrom('evidence_types')
        .selectAll()
        .where('id', '=', request.type_id)
        .executeTakeFirstOrThrow();
      const reason = whyNotSent(type, request.consent);
      if (reason) {
        await trx
          .updateTable('evidence_requests')
          .set({ status: 'not-sent', reason, updated_at: now })
          .where('id', '=', request.id)
          .execute();
        await recordAudit(trx, SYSTEM, {
          action: 'evidence.request.not-sent',
          resourceType: 'evidence_request',
          resourceId: request.id,
          subjectUserId: request.user_id,
          details: { evidenceType: type.code, reason },
        });
        return { kind: 'done' as const };
      }
      if (now > request.due_at) return { kind: 'late' as const };
      if (request.attempts === 0) await recordSent(trx, request, type);
      if (type.answered_by === 'table') {
        const row = await trx
          .selectFrom('evidence_table_rows')
          .select('answer')
          .where('type_id', '=', type.id)
          .where('subject_key', '=', request.subject_key)
          .executeTakeFirst();
        await trx
          .updateTable('evidence_requests')
          .set({ attempts: request.attempts + 1, via: 'table', sent_at: now, updated_at: now })
          .where('id', '=', request.id)
          .execute();
        if (!row) return { kind: 'not-found' as const };
        const answered = await answerEvidenceRequest(
          trx,
          config,
          {
            requestId: request.id,
            organisationId: request.answering_organisation_id,
            value: row.answer.value,
            via: 'table',
          },
          { userId: null, organisationId: request.answering_organisation_id, role: 'system' },
          now,
        );
        if (!answered.ok) return { kind: 'not-found' as const };
        return { kind: 'done' as const };
      }
      await trx
        .updateTable('evidence_requests')
        .set({
          status: 'sent',
          via: type.answered_by,
          sent_at: now,
          attempts: request.attempts + 1,
          updated_at: now,
        })
        .where('id', '=', request.id)
        .execute();
      if (type.answered_by === 'pull') return { kind: 'done' as const };
      return { kind: 'post' as const, request, type };
    });
    if (step.kind === 'late') return failRequest(db, requestId, 'no-answer-in-time');
    if (step.kind === 'not-found') return failRequest(db, requestId, 'subject-not-found');
    if (step.kind === 'done') return;
    const { request, type } = step;
    const secrets = (await activeSecrets(db, request.answering_organisation_id)).flatMap((s) =>
      webhookSecrets(config, s.id),
    );
    if (!secrets.length) {
      await failRequest(db, requestId, 'no-signing-secret');
      return;
    }
    const body = JSON.stringify(await requestMessage(db, request, type, config.baseUrl));
    const remaining = new Date(request.due_at).getTime() - Date.now();
    try {
      const status = await postWebhook({
        url: type.webhook_url!,
        headers: {
          'content-type': 'application/json',
          'idempotency-key': request.id,
          [SIGNATURE_HEADER.toLowerCase()]: signatureHeader(
            secrets,
            Math.floor(Date.now() / 1000),
            body,
          ),
        },
        body,
        timeoutMs: Math.max(1000, Math.min(WEBHOOK_TIMEOUT_MS, remaining)),
        allowPrivate: config.hubAllowPrivateWebhooks,
      });
      if (status < 200 || status >= 300)
        throw new Error(`The answering body's webhook answered ${status}`);
    } catch (error) {
      if (error instanceof PermanentFailure) {
        await failRequest(db, requestId, 'webhook-refused');
        return;
      }
      // Back to waiting (unless answered or withdrawn meanwhile): the outbox tries again.
      await db
        .updateTable('evidence_requests')
        .set({ status: 'waiting', reason: 'body-not-answering', updated_at: new Date() })
        .where('id', '=', requestId)
        .where('status', '=', 'sent')
        .execute();
      if (Date.now() > new Date(request.due_at).getTime())
        return failRequest(db, requestId, 'body-not-answering');
      throw error;
    }
  };
  handler.maxAgeMs = 24 * 3600 * 1000;
  handler.onDead = async (payload, { db }) => {
    await failRequest(db, String(payload.requestId), 'body-not-answering');
  };
  return handler;
}
