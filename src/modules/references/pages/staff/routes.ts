/**
 * A body's staff pages at /staff/references: its references by status with the resolution
 * queue first, registering a reference, one record (opening it is a read of the person's data,
 * audited) with the account its facts partly matched, and linking (a staff check) or rejecting
 * it with a reason.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { recordAudit } from '../../../../platform/audit/audit.js';
import { notFound } from '../../../../platform/errors/errors.js';
import { errorView, formText } from '../../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../../platform/http/types.js';
import { findBusiness } from '../../../agents/index.js';
import { findVerifiedIdentity, requireSignIn } from '../../../identity/index.js';
import { readBusinessFacts, readPersonFacts, readReference } from '../../commands/facts.js';
import { registerBusinessReference, registerPersonReference } from '../../commands/register.js';
import { linkByStaffCheck, rejectRecord } from '../../commands/resolve.js';
import {
  RECORD_STATUSES,
  type BusinessFacts,
  type PersonFacts,
  type RecordStatus,
} from '../../db/tables.js';
import { mayKeepReferences } from '../../policies/references.js';
import { countsOf, recordOf, recordsOf } from '../../queries/records.js';
import { BUSINESS_SCHEMES } from '../../validation/identifiers.js';
import { actorOf } from '../shared.js';

const VIEWS = 'modules/references/pages/staff';
type Staff = CurrentUser & { organisationId: string };

/** Signed-in staff of a body who keep its references, or 404 (after sign-in). */
function keeper(request: FastifyRequest, reply: FastifyReply): Staff | undefined {
  const user = requireSignIn(request, reply);
  if (!user) return undefined;
  if (!user.organisationId || !mayKeepReferences(user, user.organisationId)) throw notFound();
  return user as Staff;
}

export function staffReferenceRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;

  app.get('/staff/references', async (request, reply) => {
    const user = keeper(request, reply);
    if (!user) return reply;
    const shown = formText(request.query, 'status');
    const status: RecordStatus = (RECORD_STATUSES as readonly string[]).includes(shown)
      ? (shown as RecordStatus)
      : 'queued';
    return reply.view(`${VIEWS}/list.njk`, {
      status,
      statuses: RECORD_STATUSES,
      counts: await countsOf(db, user.organisationId),
      rows: await recordsOf(db, user.organisationId, [status]),
      done: formText(request.query, 'done'),
    });
  });

  function newView(subject: 'person' | 'business', values: Record<string, string>) {
    return { subject, values, schemes: BUSINESS_SCHEMES, backLink: '/staff/references' };
  }

  app.get('/staff/references/new', async (request, reply) => {
    if (!keeper(request, reply)) return reply;
    const subject = formText(request.query, 'subject') === 'business' ? 'business' : 'person';
    return reply.view(`${VIEWS}/new.njk`, newView(subject, {}));
  });

  app.post('/staff/references/new', async (request, reply) => {
    const user = keeper(request, reply);
    if (!user) return reply;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const subject = formText(body, 'subject') === 'business' ? 'business' : 'person';
    const values = Object.fromEntries(
      Object.entries(body)
        .filter(([k, v]) => k !== '_csrf' && typeof v === 'string')
        .map(([k, v]) => [k, String(v)]),
    );
    const reference = readReference(body.reference);
    const facts =
      subject === 'person'
        ? await readPersonFacts(db, body, new Date().toISOString().slice(0, 10))
        : readBusinessFacts(body);
    const errors = [...(reference.ok ? [] : reference.errors), ...(facts.ok ? [] : facts.errors)];
    if (errors.length > 0 || !reference.ok || !facts.ok)
      return reply.code(400).view(`${VIEWS}/new.njk`, {
        ...newView(subject, values),
        ...errorView(errors, request.t),
      });
    const registration = {
      organisationId: user.organisationId,
      reference: reference.value,
      registeredByUser: user.id,
    };
    const outcome = await db
      .transaction()
      .execute((trx) =>
        subject === 'person'
          ? registerPersonReference(
              trx,
              actorOf(request, user),
              registration,
              facts.value as PersonFacts,
            )
          : registerBusinessReference(
              trx,
              actorOf(request, user),
              registration,
              facts.value as BusinessFacts,
            ),
      );
    return reply.redirect(`/staff/references/${outcome.record.id}?done=registered`, 303);
  });

  async function recordPage(
    request: FastifyRequest,
    reply: FastifyReply,
    user: Staff,
    id: string,
    extra = {},
  ) {
    const record = await recordOf(db, user.organisationId, id);
    if (!record) throw notFound();
    const subjectUserId = record.user_id ?? record.candidate_user_id;
    const candidate = record.candidate_user_id
      ? await findVerifiedIdentity(db, record.candidate_user_id)
      : undefined;
    const businessId = record.business_id ?? record.candidate_business_id;
    const business = businessId ? await findBusiness(db, businessId) : undefined;
    if (subjectUserId)
      await recordAudit(db, actorOf(request, user), {
        action: 'references.record.viewed',
        resourceType: 'reference_record',
        resourceId: record.id,
        subjectUserId,
        details: { reference: record.reference },
      });
    return reply.view(`${VIEWS}/record.njk`, {
      record,
      facts: record.facts,
      candidate,
      business: business ? { name: business.name } : undefined,
      waiting: record.status === 'queued' || record.status === 'unmatched',
      mayLink: !!(record.candidate_user_id ?? record.candidate_business_id),
      done: formText(request.query, 'done'),
      backLink: `/staff/references?status=${record.status}`,
      values: {},
      ...extra,
    });
  }

  app.get<{ Params: { id: string } }>('/staff/references/:id', async (request, reply) => {
    const user = keeper(request, reply);
    if (!user) return reply;
    return recordPage(request, reply, user, request.params.id);
  });

  for (const action of ['link', 'reject'] as const)
    app.post<{ Params: { id: string } }>(
      `/staff/references/:id/${action}`,
      async (request, reply) => {
        const user = keeper(request, reply);
        if (!user) return reply;
        const reason = formText(request.body, 'reason');
        const outcome = await db
          .transaction()
          .execute((trx) =>
            (action === 'link' ? linkByStaffCheck : rejectRecord)(
              trx,
              user,
              actorOf(request, user),
              request.params.id,
              reason,
            ),
          );
        if (!outcome.ok && 'notFound' in outcome) throw notFound();
        if (!outcome.ok) {
          const view = errorView(outcome.errors, request.t);
          return recordPage(request, reply.code(400), user, request.params.id, {
            values: { reason },
            action,
            errorList: view.errorList.map((e) => ({ ...e, href: `#reason-${action}` })),
            fieldErrors: view.fieldErrors,
          });
        }
        return reply.redirect(`/staff/references/${request.params.id}?done=${action}`, 303);
      },
    );
}
