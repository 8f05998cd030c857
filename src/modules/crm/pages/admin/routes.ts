/**
 * Contact-centre sharing agreements (`/admin/contact-centres`): platform administrators say
 * which body shares which kinds of its items with which contact centre body, and end them.
 * Every change is audited; anyone else gets 404 after signing in.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../../../platform/errors/errors.js';
import { errorView, formText } from '../../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../../platform/http/types.js';
import { formatDate } from '../../../../platform/i18n/i18n.js';
import { requireSignIn } from '../../../identity/index.js';
import { listOrganisations } from '../../../organisations/index.js';
import { actorOf } from '../../commands/actor.js';
import { endAgreement, makeAgreement, readAgreement } from '../../commands/agreements.js';
import { ITEM_KINDS } from '../../db/tables.js';
import { mayManageAgreements } from '../../policies/desk.js';
import { listAgreements } from '../../queries/agreements.js';

const VIEW = 'modules/crm/pages/admin/agreements.njk';

export function adminRoutes(app: FastifyInstance, { db }: AppContext): void {
  function adminOf(request: FastifyRequest, reply: FastifyReply): CurrentUser | null {
    const user = requireSignIn(request, reply);
    if (!user) return null;
    if (!mayManageAgreements(user)) throw notFound({ userId: user.id });
    return user;
  }

  function formValues(body: unknown) {
    const kinds = (body as Record<string, unknown> | undefined)?.itemKinds;
    return {
      contactCentreId: formText(body, 'contactCentreId'),
      owningBodyId: formText(body, 'owningBodyId'),
      itemKinds: (Array.isArray(kinds) ? kinds : [kinds]).filter(
        (k): k is string => typeof k === 'string',
      ),
    };
  }

  async function page(
    request: FastifyRequest,
    values: ReturnType<typeof formValues>,
    errors: Parameters<typeof errorView>[0] = [],
  ) {
    const bodies = await listOrganisations(db);
    const nameOf = new Map(
      bodies.map((b) => [b.id, (request.locale === 'cy' && b.name_cy) || b.name]),
    );
    const options = (chosen: string) => [
      { value: '', text: request.t('crm.agreements.choose') },
      ...bodies.map((b) => ({ value: b.id, text: nameOf.get(b.id)!, selected: b.id === chosen })),
    ];
    return {
      ...errorView(errors, request.t),
      agreements: (await listAgreements(db)).map((a) => ({
        id: a.id,
        centre: nameOf.get(a.contact_centre_id) ?? '',
        owner: nameOf.get(a.owning_body_id) ?? '',
        kinds: a.item_kinds.map((k) => request.t(`crm.kind.${k}`)).join(', '),
        since: formatDate(a.created_at, request.locale),
        ended: a.ended_at ? formatDate(a.ended_at, request.locale) : null,
      })),
      centres: options(values.contactCentreId),
      owners: options(values.owningBodyId),
      kinds: ITEM_KINDS.map((k) => ({
        value: k,
        text: request.t(`crm.kind.${k}`),
        checked: values.itemKinds.includes(k),
      })),
    };
  }

  app.get('/admin/contact-centres', async (request, reply) => {
    if (!adminOf(request, reply)) return reply;
    return reply.view(VIEW, await page(request, formValues({})));
  });

  app.post('/admin/contact-centres', async (request, reply) => {
    const user = adminOf(request, reply);
    if (!user) return reply;
    const values = formValues(request.body);
    const checked = await readAgreement(db, values);
    if (!checked.ok) return reply.code(400).view(VIEW, await page(request, values, checked.errors));
    await db
      .transaction()
      .execute((trx) => makeAgreement(trx, actorOf(request, user), checked.agreement));
    return reply.redirect('/admin/contact-centres', 303);
  });

  app.post('/admin/contact-centres/:id/end', async (request, reply) => {
    const user = adminOf(request, reply);
    if (!user) return reply;
    const { id } = request.params as { id: string };
    const ended = await db
      .transaction()
      .execute((trx) => endAgreement(trx, actorOf(request, user), id));
    if (!ended) throw notFound({ id });
    return reply.redirect('/admin/contact-centres', 303);
  });
}
