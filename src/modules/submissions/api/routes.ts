import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../../../platform/audit/audit.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { notFound } from '../../../platform/errors/errors.js';
import { apiRoute, apiSecurityScheme, ApiValidationError } from '../../../platform/http/api.js';
import { groupCommit } from '../../../platform/db/group-commit.js';
import type { AppContext } from '../../../platform/http/types.js';
import { ukToday } from '../../../platform/validation/validators.js';
import { SUBMISSIONS_SCOPE } from '../../sso/index.js';
import { attachmentApiDownloads, attachmentApiRoutes } from '../../attachments/index.js';
import { createSubmissionBatch, type BatchedSubmission } from '../commands/batch.js';
import { markDelivered } from '../hub/delivery.js';
import { HubError, type HubProblem } from '../hub/errors.js';
import { BusinessInBody, businessForSubmission, formApplicant } from '../hub/business.js';
import { describeUploads } from '../hub/files.js';
import { formsContract } from '../hub/forms.js';
import { inboxPage, statusView } from '../hub/inbox.js';
import {
  authenticateHubRequest,
  isPersonCaller,
  uploaderOf,
  personBodyProblems,
  type ApiCaller,
  type PersonCaller,
} from '../hub/auth.js';
import { authenticateHubKey, hubKeyCache, type HubCaller } from '../hub/keys.js';
import { receivedSubmission } from '../hub/payload.js';
import { submitTargets } from '../hub/targets.js';
import {
  DECISION_OUTCOMES,
  HUB_STATUSES,
  hubStatusOf,
  recordStatusReply,
  REPLY_STATUSES,
} from '../hub/status.js';
import {
  earlierWithKey,
  idempotencyScope,
  requestDigest,
  submitThroughHub,
} from '../hub/submit.js';
import { submissionMails } from '../notifications.js';
import { mayReadStatus, mayReceive, mayReply, maySubmitTo } from '../policies/hub.js';
import { personMayReadStatus } from '../policies/oauth.js';
import { eventsFor, findSubmissionById } from '../queries/submissions.js';
import { isUuid } from '../../../platform/validation/uuid.js';

const TAG = 'Submission hub';
/** Printable ASCII without spaces, as the Idempotency-Key header (draft-ietf-httpapi-idempotency-key-header). */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

const ROUTES = {
  submit: '/api/v1/services/:service/submissions',
  status: '/api/v1/submissions/:id',
  reply: '/api/v1/submissions/:id/status',
  inbox: '/api/v1/inbox',
  ack: '/api/v1/inbox/:id/ack',
} as const;
const HUB_URLS = new Set<string>(Object.values(ROUTES));

const Applicant = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    email: z.email().max(320).optional(),
    phone: z.string().trim().min(1).max(40).optional(),
  })
  .strict();

