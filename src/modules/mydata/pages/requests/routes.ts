/**
 * A person asks public bodies for what they hold about them (a subject access request):
 * `/account/my-data/requests/new` picks the bodies (those they deal with, and any other listed
 * organisation) and what they are looking for; "Check your request" confirms; sending makes one
 * request a body, each due one calendar month from today.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../../../platform/errors/errors.js';
import { errorView, formText } from '../../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../../platform/http/types.js';
import { formatDate } from '../../../../platform/i18n/i18n.js';
import { londonDate } from '../../../../platform/time/london.js';
import { requireSignIn } from '../../../identity/index.js';
import { listOrganisations } from '../../../organisations/index.js';
import { listForApplicant } from '../../../submissions/index.js';
import { checkAccessRequest, MAX_DETAILS, sendAccessRequest } from '../../commands/requests.js';
import { dueDate } from '../../due-date.js';
import { mayRequestAccess } from '../../policies/mydata.js';
import { actorOf } from '../shared.js';

const VIEWS = 'modules/mydata/pages/requests';

/** The bodies ticked, and the other organisation chosen from the list (if any). */
function chosenBodies(body: unknown): string[] {
  const raw = (body as Record<string, unknown> | undefined)?.bodies;
  const ticked = (Array.isArray(raw) ? raw : [raw]).filter(
    (v): v is string => typeof v === 'string' && v !== '',
  );
  const other = formText(body, 'other');
  return [...new Set([...ticked, ...(other ? [other] : [])])].slice(0, 50);
}

export function requestRoutes(app: FastifyInstance, { db, config }: AppContext): void {
  function requester(request: FastifyRequest, reply: FastifyReply): CurrentUser | null {
    const user = requireSignIn(request, reply);
    if (!user) return null;
    if (!mayRequestAccess(user)) throw notFound({ reason: 'not a citizen acting for themselves' });
    return user;
  }

  /** The form: the bodies the person deals with as boxes, every other body in a list. */
  async function form(
    request: FastifyRequest,
    user: CurrentUser,
    values: { bodies: string[]; other: string; details: string },
    errors: Parameters<typeof errorView>[0] = [],
  ) {
    const [organisations, applications] = await Promise.all([
      listOrganisations(db),
      listForApplicant(db, user.id),
    ]);
    const yours = new Set(applications.map((a) => a.organisation_id));
    const name = (o: { name: string; name_cy: string | null }) =>
      (request.locale === 'cy' && o.name_cy) || o.name;
    return {
      ...errorView(errors, request.t),
      values,
      backLink: '/account/my-data#requests',
      maxDetails: MAX_DETAILS,
      yours: organisations
        .filter((o) => yours.has(o.id))
        .map((o) => ({ value: o.id, text: name(o), checked: values.bodies.includes(o.id) })),
      others: [
        { value: '', text: request.t('mydata.requests.new.otherNone') },
        ...organisations
          .filter((o) => !yours.has(o.id))
          .map((o) => ({ value: o.id, text: name(o), selected: values.other === o.id })),
      ],
    };
  }

  app.get('/account/my-data/requests/new', async (request, reply) => {
    const user = requester(request, reply);
    if (!user) return reply;
    return reply.view(
      `${VIEWS}/new.njk`,
      await form(request, user, { bodies: [], other: '', details: '' }),
    );
  });

  // "Continue": checks the form, then shows "Check your request" with the answers carried along.
  app.post('/account/my-data/requests/new', async (request, reply) => {
    const user = requester(request, reply);
    if (!user) return reply;
    const values = {
      bodies: chosenBodies(request.body).filter((id) => id !== formText(request.body, 'other')),
      other: formText(request.body, 'other'),
      details: formText(request.body, 'details'),
    };
    const organisationIds = chosenBodies(request.body);
    const checked = await checkAccessRequest(db, {
      userId: user.id,
      organisationIds,
      details: values.details,
    });
    if (!checked.ok)
      return reply
        .code(400)
        .view(`${VIEWS}/new.njk`, await form(request, user, values, checked.errors));
    const organisations = await listOrganisations(db);
    const today = londonDate(new Date());
    return reply.view(`${VIEWS}/check.njk`, {
      bodies: organisations
        .filter((o) => checked.organisationIds.includes(o.id))
        .map((o) => ({ id: o.id, name: (request.locale === 'cy' && o.name_cy) || o.name })),
      details: values.details,
      due: formatDate(dueDate(today), request.locale),
    });
  });

  app.post('/account/my-data/requests', async (request, reply) => {
    const user = requester(request, reply);
    if (!user) return reply;
    const details = formText(request.body, 'details');
    const outcome = await db
      .transaction()
      .execute((trx) =>
        sendAccessRequest(
          trx,
          { userId: user.id, organisationIds: chosenBodies(request.body), details },
          actorOf(request, user),
          config.baseUrl,
        ),
      );
    if (!outcome.ok) {
      const values = { bodies: chosenBodies(request.body), other: '', details };
      return reply
        .code(400)
        .view(`${VIEWS}/new.njk`, await form(request, user, values, outcome.errors));
    }
    return reply.redirect('/account/my-data?done=sent#requests', 303);
  });
}
