import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../../../../platform/errors/errors.js';
import { errorView, formText } from '../../../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../../../platform/http/types.js';
import { requireSignIn } from '../../../../identity/index.js';
import {
  findOrganisationById,
  listOrganisations,
} from '../../../../organisations/index.js';
import type { PetitionRow } from '../../../db/tables.js';
import { petitionFormValues, startPetition, type PetitionForm } from '../../commands/petitions.js';
import {
  checkSigningRate,
  confirmSignature,
  signatureFormValues,
  signPetition,
  type SignatureForm,
} from '../../commands/signatures.js';
import { mayStartPetition, mayModeratePetitions, mayViewPetition } from '../../policies/petitions.js';
import {
  findPetition,
  listPublishedPetitions,
  petitionsStartedBy,
} from '../../queries/petitions.js';
import { closingDay, petitionStage, petitionStatus } from '../../rules.js';
import {
  actorOf,
  bodiesOf,
  bodyName,
  districtView,
  formatCount,
  petitionSummary,
} from '../shared.js';

const VIEWS = 'modules/engagement/petitions/pages/public';
const LIST = `${VIEWS}/list.njk`;
const START = `${VIEWS}/start.njk`;
const STARTED = `${VIEWS}/started.njk`;
const YOURS = `${VIEWS}/yours.njk`;
const PETITION = `${VIEWS}/petition.njk`;
const SIGN = `${VIEWS}/sign.njk`;
const SENT = `${VIEWS}/sent.njk`;
const CLOSED = `${VIEWS}/closed.njk`;
const CONFIRM = `${VIEWS}/confirm.njk`;
const LIMITED = `${VIEWS}/limited.njk`;

/** A petition the visitor may see, or 404 (also for one they may not: nothing is given away). */
async function visiblePetition(
  context: AppContext,
  request: FastifyRequest,
): Promise<PetitionRow> {
  const { id } = request.params as { id: string };
  const petition = await findPetition(context.db, id);
  if (!petition || !mayViewPetition(request.user, petition)) throw notFound({ petition: id });
  return petition;
}

