import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../../../platform/audit/audit.js';
import { AppError } from '../../../platform/errors/errors.js';
import { apiRoute, apiSecurityScheme, ApiValidationError } from '../../../platform/http/api.js';
import type { AppContext } from '../../../platform/http/types.js';
import { listOrganisationsByIds } from '../../organisations/index.js';
import {
  activeSecrets,
  authenticateHubKey,
  SIGNATURE_HEADER,
  verifySignature,
  webhookSecrets,
  type HubCaller,
} from '../../submissions/index.js';
import { answerEvidenceRequest, failRequest } from '../commands/requests.js';
import { deleteTableRow, MAX_TABLE_ROWS, upsertTableRows } from '../commands/table.js';
import { ANSWER_KINDS, ANSWERED_BY, SUBJECT_KINDS } from '../db/tables.js';
import { requestMessage } from '../delivery.js';
import { mayAnswerFor } from '../policies/evidence.js';
import { pullQueue, typeOfBody } from '../queries/requests.js';
import { canonicalJson } from '../signing.js';
import { isUuid } from '../../../platform/validation/uuid.js';

const TAG = 'Evidence exchange';
const KEYS = [{ hubApiKey: [] }];

const Value = z.union([z.boolean(), z.number().finite(), z.string().max(200)]);

const RequestMessage = z.object({
  id: z.uuid(),
  evidenceType: z.string(),
  question: z.string(),
  subject: z.record(z.string(), z.string()),
  legalBasis: z.object({ text: z.string(), reference: z.string() }),
  consent: z.enum(['not-needed', 'given', 'refused', 'withdrawn']),
  requestedBy: z.object({ id: z.uuid(), name: z.string() }),
  requestedAt: z.string(),
  dueAt: z.string(),
  answerKind: z.enum(ANSWER_KINDS),
  answer: z.string(),
});

const Answer = z.union([
  z.object({ value: Value }).strict(),
  /** The body holds no record of the subject: the journey asks the person for evidence. */
  z.object({ notFound: z.literal(true) }).strict(),
]);

const Rows = z
  .object({
    rows: z
      .array(z.object({ subject: z.string().max(100), value: Value }).strict())
      .min(1)
      .max(MAX_TABLE_ROWS),
  })
  .strict();

const PublishedType = z.object({
  code: z.string(),
  name: z.object({ en: z.string(), cy: z.string() }),
  body: z.object({ id: z.uuid(), name: z.string() }),
  subjectKind: z.enum(SUBJECT_KINDS),
  answerKind: z.enum(ANSWER_KINDS),
  answeredBy: z.enum(ANSWERED_BY),
  legalBasis: z.object({ text: z.string(), reference: z.string() }),
  consentNeeded: z.boolean(),
  slaSeconds: z.number().int(),
});

function actorOf(request: FastifyRequest, organisationId: string, role: string): Actor {
  return { userId: null, organisationId, role, requestId: request.id };
}

async function receiver(context: AppContext, request: FastifyRequest): Promise<HubCaller> {
  const caller = await authenticateHubKey(context.db, request.headers.authorization);
  if (caller.scope !== 'receive')
    throw new AppError('insufficient_scope', 403, 'Only the body’s receive key may do this');
  return caller;
}

/**
 * Who answers a request for evidence: the body's receive key, or, without an `Authorization`
 * header, a webhook body's call back signed (`Joinedup-Signature`) over the canonical JSON of the
 * body as sent with the webhook secret of the body the request is for.
 */
