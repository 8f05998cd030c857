import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../../../platform/errors/errors.js';
import { errorView, formText } from '../../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../../platform/http/types.js';
import { requireSignIn } from '../../../identity/index.js';
import {
  acceptInvitation,
  createBusiness,
  findInvitation,
  inviteMember,
  markAsAgent,
  removeMember,
} from '../../commands/businesses.js';
import {
  canCreateBusiness,
  canManageBusiness,
  canSeeBusiness,
  membershipOf,
} from '../../policies/businesses.js';
import {
  businessesOf,
  findBusiness,
  invitationsFor,
  membersOf,
  pendingInvitationsOf,
} from '../../queries/businesses.js';
import { actorOf, CODE_RATE_LIMIT, param } from '../shared.js';

const VIEWS = 'modules/agents/pages/business';

/** Business and charity accounts: make one, see its members, invite and remove them. */
export function businessRoutes(app: FastifyInstance, { db, config, wakeOutbox }: AppContext): void {
  /** The business, if the user is a member; 404 otherwise (a non-member cannot tell it exists). */
  async function memberView(user: CurrentUser, businessId: string) {
    const role = await membershipOf(db, businessId, user.id);
    const business = canSeeBusiness(role) ? await findBusiness(db, businessId) : undefined;
    if (!business) throw notFound();
    return { business, role };
  }

  async function showBusiness(
    request: FastifyRequest,
    reply: FastifyReply,
    user: CurrentUser,
    businessId: string,
    extra: Record<string, unknown> = {},
  ) {
    const { business, role } = await memberView(user, businessId);
    return reply.view(`${VIEWS}/business.njk`, {
      business,
      role,
      canManage: canManageBusiness(role),
      members: await membersOf(db, business.id),
      invitations: canManageBusiness(role) ? await pendingInvitationsOf(db, business.id) : [],
      invited: (request.query as { invited?: string }).invited === '1',
      backLink: '/business',
      ...extra,
    });
  }

  app.get('/business', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    return reply.view(`${VIEWS}/list.njk`, {
      businesses: await businessesOf(db, user.id),
      invitations: await invitationsFor(db, user.email),
      canCreate: canCreateBusiness(user),
    });
  });

  app.get('/business/new', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    if (!canCreateBusiness(user)) throw notFound();
    return reply.view(`${VIEWS}/create.njk`, {
      values: {},
      fieldErrors: {},
      backLink: '/business',
    });
  });

  app.post('/business/new', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const values = {
      name: formText(request.body, 'name'),
      type: formText(request.body, 'type'),
      companiesHouseNumber: formText(request.body, 'companiesHouseNumber'),
      charityNumber: formText(request.body, 'charityNumber'),
      isAgent: formText(request.body, 'isAgent') === 'yes',
    };
    const outcome = await db
      .transaction()
      .execute((trx) => createBusiness(trx, actorOf(request, user), values));
    if (!outcome.ok)
      return reply.code(400).view(`${VIEWS}/create.njk`, {
        values,
        backLink: '/business',
        ...errorView(outcome.errors, request.t),
      });
    return reply.redirect(`/business/${outcome.business.id}`, 303);
  });

  app.get('/business/invitations/:id', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const invitation = await findInvitation(db, param(request, 'id'));
    if (!invitation) throw notFound();
    return reply.view(`${VIEWS}/invitation.njk`, { invitation, fieldErrors: {} });
  });

  app.post(
    '/business/invitations/:id',
    { config: { rateLimit: CODE_RATE_LIMIT } },
    async (request, reply) => {
      const user = requireSignIn(request, reply);
      if (!user) return reply;
      const invitationId = param(request, 'id');
      const outcome = await db.transaction().execute((trx) =>
        acceptInvitation(trx, actorOf(request, user), {
          invitationId,
          code: formText(request.body, 'code'),
        }),
      );
      if (!outcome.ok) {
        const invitation = await findInvitation(db, invitationId);
        return reply
          .code(400)
          .view(`${VIEWS}/invitation.njk`, { invitation, ...errorView(outcome.errors, request.t) });
      }
      return reply.redirect(`/business/${outcome.businessId}`, 303);
    },
  );

  app.get('/business/:id', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    return showBusiness(request, reply, user, param(request, 'id'));
  });

  app.post('/business/:id/agent', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const businessId = param(request, 'id');
    await db.transaction().execute((trx) => markAsAgent(trx, actorOf(request, user), businessId));
    return reply.redirect(`/business/${businessId}`, 303);
  });

  app.get('/business/:id/invite', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const { business, role } = await memberView(user, param(request, 'id'));
    if (!canManageBusiness(role)) throw notFound();
    return reply.view(`${VIEWS}/invite.njk`, {
      business,
      values: {},
      fieldErrors: {},
      backLink: `/business/${business.id}`,
    });
  });

  app.post('/business/:id/invite', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const { business } = await memberView(user, param(request, 'id'));
    const values = { email: formText(request.body, 'email') };
    const outcome = await db.transaction().execute((trx) =>
      inviteMember(trx, actorOf(request, user), {
        businessId: business.id,
        email: values.email,
        baseUrl: config.baseUrl,
      }),
    );
    if (!outcome.ok)
      return reply.code(400).view(`${VIEWS}/invite.njk`, {
        business,
        values,
        backLink: `/business/${business.id}`,
        ...errorView(outcome.errors, request.t),
      });
    wakeOutbox();
    return reply.redirect(`/business/${business.id}?invited=1`, 303);
  });

  app.post('/business/:id/members/:userId/remove', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const businessId = param(request, 'id');
    const outcome = await db
      .transaction()
      .execute((trx) =>
        removeMember(trx, actorOf(request, user), { businessId, userId: param(request, 'userId') }),
      );
    if (!outcome.ok)
      return showBusiness(
        request,
        reply.code(400),
        user,
        businessId,
        errorView(outcome.errors, request.t),
      );
    // A member who removed themself (not the last administrator) no longer sees the business.
    const stillMember = (await membershipOf(db, businessId, user.id)) !== null;
    return reply.redirect(stillMember ? `/business/${businessId}` : '/business', 303);
  });
}
