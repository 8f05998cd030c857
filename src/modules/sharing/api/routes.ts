import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../../../platform/audit/audit.js';
import { AppError } from '../../../platform/errors/errors.js';
import { apiRoute, ApiValidationError } from '../../../platform/http/api.js';
import type { AppContext } from '../../../platform/http/types.js';
import { authenticateHubKey, type HubCaller } from '../../submissions/index.js';
import { answerDelivery, ANSWERS } from '../commands/changes.js';
import { declareRelationship, endRelationship } from '../commands/relationships.js';
import { EVENT_TYPES } from '../db/tables.js';
import { pullInbox } from '../delivery.js';
import { isUuid } from '../../../platform/validation/uuid.js';
import { mayReceiveChanges } from '../policies/sharing.js';

const TAG = 'Tell us once';
const KEYS = [{ hubApiKey: [] }];
const Reference = z.string().trim().min(1).max(100);

const Declare = z
  .object({
    /** The body's own reference for the person's record. */
    reference: Reference,
    /** What ties it to the person exactly: one of the two. */
    match: z.union([
      z.object({ enrolmentReference: Reference }).strict(),
      z.object({ submissionReference: Reference }).strict(),
    ]),
  })
  .strict();

const Declared = z.object({
  id: z.uuid(),
  reference: z.string(),
  matchedBy: z.enum(['enrolment', 'submission', 'demo']),
  created: z.boolean(),
});

const SharedChange = z.object({
  id: z.uuid(),
  cursor: z.string(),
  type: z.enum(EVENT_TYPES),
  reference: z.string(),
  reportedAt: z.string(),
  yourReference: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  agreement: z.object({ id: z.uuid(), legalBasis: z.string(), purpose: z.string() }),
  acknowledge: z.string(),
});

const Answer = z
  .object({
    status: z.enum(ANSWERS),
    /** Why, for `failed` (required then): e.g. `person-not-known`. */
    reason: z.string().trim().min(1).max(500).optional(),
  })
  .strict();

function actorOf(request: FastifyRequest, caller: HubCaller): Actor {
  return {
    userId: null,
    organisationId: caller.organisationId,
    role: `hub-key:${caller.scope}`,
    requestId: request.id,
  };
}

async function receiver(context: AppContext, request: FastifyRequest): Promise<HubCaller> {
  const caller = await authenticateHubKey(context.db, request.headers.authorization);
  if (!mayReceiveChanges(caller))
    throw new AppError('insufficient_scope', 403, 'Only the body’s receive key may do this');
  return caller;
}

/**
 * The tell-us-once API for bodies' back offices, with their hub `receive` key: declare which
 * of their records is which person (matched exactly), take changes from the pull inbox, and
 * answer each (acknowledged, updated, failed). See docs/guides/tell-us-once.md.
 */
export function sharingApiRoutes(app: FastifyInstance, context: AppContext): void {
  const { db, config } = context;

  apiRoute(app, {
    method: 'POST',
    url: '/api/v1/sharing/relationships',
    summary:
      'Declare that one of the body’s records is a person’s, matched by the reference of a record they enrolled into or an application they sent the body.',
    tag: TAG,
    body: Declare,
    security: KEYS,
    authenticate: (request) => receiver(context, request),
    response: Declared,
    // 200 whether just made or declared before (`created` says which): declaring is idempotent.
    successStatus: 200,
    handler: async ({ body, caller }, request) => {
      const outcome = await db
        .transaction()
        .execute((trx) =>
          declareRelationship(
            trx,
            caller.organisationId,
            { reference: body.reference, match: body.match, keyId: caller.keyId },
            actorOf(request, caller),
          ),
        );
      if (!outcome.ok)
        throw outcome.code === 'person_not_found'
          ? new AppError(
              'person_not_found',
              404,
              'No person is linked to your body by that reference',
            )
          : new AppError(
              'reference_in_use',
              409,
              'That reference of yours is already tied to another person',
            );
      return {
        id: outcome.relationship.id,
        reference: outcome.relationship.body_reference,
        matchedBy: outcome.relationship.matched_by,
        created: outcome.created,
      };
    },
  });

  apiRoute(app, {
    method: 'DELETE',
    url: '/api/v1/sharing/relationships/:reference',
    summary: 'End a relationship the body declared: it is no longer told of the person’s changes.',
    tag: TAG,
    params: z.object({ reference: Reference }),
    security: KEYS,
    authenticate: (request) => receiver(context, request),
    response: z.object({ ended: z.literal(true) }),
    handler: async ({ params, caller }, request) => {
      const ended = await db
        .transaction()
        .execute((trx) =>
          endRelationship(trx, caller.organisationId, params.reference, actorOf(request, caller)),
        );
      if (!ended) throw new AppError('not_found', 404, 'No relationship with that reference');
      return { ended: true as const };
    },
  });

  apiRoute(app, {
    method: 'GET',
    url: '/api/v1/sharing/inbox',
    summary:
      'Changes for the body not yet answered, oldest first, a page at a time (`after` = the last cursor seen).',
    tag: TAG,
    query: z.object({
      after: z
        .string()
        .regex(/^\d{1,18}$/)
        .optional(),
      limit: z.coerce.number().int().min(1).max(100).default(50),
    }),
    security: KEYS,
    authenticate: (request) => receiver(context, request),
    response: z.object({
      changes: z.array(SharedChange),
      cursor: z.string().nullable(),
      more: z.boolean(),
    }),
    handler: async ({ query, caller }, request) => {
      const page = await pullInbox(
        db,
        caller.organisationId,
        Number(query.after ?? 0),
        query.limit,
        actorOf(request, caller),
        config.baseUrl,
      );
      return {
        changes: page.items,
        cursor: page.items.at(-1)?.cursor ?? query.after ?? null,
        more: page.more,
      };
    },
  });

  apiRoute(app, {
    method: 'POST',
    url: '/api/v1/sharing/deliveries/:id/answer',
    summary:
      'Answer a change the body was sent: `acknowledged`, `updated` (its record changed) or `failed` with a reason.',
    tag: TAG,
    params: z.object({ id: z.string() }),
    body: Answer,
    security: KEYS,
    authenticate: (request) => receiver(context, request),
    response: z.object({ id: z.uuid(), status: z.string() }),
    successStatus: 200,
    handler: async ({ params, body, caller }, request) => {
      if (body.status === 'failed' && !body.reason)
        throw new ApiValidationError([
          { field: 'body.reason', message: 'Say why it failed, e.g. person-not-known' },
        ]);
      if (!isUuid(params.id)) throw new AppError('not_found', 404, 'No such change for your body');
      const outcome = await db
        .transaction()
        .execute((trx) =>
          answerDelivery(
            trx,
            caller.organisationId,
            params.id,
            body,
            actorOf(request, caller),
            config.baseUrl,
          ),
        );
      if (!outcome.ok)
        throw outcome.code === 'not_found'
          ? new AppError('not_found', 404, 'No such change for your body')
          : new AppError(
              'answer_not_allowed',
              409,
              outcome.code === 'already_final'
                ? 'The change already has a final answer'
                : 'The change has not been sent yet',
            );
      context.wakeOutbox();
      return { id: outcome.delivery.id, status: outcome.delivery.status };
    },
  });
}