async function answerer(
  context: AppContext,
  request: FastifyRequest,
): Promise<{ organisationId: string; role: string }> {
  const signature = request.headers[SIGNATURE_HEADER.toLowerCase()];
  if (request.headers.authorization || typeof signature !== 'string') {
    const caller = await receiver(context, request);
    return { organisationId: caller.organisationId, role: 'hub-key:receive' };
  }
  const { id } = request.params as { id: string };
  const target = isUuid(id)
    ? await context.db
        .selectFrom('evidence_requests')
        .select('answering_organisation_id')
        .where('id', '=', id)
        .executeTakeFirst()
    : undefined;
  const secrets = target
    ? (await activeSecrets(context.db, target.answering_organisation_id)).flatMap((s) =>
        webhookSecrets(context.config, s.id),
      )
    : [];
  let signed: string | undefined;
  try {
    signed = canonicalJson(request.body);
  } catch {
    // Not JSON a signature could be over (a number JSON cannot hold): it cannot verify.
  }
  if (!target || signed === undefined || !verifySignature(signature, signed, secrets))
    throw new AppError('unauthorised', 401, 'The signature does not verify');
  return { organisationId: target.answering_organisation_id, role: 'webhook-signature' };
}

/**
 * The evidence exchange API for answering bodies' systems (docs/guides/evidence-exchange.md):
 * the published types; the pull queue and answers, with the body's hub `receive` key (or, for
 * a webhook body's call back, its `Joinedup-Signature`); and the upkeep of a table-answered
 * type's rows.
 */