/** A petition open to signatures right now, or the "closed" page (410) for a published one. */
async function signablePetition(
  context: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<PetitionRow | null> {
  const petition = await visiblePetition(context, request);
  const status = petitionStatus(petition, new Date());
  if (status === 'open') return petition;
  if (status !== 'closed') throw notFound({ petition: petition.id, status });
  await reply.code(410).view(CLOSED, {
    petition,
    closingDay: petition.closes_at ? closingDay(petition.closes_at) : null,
    backLink: `/petitions/${petition.id}`,
  });
  return null;
}

async function startView(context: AppContext, request: FastifyRequest, values: Partial<PetitionForm>) {
  const organisations = await listOrganisations(context.db);
  return {
    values,
    bodies: organisations
      .map((o) => ({ value: o.id, text: (request.locale === 'cy' && o.name_cy) || o.name }))
      .sort((a, b) => a.text.localeCompare(b.text)),
    backLink: '/petitions',
  };
}

function signView(petition: PetitionRow, values: Partial<SignatureForm>) {
  return { petition, values, backLink: `/petitions/${petition.id}` };
}

/**
 * The public petition pages: the list, starting one (signed in), the creator's own list, a
 * petition's page with its signatures by district, and signing with a confirmation link.
 */
export function publicPetitionRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;

  app.get('/petitions', async (request, reply) => {
    const now = new Date();
    const query = request.query as { show?: string };
    const which = query.show === 'closed' ? 'closed' : 'open';
    const petitions = await listPublishedPetitions(db, which, now, { limit: 100 });
    const bodies = await bodiesOf(db, petitions);
    return reply.view(LIST, {
      which,
      petitions: petitions.map((p) => petitionSummary(p, bodies, request.locale, now)),
    });
  });

  app.get('/petitions/start', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    if (!mayStartPetition(user)) throw notFound();
    return reply.view(START, await startView(context, request, {}));
  });

  app.post('/petitions/start', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    if (!mayStartPetition(user)) throw notFound();
    const values = petitionFormValues(request.body);
    const outcome = await db
      .transaction()
      .execute((trx) =>
        startPetition(
          trx,
          actorOf(request, user),
          { userId: user.id, name: user.displayName },
          values,
          request.locale,
        ),
      );
    if (!outcome.ok)
      return reply.code(400).view(START, {
        ...(await startView(context, request, values)),
        ...errorView(outcome.errors, request.t),
      });
    return reply.redirect(`/petitions/${outcome.petition.id}/started`, 303);
  });

  app.get('/petitions/:id/started', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const petition = await visiblePetition(context, request);
    if (petition.created_by !== user.id) throw notFound();
    const body = await findOrganisationById(db, petition.organisation_id);
    return reply.view(STARTED, { petition, body: bodyName(body, request.locale) });
  });

  app.get('/petitions/yours', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const now = new Date();
    const petitions = await petitionsStartedBy(db, user.id);
    const bodies = await bodiesOf(db, petitions);
    return reply.view(YOURS, {
      petitions: petitions.map((p) => petitionSummary(p, bodies, request.locale, now)),
    });
  });

  app.get('/petitions/:id', async (request, reply) => {
    const petition = await visiblePetition(context, request);
    const now = new Date();
    const body = await findOrganisationById(db, petition.organisation_id);
    return reply.view(PETITION, {
      petition,
      body: bodyName(body, request.locale),
      status: petitionStatus(petition, now),
      stage: petitionStage(petition),
      closingDay: petition.closes_at ? closingDay(petition.closes_at) : null,
      numbers: {
        count: formatCount(petition.signature_count),
        response: formatCount(petition.response_threshold),
        debate: formatCount(petition.debate_threshold),
      },
      isCreator: !!request.user && request.user.id === petition.created_by,
      isModerator: mayModeratePetitions(request.user as CurrentUser | null, petition.organisation_id),
      ...(petition.state === 'open' ? await districtView(db, petition.id) : { districts: [], bars: [] }),
      backLink: '/petitions',
    });
  });

  app.get('/petitions/:id/sign', async (request, reply) => {
    const petition = await signablePetition(context, request, reply);
    if (!petition) return reply;
    const user = request.user;
    return reply.view(
      SIGN,
      signView(petition, user?.kind === 'citizen' ? { name: user.displayName, email: user.email } : {}),
    );
  });

  app.post('/petitions/:id/sign', async (request, reply) => {
    const petition = await signablePetition(context, request, reply);
    if (!petition) return reply;
    const rate = await checkSigningRate(db, petition.id, request.ip);
    if (!rate.allowed) {
      reply.header('retry-after', rate.retryAfterSeconds);
      return reply.code(429).view(LIMITED, { petition, backLink: `/petitions/${petition.id}` });
    }
    const values = signatureFormValues(request.body);
    const now = new Date();
    const user = request.user;
    const outcome = await db.transaction().execute((trx) =>
      signPetition(
        trx,
        petition,
        values,
        {
          ip: request.ip,
          userId: user?.kind === 'citizen' ? user.id : null,
          language: request.locale,
        },
        now,
        context.config.baseUrl,
      ),
    );
    if (!outcome.ok)
      return reply
        .code(400)
        .view(SIGN, { ...signView(petition, values), ...errorView(outcome.errors, request.t) });
    context.wakeOutbox();
    return reply.redirect(`/petitions/${petition.id}/sign/sent`, 303);
  });

  app.get('/petitions/:id/sign/sent', async (request, reply) => {
    const petition = await visiblePetition(context, request);
    return reply.view(SENT, { petition });
  });

  // The e-mailed link shows a button rather than confirming at once: mail scanners that follow
  // links must not sign for anyone.
  app.get('/petitions/:id/confirm', async (request, reply) => {
    const petition = await visiblePetition(context, request);
    const token = String((request.query as { token?: unknown }).token ?? '');
    return reply.view(CONFIRM, { petition, token, result: null });
  });

  app.post('/petitions/:id/confirm', async (request, reply) => {
    const petition = await visiblePetition(context, request);
    const token = formText(request.body, 'token');
    const result = await db
      .transaction()
      .execute((trx) =>
        confirmSignature(trx, petition.id, token, new Date(), context.config.baseUrl),
      );
    context.wakeOutbox();
    const status = result === 'unknown' ? 404 : result === 'closed' ? 410 : 200;
    return reply.code(status).view(CONFIRM, { petition, token, result });
  });
}
