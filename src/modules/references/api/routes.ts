/**
 * The reference index API for bodies' back offices, with their hub `receive` key: register the
 * body's reference for a person or a business, see where a registration stands, and look up the
 * basic identity set of a person by the body's own pseudonymous identifier (in the person's
 * access log). See docs/guides/reference-index.md.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { recordAudit, type Actor } from '../../../platform/audit/audit.js';
import { AppError } from '../../../platform/errors/errors.js';
import { apiRoute, ApiValidationError } from '../../../platform/http/api.js';
import type { AppContext } from '../../../platform/http/types.js';
import { authenticateHubKey, type HubCaller } from '../../submissions/index.js';
import {
  readBusinessFacts,
  readPersonFacts,
  readReference,
  type ReasonedError,
} from '../commands/facts.js';
import { registerBusinessReference, registerPersonReference } from '../commands/register.js';
import {
  LINK_METHODS,
  QUEUE_REASONS,
  RECORD_STATUSES,
  type ReferenceRecordRow,
} from '../db/tables.js';
import { mayUseReferenceApi } from '../policies/references.js';
import { pseudonymFor, userOfPseudonym } from '../pseudonyms.js';
import { identitySetFor } from '../queries/identity-set.js';
import { bodyHoldsLink, linkedPersonByReference } from '../queries/records.js';

const TAG = 'Reference index';
const KEYS = [{ hubApiKey: [] }];
const Typed = z.string().max(200).optional();

const PersonRegistration = z
  .object({
    /** The body's own reference for its record of the person (a customer number). */
    reference: z.string().max(200),
    givenName: Typed,
    familyName: Typed,
    /** YYYY-MM-DD */
    dateOfBirth: Typed,
    postcode: Typed,
    uprn: Typed,
    nationalInsuranceNumber: Typed,
  })
  .strict();

const BusinessRegistration = z
  .object({
    reference: z.string().max(200),
    name: Typed,
    companyNumber: Typed,
    utr: Typed,
    vatNumber: Typed,
    charityNumber: Typed,
  })
  .strict();

const Registered = z.object({
  id: z.uuid(),
  reference: z.string(),
  status: z.enum(RECORD_STATUSES),
  linkedBy: z.enum(LINK_METHODS).nullable(),
  queueReason: z.enum(QUEUE_REASONS).nullable(),
  /** The body's own identifier for the person, once linked; null otherwise. */
  pseudonym: z.string().nullable(),
  created: z.boolean(),
});

const IdentitySetSchema = z.object({
  pseudonym: z.string(),
  givenName: z.string(),
  familyName: z.string(),
  dateOfBirth: z.string(),
  address: z.object({
    lines: z.array(z.string()),
    town: z.string(),
    postcode: z.string(),
    uprn: z.string().nullable(),
  }),
  nationalInsuranceNumber: z.string().nullable(),
});

/** A refused field with its reason: `nationalInsuranceNumber`, `check-digit`. */
class ReferenceValidationError extends ApiValidationError {
  constructor(readonly reasoned: ReasonedError[]) {
    super(reasoned.map((e) => ({ field: apiField(e.field), message: `${e.reason}` })));
  }
}

/** The API's name of a field the shared reader calls by its form name. */
function apiField(field: string): string {
  return field === 'nino' ? 'nationalInsuranceNumber' : field;
}

async function referenceErrorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  if (!(error instanceof ReferenceValidationError)) throw error;
  return reply.code(400).send({
    status_code: 400,
    errors: error.reasoned.map((e) => ({
      error: 'validation_error',
      field: apiField(e.field),
      reason: e.reason,
      message: request.t ? request.t(e.message) : e.message,
    })),
    request_id: request.id,
  });
}

function actorOf(request: FastifyRequest, caller: HubCaller): Actor {
  return {
    userId: null,
    organisationId: caller.organisationId,
    role: `hub-key:${caller.scope}`,
    requestId: request.id,
  };
}

async function backOffice(context: AppContext, request: FastifyRequest): Promise<HubCaller> {
  const caller = await authenticateHubKey(context.db, request.headers.authorization);
  if (!mayUseReferenceApi(caller))
    throw new AppError('insufficient_scope', 403, 'Only the body’s receive key may do this');
  return caller;
}

