/**
 * The person's own pages: `/account/references` lists every body that holds a link to them and
 * the records a body registered that may be theirs, to confirm or decline; and a business
 * account's numbers at `/account/business-numbers/:businessId`, seen by its members and by an
 * agent acting for its administrator, and added by its administrators.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound, type FieldError } from '../../../../platform/errors/errors.js';
import { errorView, formText } from '../../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../../platform/http/types.js';
import { findBusiness, membershipOf } from '../../../agents/index.js';
import { requireSignIn } from '../../../identity/index.js';
import { listOrganisationsByIds } from '../../../organisations/index.js';
import { addBusinessNumber } from '../../commands/business-numbers.js';
import { confirmByPerson, declineByPerson } from '../../commands/resolve.js';
import { mayConfirmOwnRecords, maySeeOwnLinks } from '../../policies/references.js';
import {
  linksOfBusiness,
  linksOfPerson,
  numbersOfBusiness,
  waitingForPerson,
} from '../../queries/records.js';
import { isUuid } from '../../../../platform/validation/uuid.js';
import { BUSINESS_SCHEMES, type BusinessScheme } from '../../validation/identifiers.js';
import { actorOf } from '../shared.js';

const VIEWS = 'modules/references/pages/account';

async function bodyNames(context: AppContext, ids: string[], locale: string) {
  const rows = await listOrganisationsByIds(context.db, [...new Set(ids)]);
  return new Map(rows.map((o) => [o.id, (locale === 'cy' && o.name_cy) || o.name]));
}

/** A business's numbers are seen by its members and by an agent acting for its administrator. */
async function businessRole(context: AppContext, user: CurrentUser, businessId: string) {
  if (!isUuid(businessId) || user.kind !== 'citizen') return null;
  if (user.actingFor) {
    const role = await membershipOf(context.db, businessId, user.actingFor.userId);
    return role === 'administrator' ? ('agent' as const) : null;
  }
  return membershipOf(context.db, businessId, user.id);
}

export function accountReferenceRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;

  app.get('/account/references', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    if (!maySeeOwnLinks(user)) throw notFound();
    const links = await linksOfPerson(db, user.id);
    const waiting = mayConfirmOwnRecords(user) ? await waitingForPerson(db, user.id) : [];
    const names = await bodyNames(
      context,
      [...links, ...waiting].map((r) => r.organisation_id),
      request.locale,
    );
    return reply.view(`${VIEWS}/references.njk`, {
      links: links.map((l) => ({ ...l, body: names.get(l.organisation_id) ?? '' })),
      waiting: waiting.map((w) => ({ ...w, body: names.get(w.organisation_id) ?? '' })),
      verified: user.identityLevel === 'P2',
      done: formText(request.query, 'done'),
    });
  });

  for (const action of ['confirm', 'decline'] as const)
    app.post<{ Params: { id: string } }>(
      `/account/references/:id/${action}`,
      async (request, reply) => {
        const user = requireSignIn(request, reply);
        if (!user) return reply;
        if (!mayConfirmOwnRecords(user) || !isUuid(request.params.id)) throw notFound();
        const actor = actorOf(request, user);
        if (action === 'decline') {
          const declined = await db
            .transaction()
            .execute((trx) => declineByPerson(trx, user, actor, request.params.id));
          if (!declined) throw notFound();
          return reply.redirect('/account/references?done=declined', 303);
        }
        const outcome = await db
          .transaction()
          .execute((trx) => confirmByPerson(trx, user, actor, request.params.id));
        if (!outcome.ok && 'notFound' in outcome) throw notFound();
        return reply.redirect(
          `/account/references?done=${outcome.ok ? 'confirmed' : 'cannot-confirm'}`,
          303,
        );
      },
    );

  async function businessPage(
    request: FastifyRequest<{ Params: { businessId: string } }>,
    reply: FastifyReply,
    user: CurrentUser,
    extra: Record<string, unknown> = {},
  ) {
    const role = await businessRole(context, user, request.params.businessId);
    if (!role) throw notFound();
    const business = await findBusiness(db, request.params.businessId);
    if (!business) throw notFound();
    const links = await linksOfBusiness(db, business.id);
    const names = await bodyNames(
      context,
      links.map((l) => l.organisation_id),
      request.locale,
    );
    return reply.view(`${VIEWS}/business.njk`, {
      business: { id: business.id, name: business.name },
      numbers: await numbersOfBusiness(db, business.id),
      links: links.map((l) => ({ ...l, body: names.get(l.organisation_id) ?? '' })),
      mayAdd: role === 'administrator',
      schemes: BUSINESS_SCHEMES,
      values: {},
      done: formText(request.query, 'done'),
      ...extra,
    });
  }

  app.get<{ Params: { businessId: string } }>(
    '/account/business-numbers/:businessId',
    async (request, reply) => {
      const user = requireSignIn(request, reply);
      if (!user) return reply;
      return businessPage(request, reply, user);
    },
  );

  app.post<{ Params: { businessId: string } }>(
    '/account/business-numbers/:businessId',
    async (request, reply) => {
      const user = requireSignIn(request, reply);
      if (!user) return reply;
      const role = await businessRole(context, user, request.params.businessId);
      if (role !== 'administrator') throw notFound();
      const schemeText = formText(request.body, 'scheme');
      const typed = formText(request.body, 'number');
      const errors: FieldError[] = [];
      const scheme = (BUSINESS_SCHEMES as readonly string[]).includes(schemeText)
        ? (schemeText as BusinessScheme)
        : undefined;
      if (!scheme) errors.push({ field: 'scheme', message: 'references.business.scheme.missing' });
      if (scheme) {
        const added = await db
          .transaction()
          .execute((trx) =>
            addBusinessNumber(
              trx,
              actorOf(request, user),
              request.params.businessId,
              scheme,
              typed,
            ),
          );
        if (added.ok)
          return reply.redirect(
            `/account/business-numbers/${request.params.businessId}?done=added`,
            303,
          );
        errors.push({ field: 'number', message: `references.business.number.${added.reason}` });
      }
      const view = errorView(errors, request.t);
      return businessPage(request, reply.code(400), user, {
        values: { scheme: schemeText, number: typed },
        ...view,
      });
    },
  );
}