export function evidenceApiRoutes(app: FastifyInstance, context: AppContext): void {
  const { db, config } = context;
  apiSecurityScheme(app, 'joinedupSignature', {
    type: 'apiKey',
    in: 'header',
    name: SIGNATURE_HEADER,
    description:
      'An answering body’s call back: `t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<canonical JSON body>">` under its webhook signing secret.',
  });

  apiRoute(app, {
    method: 'GET',
    url: '/api/v1/evidence/types',
    summary:
      'The evidence types bodies answer, for form writers: who answers, about whom, on what legal basis.',
    tag: TAG,
    response: z.object({ types: z.array(PublishedType) }),
    handler: async () => {
      const types = await db
        .selectFrom('evidence_types')
        .selectAll()
        .where('status', '=', 'published')
        .orderBy('code')
        .execute();
      const bodies = new Map(
        (
          await listOrganisationsByIds(
            db,
            types.map((t) => t.organisation_id),
          )
        ).map((o) => [o.id, o.name]),
      );
      return {
        types: types.map((t) => ({
          code: t.code,
          name: { en: t.name, cy: t.name_cy },
          body: { id: t.organisation_id, name: bodies.get(t.organisation_id) ?? '' },
          subjectKind: t.subject_kind,
          answerKind: t.answer_kind,
          answeredBy: t.answered_by,
          legalBasis: { text: t.legal_basis, reference: t.legal_basis_reference },
          consentNeeded: t.consent_needed,
          slaSeconds: t.sla_seconds,
        })),
      };
    },
  });

  apiRoute(app, {
    method: 'GET',
    url: '/api/v1/evidence/requests',
    summary: 'The body’s pull queue: requests for evidence waiting for its answer, oldest first.',
    tag: TAG,
    query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(50) }),
    security: KEYS,
    authenticate: (request) => receiver(context, request),
    response: z.object({ requests: z.array(RequestMessage) }),
    handler: async ({ query, caller }) => {
      const queue = await pullQueue(db, caller.organisationId, query.limit);
      return {
        requests: await Promise.all(
          queue.map((q) => requestMessage(db, q.request, q.type, config.baseUrl)),
        ),
      };
    },
  });

  apiRoute(app, {
    method: 'POST',
    url: '/api/v1/evidence/requests/:id/answer',
    summary:
      'Answer a request for evidence: `{ "value": … }` (yes/no as true/false, or the one value), or `{ "notFound": true }`. With the body’s receive key, or signed with its webhook secret (`Joinedup-Signature` over the canonical JSON of the body).',
    tag: TAG,
    params: z.object({ id: z.string() }),
    body: Answer,
    security: [...KEYS, { joinedupSignature: [] }],
    // A signature is over the body, so it is checked once the body is read (not yet validated).
    authenticateOn: 'preValidation',
    authenticate: (request) => answerer(context, request),
    response: z.object({ id: z.uuid(), status: z.string() }),
    successStatus: 200,
    handler: async ({ params, body, caller }, request) => {
      const { organisationId, role } = caller;
      if (!isUuid(params.id)) throw new AppError('not_found', 404, 'No such request for your body');
      const owned = await db
        .selectFrom('evidence_requests')
        .select(['id', 'answering_organisation_id'])
        .where('id', '=', params.id)
        .executeTakeFirst();
      if (
        !owned ||
        !mayAnswerFor(
          { keyId: '', organisationId, scope: 'receive' },
          owned.answering_organisation_id,
        )
      )
        throw new AppError('not_found', 404, 'No such request for your body');
      if ('notFound' in body) {
        await failRequest(
          db,
          params.id,
          'subject-not-found',
          actorOf(request, organisationId, role),
        );
        return { id: params.id, status: 'failed' };
      }
      const outcome = await db.transaction().execute((trx) =>
        answerEvidenceRequest(
          trx,
          config,
          {
            requestId: params.id,
            organisationId,
            value: body.value,
            via: role === 'webhook-signature' ? 'webhook' : 'pull',
          },
          actorOf(request, organisationId, role),
        ),
      );
      if (!outcome.ok) {
        if (outcome.code === 'not-found')
          throw new AppError('not_found', 404, 'No such request for your body');
        if (outcome.code === 'invalid-value')
          throw new ApiValidationError([
            { field: 'body.value', message: 'Not a value of the evidence type’s kind' },
          ]);
        throw new AppError(
          'answer_not_allowed',
          409,
          outcome.code === 'too-late'
            ? 'The request is past its time: the person was asked for evidence instead'
            : outcome.code === 'consent-withdrawn'
              ? 'The person withdrew their consent'
              : 'The request is not waiting for an answer',
        );
      }
      return { id: outcome.request.id, status: outcome.request.status };
    },
  });

  apiRoute(app, {
    method: 'PUT',
    url: '/api/v1/evidence/types/:code/rows',
    summary:
      'Add or replace rows of a table-answered type: one answer per subject (NI number, UPRN or company number). All or none.',
    tag: TAG,
    params: z.object({ code: z.string().max(64) }),
    body: Rows,
    security: KEYS,
    authenticate: (request) => receiver(context, request),
    response: z.object({ code: z.string(), rows: z.number().int() }),
    successStatus: 200,
    handler: async ({ params, body, caller }, request) => {
      const type = await typeOfBody(db, caller.organisationId, params.code);
      if (!type || !mayAnswerFor(caller, type.organisation_id))
        throw new AppError('not_found', 404, 'No such evidence type of your body');
      const outcome = await db
        .transaction()
        .execute((trx) =>
          upsertTableRows(
            trx,
            type,
            body.rows,
            actorOf(request, caller.organisationId, 'hub-key:receive'),
          ),
        );
      if (!outcome.ok)
        throw new ApiValidationError(
          outcome.errors.map((e) => ({ field: `body.${e.field}`, message: e.message })),
        );
      return { code: type.code, rows: outcome.count };
    },
  });

  apiRoute(app, {
    method: 'DELETE',
    url: '/api/v1/evidence/types/:code/rows/:subject',
    summary: 'Remove the row of one subject of a table-answered type.',
    tag: TAG,
    params: z.object({ code: z.string().max(64), subject: z.string().max(100) }),
    security: KEYS,
    authenticate: (request) => receiver(context, request),
    response: z.object({ deleted: z.boolean() }),
    handler: async ({ params, caller }, request) => {
      const type = await typeOfBody(db, caller.organisationId, params.code);
      if (!type || !mayAnswerFor(caller, type.organisation_id))
        throw new AppError('not_found', 404, 'No such evidence type of your body');
      const outcome = await db
        .transaction()
        .execute((trx) =>
          deleteTableRow(
            trx,
            type,
            params.subject,
            actorOf(request, caller.organisationId, 'hub-key:receive'),
          ),
        );
      if (!outcome.ok)
        throw new ApiValidationError([
          { field: 'params.subject', message: 'Not a subject of this type' },
        ]);
      return { deleted: outcome.deleted };
    },
  });
}