const NewSubmission = z
  .object({
    answers: z.record(z.string(), z.unknown()),
    applicant: Applicant.optional(),
    /** A label for how it reached the caller, e.g. `counter`, `phone`, `partner-portal`. */
    channel: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._:-]{0,99}$/, 'lower-case letters, digits and . _ : - only')
      .optional(),
    /** A service for businesses: the business or charity it is for (see hub/business.ts). */
    business: BusinessInBody.optional(),
    /** An intermediary acting for a person: its reference for the person's consent. */
    onBehalfOf: z
      .object({
        consentReference: z.string().trim().min(1).max(200),
        name: z.string().trim().min(1).max(200).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

const Accepted = z.object({
  id: z.uuid(),
  reference: z.string(),
  status: z.literal('received'),
  poll: z.string(),
});

const HistoryEntry = z.object({
  status: z.enum(HUB_STATUSES),
  at: z.string(),
  via: z.string().optional(),
  reasons: z.array(z.string()).optional(),
  decision: z.record(z.string(), z.string()).optional(),
});

const Status = z.object({
  id: z.uuid(),
  reference: z.string(),
  status: z.enum(HUB_STATUSES),
  service: z.string().nullable(),
  organisation: z.string().nullable(),
  channel: z.string(),
  submittedAt: z.string(),
  updatedAt: z.string(),
  history: z.array(HistoryEntry),
});

const Reply = z
  .object({
    status: z.enum(REPLY_STATUSES),
    reasons: z.array(z.string().trim().min(1).max(500)).min(1).max(20).optional(),
    decision: z
      .object({
        outcome: z.enum(DECISION_OUTCOMES),
        summary: z.string().trim().min(1).max(2000).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((reply, ctx) => {
    if (reply.status === 'rejected' && !reply.reasons)
      ctx.addIssue({ code: 'custom', path: ['reasons'], message: 'A rejection needs its reasons' });
    if (reply.status === 'decided' && !reply.decision)
      ctx.addIssue({ code: 'custom', path: ['decision'], message: 'A decision needs its outcome' });
    if (reply.status !== 'decided' && reply.decision)
      ctx.addIssue({ code: 'custom', path: ['decision'], message: 'Only a decision has one' });
    if (reply.reasons && reply.status !== 'rejected' && reply.status !== 'decided')
      ctx.addIssue({
        code: 'custom',
        path: ['reasons'],
        message: 'Only a rejection or a decision has reasons',
      });
  });

const Received = z.object({
  id: z.uuid(),
  reference: z.string(),
  submittedAt: z.string(),
  service: z.object({ id: z.string(), slug: z.string().nullable(), title: z.string().nullable() }),
  organisation: z.object({
    id: z.string(),
    slug: z.string().nullable(),
    gssCode: z.string().nullable(),
  }),
  form: z.object({ version: z.number().nullable() }),
  channel: z.string(),
  submittedBy: z.object({ organisation: z.string().nullable() }).nullable(),
  applicant: z.object({
    account: z.boolean(),
    name: z.string().optional(),
    email: z.string().optional(),
    phone: z.string().optional(),
  }),
  business: z
    .object({
      account: z.boolean(),
      name: z.string(),
      type: z.enum(['business', 'charity']).optional(),
      companiesHouseNumber: z.string().optional(),
      charityNumber: z.string().optional(),
    })
    .nullable(),
  onBehalfOf: z.object({ consentReference: z.string(), name: z.string().optional() }).nullable(),
  answers: z.record(z.string(), z.unknown()),
  summary: z.object({
    en: z.array(z.object({ question: z.string(), answer: z.string() })),
    cy: z.array(z.object({ question: z.string(), answer: z.string() })),
  }),
  sha256: z.string().nullable(),
});

const InboxQuery = z
  .object({
    after: z
      .string()
      .regex(/^\d{1,15}$/, 'a cursor from an earlier page')
      .optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .strict();

const InboxPage = z.object({
  submissions: z.array(Received.extend({ cursor: z.string() })),
  cursor: z.string().nullable(),
  more: z.boolean(),
});

const Acknowledged = z.object({ id: z.uuid(), status: z.enum(HUB_STATUSES) });

const IdParams = z.object({ id: z.string() });

const IDEMPOTENCY_KEY_RULE = 'Required: 1 to 255 printable characters, unique to this submission';
const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string({ error: IDEMPOTENCY_KEY_RULE })
    .regex(IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_RULE)
    .describe(
      'Your key for this submission (a UUID is best): the same request again with it gets the same 202; a different request with it, 409',
    ),
});

/** The API document's names for the hub's two kinds of credentials (see declareHubSecurity). */
const KEY = 'hubApiKey';
const PERSON = 'personToken';
/** A body's key, or a person's access token with the `submissions` scope. */
const SENDERS: Record<string, string[]>[] = [{ [KEY]: [] }, { [PERSON]: [SUBMISSIONS_SCOPE] }];
/** A body's key only. */
const KEYS_ONLY: Record<string, string[]>[] = [{ [KEY]: [] }];

/** Declares the hub's credentials in the API document: a body's key, and a person's access token. */
function declareHubSecurity(app: FastifyInstance, baseUrl: string): void {
  apiSecurityScheme(app, KEY, {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'juhub.<key id>.<secret>',
    description:
      'A body’s hub API key, made by its admin at /admin/hub; its scope (submit, submit-any, receive) says what it may do. See docs/guides/submission-hub.md.',
  });
  apiSecurityScheme(app, PERSON, {
    type: 'oauth2',
    description:
      'An access token a person granted a registered relying party through Joinedup’s OpenID Connect provider, sent as Authorization: Bearer <token>. See docs/guides/oauth-submissions.md.',
    flows: {
      authorizationCode: {
        authorizationUrl: `${baseUrl}/oidc/auth`,
        tokenUrl: `${baseUrl}/oidc/token`,
        scopes: {
          [SUBMISSIONS_SCOPE]:
            'Send applications for the person, with their files, and read the status of those sent',
        },
      },
    },
  });
}

/** The key that authenticated each request (set before the body is read). */
const callers = new WeakMap<FastifyRequest, HubCaller>();

function callerOf(request: FastifyRequest): HubCaller {
  const caller = callers.get(request);
  if (!caller) throw new Error('hub route without an authenticated caller');
  return caller;
}

/** A person's access token (sending, reading a status), when it authenticated the request. */
const people = new WeakMap<FastifyRequest, PersonCaller>();

function actorOf(request: FastifyRequest, caller: ApiCaller): Actor {
  if (isPersonCaller(caller))
    return {
      userId: caller.userId,
      organisationId: null,
      role: caller.channel,
      requestId: request.id,
    };
  return {
    userId: null,
    organisationId: caller.organisationId,
    role: `hub-key:${caller.scope}`,
    requestId: request.id,
  };
}

function insufficientScope(message: string): HubError {
  return new HubError('insufficient_scope', 403, message);
}

/**
 * Errors of the hub's routes in the API's envelope, one `errors` entry per problem (every
 * field of a 400 at once, with its Welsh message where the form gives one). Anything else goes
 * on to the app's error handler.
 */
async function hubErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const problems: HubProblem[] =
    error instanceof HubError || error instanceof ApiValidationError ? error.problems : [];
  if (problems.length === 0) throw error;
  request.log.info({ code: error.code, problems: problems.length }, error.message);
  const { code, status } = error as HubError;
  return reply.code(status).send({
    status_code: status,
    errors: problems.map((problem) => ({ error: code, ...problem })),
    request_id: request.id,
  });
}

/**
 * The submission hub's API (`/api/v1`), for bodies' systems with a hub API key:
 * submit (`202` with an Idempotency-Key), read a status with its history, reply with a status,
 * and pull the inbox with a cursor and acknowledge. See docs/guides/submission-hub.md.
 */
export function hubApiRoutes(app: FastifyInstance, { db, config, wakeOutbox }: AppContext): void {
  const mails = submissionMails(config);
  declareHubSecurity(app, config.baseUrl);
  // The service, its published form and the sending body, kept a few seconds (see submitTargets).
  const targets = submitTargets(db, formsContract);
  // Submissions sent at the same moment share one statement and one commit (see groupCommit).
  const storeBatched = groupCommit((batch: BatchedSubmission[]) =>
    createSubmissionBatch(db, batch),
  );
  // The submit route keeps live keys a few seconds (hubKeyCache). A request whose key came from
  // the cache is in `unverified` until the key is checked again: by the statement that stores
  // its submission, or by verifyKey before anything else is stored or answered.
  const submitKeys = hubKeyCache(db);
  const unverified = new WeakSet<FastifyRequest>();
  async function submitKey(request: FastifyRequest, authorization: string | undefined) {
    const { caller, cached } = await submitKeys(authorization);
    if (cached) unverified.add(request);
    return caller;
  }
  async function verifyKey(request: FastifyRequest): Promise<void> {
    if (unverified.delete(request)) await authenticateHubKey(db, request.headers.authorization);
  }
  /** The error to answer with: a 401 if the request's cached key was revoked meanwhile. */
  async function revokedOr(request: FastifyRequest, error: FastifyError): Promise<FastifyError> {
    try {
      await verifyKey(request);
      return error;
    } catch (revoked) {
      if (revoked instanceof HubError) return revoked as unknown as FastifyError;
      throw revoked;
    }
  }

  // The key is checked before the body is read, and errors keep one entry per problem.
  app.addHook('onRoute', (route) => {
    if (!HUB_URLS.has(route.url)) return;
    const existing = route.onRequest ? [route.onRequest].flat() : [];
    route.onRequest = [
      ...existing,
      async (request: FastifyRequest) => {
        // A person's access token may send a submission and read its status; keys do the rest.
        const personAllowed = route.url === ROUTES.submit || route.url === ROUTES.status;
        const caller = await authenticateHubRequest(
          db,
          request.headers.authorization,
          personAllowed,
          route.url === ROUTES.submit ? (text) => submitKey(request, text) : undefined,
        );
        if (isPersonCaller(caller)) people.set(request, caller);
        else callers.set(request, caller);
      },
    ];
    // A key read from the cache is checked again before any refusal is sent: revoked, it is a 401.
    route.errorHandler = async (error: FastifyError, request, reply) =>
      hubErrorHandler(await revokedOr(request, error), request, reply);
  });

  // Files for a submission are uploaded first, with a key that may send submissions.
  if (app.hasDecorator('attachmentServices'))
    attachmentApiRoutes(app, (request) => uploaderOf(db, request.headers.authorization), {
      security: SENDERS,
    });
  // The receiving body's system downloads a submission's files with its receive key.
  if (app.hasDecorator('attachmentServices'))
    attachmentApiDownloads(
      app,
      async (request) => {
        const caller = await authenticateHubKey(db, request.headers.authorization);
        if (!mayReceive(caller))
          throw insufficientScope('Only the receiving body’s receive key downloads files');
        return {
          organisationId: caller.organisationId,
          actor: actorOf(request, caller),
        };
      },
      { security: KEYS_ONLY },
    );

  apiRoute(app, {
    method: 'POST',
    url: ROUTES.submit,
    summary:
      'Send a submission to the body that provides the service (Authorization: Bearer <hub submit key>; Idempotency-Key header required). Answers are checked against the service’s published form; 202 once it is stored.',
    tag: TAG,
    params: z.object({ service: z.string().min(1).max(200) }),
    body: NewSubmission,
    headers: IdempotencyHeaders,
    security: SENDERS,
    response: Accepted,
    successStatus: 202,
    handler: async ({ params, body, headers }, request) => {
      const person = people.get(request);
      const caller: ApiCaller = person ?? callerOf(request);
      const idempotencyKey = headers['idempotency-key'];
      const target = await targets.service(params.service);
      if (!target) throw notFound({ service: params.service });
      const { service } = target;
      if (isPersonCaller(caller)) {
        const problems = personBodyProblems(body);
        if (problems.length)
          throw new HubError(
            'validation_error',
            400,
            'The access token says who and how',
            problems,
          );
      } else if (!maySubmitTo(caller, service.organisationId))
        throw insufficientScope(
          caller.scope === 'receive'
            ? 'A receive key cannot send submissions: use a submit key'
            : 'A submit key sends only to its own organisation’s services',
        );
      if (!isPersonCaller(caller) && caller.scope === 'submit-any' && !body.onBehalfOf)
        throw new HubError('validation_error', 400, 'Say whose behalf you act on', [
          {
            field: 'body.onBehalfOf',
            message: 'Required for an intermediary: your reference for the person’s consent',
          },
        ]);
      let digest: string;
      try {
        digest = requestDigest(service.slug, body);
      } catch {
        throw new HubError('validation_error', 400, 'The body is not valid JSON text', [
          { field: 'body', message: 'Contains text that is not valid Unicode' },
        ]);
      }
      // The same request again gets the same answer, even if the form has changed since. A
      // repeat that would pass is answered by submitThroughHub (the unique index catches it),
      // so only a refusal below looks for an earlier submission with this key first: new
      // submissions, nearly all of them, pay no lookup.
      const scope = idempotencyScope(caller);
      const refuse = async (error: Error) => {
        await verifyKey(request);
        const earlier = await earlierWithKey(db, scope, idempotencyKey, digest);
        if (earlier) return earlier;
        throw error;
      };

      const form = target.form;
      if (!form) return refuse(notFound({ service: service.slug, reason: 'no published form' }));
      const forms = await formsContract();
      const checked = forms.validateAnswers(
        form.definition,
        await describeUploads(db, body.answers),
        { today: ukToday() },
      );
      // A service for businesses: which business it is for (every problem is named at once).
      const business = await businessForSubmission(
        db,
        caller,
        formApplicant(form.definition),
        body.business,
      );
      if (!checked.ok || !business.ok)
        return refuse(
          new HubError('validation_error', 400, 'The submission is not valid', [
            ...(checked.ok
              ? []
              : checked.errors.map((e) => ({
                  field: e.field ? `body.answers.${e.field}` : 'body.answers',
                  message: e.message.en,
                  message_cy: e.message.cy,
                }))),
            ...(business.ok ? [] : business.problems),
          ]),
        );
      const input = {
        caller,
        service,
        // No summary is kept: its words are written from this form version when it is read (ADR 0009).
        answers: { values: checked.answers },
        formVersion: form.version,
        formKey: form.key,
        applicant: body.applicant ?? null,
        channel: isPersonCaller(caller)
          ? caller.channel
          : (body.channel ??
            `api:${(await targets.senderSlug(caller.organisationId)) ?? 'unknown'}`),
        onBehalfOf: body.onBehalfOf ?? null,
        business: business.business,
        idempotencyKey,
        digest,
      };
      const outcome = await submitThroughHub(
        db,
        input,
        actorOf(request, caller),
        storeBatched,
        () => verifyKey(request),
      );
      if (outcome.created) wakeOutbox();
      return outcome.accepted;
    },
  });

  /** The submission in the URL if this caller may read it; "not found" otherwise. */
  async function readable(request: FastifyRequest, id: string) {
    const caller = callerOf(request);
    const submission = isUuid(id) ? await findSubmissionById(db, id) : undefined;
    if (!submission || !mayReadStatus(caller, submission))
      throw notFound({ submissionId: id, organisationId: caller.organisationId });
    return { caller, submission };
  }

  /** The submission in the URL if the person's client sent it for them; "not found" otherwise. */
  async function readableByPerson(person: PersonCaller, id: string) {
    const submission = isUuid(id) ? await findSubmissionById(db, id) : undefined;
    if (!submission || !personMayReadStatus(person, submission))
      throw notFound({ submissionId: id, clientId: person.clientId });
    return { submission };
  }

  apiRoute(app, {
    method: 'GET',
    url: ROUTES.status,
    summary:
      'A submission’s status and every transition with its time and reasons (the receiving body’s receive key, or a key of the body that sent it)',
    tag: TAG,
    params: IdParams,
    security: SENDERS,
    response: Status,
    handler: async ({ params }, request) => {
      const person = people.get(request);
      const { submission } = person
        ? await readableByPerson(person, params.id)
        : await readable(request, params.id);
      return statusView(db, submission);
    },
  });

  apiRoute(app, {
    method: 'POST',
    url: ROUTES.reply,
    summary:
      'The receiving body replies: accepted, rejected (with reasons), in-progress or decided (with the decision). Its receive key only.',
    tag: TAG,
    params: IdParams,
    body: Reply,
    security: KEYS_ONLY,
    response: Status,
    successStatus: 200,
    handler: async ({ params, body }, request) => {
      const { caller, submission } = await readable(request, params.id);
      if (!mayReply(caller, submission))
        throw insufficientScope('Only the receiving body’s receive key can reply');
      const mail = submission.status === 'submitted' ? await mails.received(db, submission) : null;
      const outcome = await db.transaction().execute(async (trx) => {
        const locked = await trx
          .selectFrom('submissions')
          .selectAll()
          .where('id', '=', submission.id)
          .forUpdate()
          .executeTakeFirstOrThrow();
        // A reply proves it arrived: delivered first (the applicant is told once), then the reply.
        if (locked.status === 'submitted') await markDelivered(trx, locked, 'reply', mail);
        const current =
          locked.status === 'submitted' ? { ...locked, status: 'received' as const } : locked;
        return recordStatusReply(
          trx,
          current,
          body,
          actorOf(request, caller),
          await eventsFor(trx, submission.id),
        );
      });
      if (outcome.changed) wakeOutbox();
      return statusView(db, (await findSubmissionById(db, submission.id))!);
    },
  });

  apiRoute(app, {
    method: 'GET',
    url: ROUTES.inbox,
    summary:
      'The body’s submissions not yet acknowledged, oldest first, a page at a time (`after` = the last cursor seen). Its receive key only.',
    tag: TAG,
    query: InboxQuery,
    security: KEYS_ONLY,
    response: InboxPage,
    handler: async ({ query }, request) => {
      const caller = callerOf(request);
      if (!mayReceive(caller)) throw insufficientScope('Only a receive key reads the inbox');
      const after = query.after ? Number(query.after) : 0;
      const page = await inboxPage(db, caller.organisationId, after, query.limit);
      const submissions = await Promise.all(
        page.rows.map(async (row) => ({
          ...(await receivedSubmission(db, row)),
          cursor: String(row.seq),
        })),
      );
      return {
        submissions,
        cursor: submissions.at(-1)?.cursor ?? query.after ?? null,
        more: page.more,
      };
    },
  });

  apiRoute(app, {
    method: 'POST',
    url: ROUTES.ack,
    summary:
      'Acknowledge a submission taken from the inbox: it is delivered, and leaves the inbox. Its receive key only; repeating it changes nothing.',
    tag: TAG,
    params: IdParams,
    security: KEYS_ONLY,
    response: Acknowledged,
    successStatus: 200,
    handler: async ({ params }, request) => {
      const caller = callerOf(request);
      if (!mayReceive(caller)) throw insufficientScope('Only a receive key acknowledges');
      const submission = isUuid(params.id) ? await findSubmissionById(db, params.id) : undefined;
      if (!submission || !mayReply(caller, submission))
        throw notFound({ submissionId: params.id, organisationId: caller.organisationId });
      if (submission.status === 'submitted') {
        const mail = await mails.received(db, submission);
        const delivered = await db.transaction().execute(async (trx) => {
          const done = await markDelivered(trx, submission, 'pull', mail);
          if (done)
            await recordAudit(trx, actorOf(request, caller), {
              action: 'submission.acknowledged',
              resourceType: 'submission',
              resourceId: submission.id,
              subjectUserId: submission.applicant_user_id,
              details: { reference: submission.reference },
            });
          return done;
        });
        if (delivered) wakeOutbox();
      }
      const now = (await findSubmissionById(db, submission.id))!;
      return { id: now.id, status: hubStatusOf(now.status) };
    },
  });
}
