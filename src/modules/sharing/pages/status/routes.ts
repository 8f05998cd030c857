import type { FastifyInstance } from 'fastify';
import { notFound } from '../../../../platform/errors/errors.js';
import type { AppContext } from '../../../../platform/http/types.js';
import { formatDate } from '../../../../platform/i18n/i18n.js';
import { deliveriesOf, findChangeByReference } from '../../queries/changes.js';
import { mayActOnOwn } from '../../policies/sharing.js';
import { answerRows, basisText, citizen, dateTime, nameIn, purposeIn } from '../shared.js';

const TAG_CLASS: Record<string, string> = {
  waiting: 'govuk-tag--grey',
  sent: 'govuk-tag--blue',
  acknowledged: 'govuk-tag--light-blue',
  updated: 'govuk-tag--green',
  failed: 'govuk-tag--red',
  'not-sent': 'govuk-tag--yellow',
};

/** GET /tell-us-once/changes/:reference: each body's status of one of the person's changes. */
export function statusRoutes(app: FastifyInstance, context: AppContext): void {
  app.get('/tell-us-once/changes/:reference', async (request, reply) => {
    const user = citizen(request, reply);
    if (!user) return reply;
    const { reference } = request.params as { reference: string };
    const change = await findChangeByReference(context.db, reference);
    // Another person's change is "not found", so references cannot be probed.
    if (!change || !mayActOnOwn(user, change.user_id)) throw notFound();
    const deliveries = await deliveriesOf(context.db, change.id);
    return reply.view('modules/sharing/pages/status/status.njk', {
      backLink: '/tell-us-once',
      sent: (request.query as { sent?: string }).sent === '1',
      change: {
        reference: change.reference,
        type: request.t(`sharing.type.${change.event_type}`),
        status: change.status,
        date: formatDate(change.submitted_at, request.locale),
      },
      rows: answerRows(request, change.event_type, change.details, false),
      bodies: deliveries.map((d) => ({
        name: nameIn(request, d),
        status: request.t(`sharing.status.${d.status}`),
        tagClass: TAG_CLASS[d.status],
        why: d.reason
          ? request.t(`sharing.reason.${d.reason}`) === `sharing.reason.${d.reason}`
            ? d.reason
            : request.t(`sharing.reason.${d.reason}`)
          : '',
        purpose: d.agreement ? purposeIn(request, d.agreement) : '',
        basis: d.agreement ? basisText(request, d.agreement) : '',
        when: dateTime(request, d.answered_at ?? d.sent_at),
      })),
    });
  });
}