export function referencesApiRoutes(app: FastifyInstance, context: AppContext): void {
  const { db, config } = context;

  async function registeredView(record: ReferenceRecordRow, created: boolean) {
    return {
      id: record.id,
      reference: record.reference,
      status: record.status,
      linkedBy: record.link_method,
      queueReason: record.queue_reason,
      pseudonym:
        record.status === 'linked' && record.user_id
          ? await pseudonymFor(db, config, record.organisation_id, record.user_id)
          : null,
      created,
    };
  }

  void app.register(async (api) => {
    api.setErrorHandler(referenceErrorHandler);

    apiRoute(api, {
      method: 'POST',
      url: '/api/v1/references/people',
      summary:
        'Register the body’s reference for a person with the basic identity set it holds: linked to their account only when every fact matches exactly, otherwise queued for the body’s staff.',
      tag: TAG,
      body: PersonRegistration,
      security: KEYS,
      authenticate: (request) => backOffice(context, request),
      response: Registered,
      // 200 whether new or registered before (`created` says which): registering is idempotent.
      successStatus: 200,
      handler: async ({ body, caller }, request) => {
        const reference = readReference(body.reference);
        const facts = await readPersonFacts(
          db,
          { ...body, nino: body.nationalInsuranceNumber },
          new Date().toISOString().slice(0, 10),
        );
        const errors = [
          ...(reference.ok ? [] : reference.errors),
          ...(facts.ok ? [] : facts.errors),
        ];
        if (errors.length > 0 || !reference.ok || !facts.ok)
          throw new ReferenceValidationError(errors);
        const outcome = await db.transaction().execute((trx) =>
          registerPersonReference(
            trx,
            actorOf(request, caller),
            {
              organisationId: caller.organisationId,
              reference: reference.value,
              registeredByKey: caller.keyId,
            },
            facts.value,
          ),
        );
        return registeredView(outcome.record, outcome.created);
      },
    });

    apiRoute(api, {
      method: 'POST',
      url: '/api/v1/references/businesses',
      summary:
        'Register the body’s reference for a business with its Companies House number, UTR, VAT number or charity number (validated): linked to the business account that holds them.',
      tag: TAG,
      body: BusinessRegistration,
      security: KEYS,
      authenticate: (request) => backOffice(context, request),
      response: Registered,
      successStatus: 200,
      handler: async ({ body, caller }, request) => {
        const reference = readReference(body.reference);
        const facts = readBusinessFacts(body);
        const errors = [
          ...(reference.ok ? [] : reference.errors),
          ...(facts.ok ? [] : facts.errors),
        ];
        if (errors.length > 0 || !reference.ok || !facts.ok)
          throw new ReferenceValidationError(errors);
        const outcome = await db.transaction().execute((trx) =>
          registerBusinessReference(
            trx,
            actorOf(request, caller),
            {
              organisationId: caller.organisationId,
              reference: reference.value,
              registeredByKey: caller.keyId,
            },
            facts.value,
          ),
        );
        return registeredView(outcome.record, outcome.created);
      },
    });

    apiRoute(api, {
      method: 'GET',
      url: '/api/v1/references/people/by-reference/:reference',
      summary:
        'Where the body’s registration of a reference stands: linked (with the body’s pseudonymous identifier for the person), queued, unmatched or rejected.',
      tag: TAG,
      params: z.object({ reference: z.string().min(1).max(100) }),
      security: KEYS,
      authenticate: (request) => backOffice(context, request),
      response: Registered,
      handler: async ({ params, caller }) => {
        const linked = await linkedPersonByReference(db, caller.organisationId, params.reference);
        const record =
          linked ??
          (await db
            .selectFrom('reference_records')
            .selectAll()
            .where('organisation_id', '=', caller.organisationId)
            .where('subject', '=', 'person')
            .where('reference', '=', params.reference)
            .where('status', '<>', 'ended')
            .orderBy('created_at', 'desc')
            .executeTakeFirst());
        if (!record) throw new AppError('not_found', 404, 'No registration of that reference');
        return registeredView(record, false);
      },
    });

    apiRoute(api, {
      method: 'GET',
      url: '/api/v1/references/people/:pseudonym',
      summary:
        'The basic identity set (name, date of birth, address with UPRN, National Insurance number) of a person the body holds a link to, by the body’s own pseudonymous identifier. Every look-up is in the person’s access log.',
      tag: TAG,
      params: z.object({ pseudonym: z.string().min(1).max(100) }),
      security: KEYS,
      authenticate: (request) => backOffice(context, request),
      response: IdentitySetSchema,
      handler: async ({ params, caller }, request) => {
        const userId = await userOfPseudonym(db, caller.organisationId, params.pseudonym);
        // Another body's identifier, or a person the body no longer holds a link to: not found.
        if (!userId || !(await bodyHoldsLink(db, caller.organisationId, userId)))
          throw new AppError('not_found', 404, 'No person linked to your body by that identifier');
        const set = await identitySetFor(db, userId);
        if (!set)
          throw new AppError('not_found', 404, 'No person linked to your body by that identifier');
        await recordAudit(db, actorOf(request, caller), {
          action: 'references.identity.viewed',
          resourceType: 'user',
          resourceId: userId,
          subjectUserId: userId,
          details: { subject: 'identity set' },
        });
        return {
          pseudonym: params.pseudonym,
          givenName: set.givenName,
          familyName: set.familyName,
          dateOfBirth: set.dateOfBirth,
          address: set.address,
          nationalInsuranceNumber: set.nino,
        };
      },
    });
  });
}
