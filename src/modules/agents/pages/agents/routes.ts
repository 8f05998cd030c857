import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../../../platform/errors/errors.js';
import { errorView, formText } from '../../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../../platform/http/types.js';
import { searchServices } from '../../../catalogue/index.js';
import { requireSignIn } from '../../../identity/index.js';
import { startActing, stopActing } from '../../commands/acting.js';
import {
  approveAuthority,
  approveByCode,
  declineAuthority,
  requestAuthority,
  revokeAuthority,
} from '../../commands/authorities.js';
import { canWorkAsAgent } from '../../policies/agents.js';
import { authoritiesOfAgent, authoritiesOfClient } from '../../queries/authorities.js';
import { businessesOf } from '../../queries/businesses.js';
import { actorOf, CODE_RATE_LIMIT, param, sessionHashOf } from '../shared.js';

const VIEWS = 'modules/agents/pages/agents';

function formList(body: unknown, name: string): string[] {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v): v is string => typeof v === 'string' && v !== '');
}

/** Agents asking for and using authority, and clients giving, seeing and taking it back. */
export function agentRoutes(app: FastifyInstance, { db, config, wakeOutbox }: AppContext): void {
  async function agentBusinessesOf(user: CurrentUser) {
    return (await businessesOf(db, user.id)).filter((b) => canWorkAsAgent(b, b.role));
  }

  async function showClients(
    request: FastifyRequest,
    reply: FastifyReply,
    user: CurrentUser,
    extra = {},
  ) {
    const businesses = await agentBusinessesOf(user);
    const withClients = await Promise.all(
      businesses.map(async (business) => ({
        ...business,
        authorities: await authoritiesOfAgent(db, business.id, request.locale),
      })),
    );
    return reply.view(`${VIEWS}/clients.njk`, { businesses: withClients, ...extra });
  }

  async function showAuthorities(
    request: FastifyRequest,
    reply: FastifyReply,
    user: CurrentUser,
    extra = {},
  ) {
    const authorities = await authoritiesOfClient(db, user.id, request.locale);
    return reply.view(`${VIEWS}/authorities.njk`, {
      waiting: authorities.filter((a) => a.open),
      active: authorities.filter((a) => a.status === 'approved'),
      ended: authorities.filter((a) => a.status !== 'approved' && !a.open),
      changed: (request.query as { changed?: string }).changed,
      ...extra,
    });
  }

  // Agents

  app.get('/agents/clients', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    return showClients(request, reply, user);
  });

  app.get('/agents/request', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const businessId = String((request.query as { business?: string }).business ?? '');
    const business = (await agentBusinessesOf(user)).find((b) => b.id === businessId);
    if (!business) throw notFound();
    return reply.view(`${VIEWS}/request.njk`, {
      business,
      services: await searchServices(db, request.locale),
      values: { serviceIds: [] },
      fieldErrors: {},
      backLink: '/agents/clients',
    });
  });

  app.post('/agents/request', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const businessId = formText(request.body, 'business');
    const business = (await agentBusinessesOf(user)).find((b) => b.id === businessId);
    if (!business) throw notFound();
    const values = {
      clientEmail: formText(request.body, 'clientEmail'),
      serviceIds: formList(request.body, 'services'),
    };
    const outcome = await db.transaction().execute((trx) =>
      requestAuthority(trx, actorOf(request, user), {
        businessId,
        clientEmail: values.clientEmail,
        serviceIds: values.serviceIds,
        baseUrl: config.baseUrl,
      }),
    );
    if (!outcome.ok)
      return reply.code(400).view(`${VIEWS}/request.njk`, {
        business,
        services: await searchServices(db, request.locale),
        values,
        backLink: '/agents/clients',
        ...errorView(outcome.errors, request.t),
      });
    wakeOutbox();
    // The code is shown once, here: only its hash is kept.
    return reply.view(`${VIEWS}/request-sent.njk`, {
      business,
      clientName: outcome.clientName,
      code: outcome.code,
    });
  });

  app.post('/agents/act', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const sessionHash = sessionHashOf(request);
    if (!sessionHash) throw notFound();
    const outcome = await db.transaction().execute((trx) =>
      startActing(trx, actorOf(request, user), {
        sessionHash,
        authorityId: formText(request.body, 'authorityId'),
      }),
    );
    if (!outcome.ok)
      return showClients(request, reply.code(400), user, errorView(outcome.errors, request.t));
    return reply.redirect('/agents/clients', 303);
  });

  app.post('/agents/stop', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const sessionHash = sessionHashOf(request);
    if (sessionHash)
      await db
        .transaction()
        .execute((trx) => stopActing(trx, actorOf(request, user), { sessionHash }));
    return reply.redirect('/agents/clients', 303);
  });

  // Clients

  app.get('/agents/authorities', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    return showAuthorities(request, reply, user);
  });

  const decisions = {
    approve: approveAuthority,
    decline: declineAuthority,
    revoke: revokeAuthority,
  };
  for (const [action, command] of Object.entries(decisions)) {
    app.post(`/agents/authorities/:id/${action}`, async (request, reply) => {
      const user = requireSignIn(request, reply);
      if (!user) return reply;
      const outcome = await db
        .transaction()
        .execute((trx) => command(trx, actorOf(request, user), param(request, 'id')));
      if (!outcome.ok)
        return showAuthorities(
          request,
          reply.code(400),
          user,
          errorView(outcome.errors, request.t),
        );
      return reply.redirect(`/agents/authorities?changed=${action}`, 303);
    });
  }

  app.get('/agents/authorise', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    return reply.view(`${VIEWS}/authorise.njk`, {
      fieldErrors: {},
      backLink: '/agents/authorities',
    });
  });

  app.post(
    '/agents/authorise',
    { config: { rateLimit: CODE_RATE_LIMIT } },
    async (request, reply) => {
      const user = requireSignIn(request, reply);
      if (!user) return reply;
      const outcome = await db
        .transaction()
        .execute((trx) =>
          approveByCode(trx, actorOf(request, user), formText(request.body, 'code')),
        );
      if (!outcome.ok)
        return reply.code(400).view(`${VIEWS}/authorise.njk`, {
          backLink: '/agents/authorities',
          ...errorView(outcome.errors, request.t),
        });
      return reply.redirect('/agents/authorities?changed=approve', 303);
    },
  );
}
