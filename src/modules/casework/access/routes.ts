/**
 * "Why are you opening this case?" (`/casework/:reference/reason`): a caseworker opening a case
 * of their body that is assigned to a colleague chooses a reason first (GOV.UK radios, with
 * words for "another reason"); nothing of the case is shown or audited as read until they do.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../../platform/errors/errors.js';
import { errorView, formText } from '../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../platform/http/types.js';
import { requireSignIn } from '../../identity/index.js';
import { auditActor } from '../commands/actor.js';
import type { CaseRow } from '../db/tables.js';
import { canWorkCase } from '../policies/cases.js';
import { findCaseByReference } from '../queries/cases.js';
import {
  ACCESS_REASONS,
  giveReason,
  inOwnQueue,
  MAX_REASON_DETAILS,
  readReason,
} from './reasons.js';

const VIEW = 'modules/casework/access/reason.njk';

export function accessReasonRoutes(app: FastifyInstance, { db }: AppContext): void {
  /** The case, for its own body's caseworkers; anyone else (another body's too): not found. */
  async function caseFor(
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<{ user: CurrentUser; caseRow: CaseRow } | null> {
    const user = requireSignIn(request, reply);
    if (!user) return null;
    const { reference } = request.params as { reference: string };
    const caseRow = await findCaseByReference(db, reference);
    if (!caseRow || !canWorkCase(user, caseRow))
      throw notFound({ reference, userId: user.id, reason: 'not a case of this body' });
    return { user, caseRow };
  }

  function page(
    request: FastifyRequest,
    caseRow: CaseRow,
    values: { reason: string; details: string },
    errors: Parameters<typeof errorView>[0] = [],
  ) {
    return {
      ...errorView(errors, request.t),
      backLink: '/casework',
      reference: caseRow.reference,
      values,
      maxDetails: MAX_REASON_DETAILS,
      reasons: ACCESS_REASONS.map((code) => ({
        value: code,
        text: request.t(`casework.access.reason.${code}`),
        checked: values.reason === code,
      })),
    };
  }

  app.get('/casework/:reference/reason', async (request, reply) => {
    const found = await caseFor(request, reply);
    if (!found) return reply;
    if (inOwnQueue(found.user, found.caseRow))
      return reply.redirect(`/casework/${found.caseRow.reference}`, 303);
    return reply.view(VIEW, page(request, found.caseRow, { reason: '', details: '' }));
  });

  app.post('/casework/:reference/reason', async (request, reply) => {
    const found = await caseFor(request, reply);
    if (!found) return reply;
    const values = {
      reason: formText(request.body, 'reason'),
      details: formText(request.body, 'details'),
    };
    const checked = readReason(values);
    if (!checked.ok)
      return reply.code(400).view(VIEW, page(request, found.caseRow, values, checked.errors));
    await db
      .transaction()
      .execute((trx) =>
        giveReason(
          trx,
          found.user.id,
          found.caseRow,
          checked.reason,
          auditActor({ user: found.user, requestId: request.id }),
        ),
      );
    return reply.redirect(`/casework/${found.caseRow.reference}`, 303);
  });
}
