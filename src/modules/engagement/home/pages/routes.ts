import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errorView, formText } from '../../../../platform/http/forms.js';
import { consumeRateLimit } from '../../../../platform/http/rate-limit-store.js';
import type { AppContext } from '../../../../platform/http/types.js';
import { resolveProvider, type ResolveProblem } from '../../../address/index.js';
import { listOrganisations } from '../../../organisations/index.js';
import { bodiesOf, bodyName, petitionSummary } from '../../petitions/pages/shared.js';
import {
  confirmSubscription,
  subscribe,
  subscriptionFormValues,
  unsubscribe,
  type SubscriptionForm,
} from '../commands/subscriptions.js';
import { CONSULTATION_TOPICS } from '../../consultations/topics.js';
import {
  bodiesOf as consultationBodiesOf,
  consultationView,
} from '../../consultations/pages/shared.js';
import {
  consultsNear,
  isNationalConsultation,
  nationalBodies,
  openConsultations,
  openPetitionsTo,
} from '../queries/home.js';

const VIEWS = 'modules/engagement/home/pages';
const HOME = `${VIEWS}/engage.njk`;
const SUBSCRIBE = `${VIEWS}/subscribe.njk`;
const SENT = `${VIEWS}/sent.njk`;
const TOKEN_PAGE = `${VIEWS}/token.njk`;
const LIMITED = `${VIEWS}/limited.njk`;

/**
 * How many subscribe requests one IP address may make in an hour: each sends an e-mail, so a
 * script must not use the form to send mail to other people's addresses.
 */
export const SUBSCRIPTIONS_PER_ADDRESS_PER_HOUR = 10;

/** The one message for each reason a postcode gives no body. */
const POSTCODE_PROBLEMS: Record<ResolveProblem, string> = {
  required: 'engagement.home.postcode.required',
  malformed: 'engagement.home.postcode.malformed',
  unknown: 'engagement.home.postcode.unknown',
  terminated: 'engagement.home.postcode.terminated',
  'non-geographic': 'engagement.home.postcode.nonGeographic',
  'no-authority': 'engagement.home.postcode.noAuthority',
};

/** The bodies on the platform covering a postcode: its district (or unitary) and any county. */
async function localBodies(context: AppContext, typed: string) {
  const district = await resolveProvider(context.db, typed, 'district');
  if (!district.ok) return district;
  const county = district.twoTier
    ? await resolveProvider(context.db, district.postcode, 'county')
    : undefined;
  const bodies = [county?.ok ? county.provider : null, district.provider].flatMap((p) =>
    p?.organisation ? [p.organisation.id] : [],
  );
  return { ok: true as const, postcode: district.postcode, bodies };
}

async function subscribeView(
  request: FastifyRequest,
  context: AppContext,
  values: Partial<SubscriptionForm>,
) {
  const organisations = await listOrganisations(context.db);
  return {
    values,
    topics: CONSULTATION_TOPICS.map((topic) => ({
      value: topic,
      text: request.t(`consultations.topic.${topic}`),
    })),
    bodies: organisations
      .map((o) => ({ value: o.id, text: bodyName(o, request.locale) }))
      .sort((a, b) => a.text.localeCompare(b.text)),
    backLink: '/engage',
  };
}

/**
 * The engagement home: "Have your say" with the petitions open nationally and, for a postcode,
 * those to the bodies covering it; subscribing to new petitions and the e-mailed links.
 */
export function engagementHomeRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;

  app.get('/engage', async (request, reply) => {
    const now = new Date();
    const query = request.query as Record<string, unknown>;
    const typed = typeof query.postcode === 'string' ? query.postcode.slice(0, 100) : undefined;
    const national = await nationalBodies(db);
    const nationalPetitions = await openPetitionsTo(
      db,
      national.map((o) => o.id),
      now,
    );
    const summaries = async (petitions: Awaited<ReturnType<typeof openPetitionsTo>>) => {
      const bodies = await bodiesOf(db, petitions);
      return petitions.map((p) => petitionSummary(p, bodies, request.locale, now));
    };
    const consultations = await openConsultations(db, now);
    const consultationBodies = await consultationBodiesOf(db, consultations);
    const views = (rows: typeof consultations) =>
      rows.map((c) => consultationView(c, consultationBodies, request.locale, now));
    const common = {
      postcodeValue: typed ?? '',
      national: await summaries(nationalPetitions),
      nationalConsultations: views(consultations.filter(isNationalConsultation)),
    };
    if (typed === undefined) return reply.view(HOME, common);
    const local = await localBodies(context, typed);
    if (!local.ok) {
      const text = request.t(POSTCODE_PROBLEMS[local.problem], {
        postcode: local.postcode ?? typed.trim(),
      });
      return reply.code(400).view(HOME, {
        ...common,
        errorList: [{ text, href: '#postcode' }],
        fieldErrors: { postcode: { text } },
      });
    }
    return reply.view(HOME, {
      ...common,
      postcodeValue: local.postcode,
      local: {
        postcode: local.postcode,
        petitions: await summaries(await openPetitionsTo(db, local.bodies, now)),
        consultations: views(
          consultations.filter((c) => consultsNear(c, local.postcode.split(' ')[0]!, local.bodies)),
        ),
      },
    });
  });

  app.get('/engage/subscribe', async (request, reply) =>
    reply.view(SUBSCRIBE, await subscribeView(request, context, { area: '', kind: 'petitions' })),
  );

  app.post('/engage/subscribe', async (request, reply) => {
    const limit = await consumeRateLimit(
      db,
      `engagement:subscribe:${request.ip}`,
      SUBSCRIPTIONS_PER_ADDRESS_PER_HOUR,
      3_600_000,
    );
    if (!limit.allowed) {
      reply.header('retry-after', Math.ceil(limit.resetInMs / 1000));
      return reply.code(429).view(LIMITED, {});
    }
    const values = subscriptionFormValues(request.body);
    const outcome = await db
      .transaction()
      .execute((trx) => subscribe(trx, values, request.locale, context.config.baseUrl));
    if (!outcome.ok)
      return reply.code(400).view(SUBSCRIBE, {
        ...(await subscribeView(request, context, values)),
        ...errorView(outcome.errors, request.t),
      });
    context.wakeOutbox();
    return reply.redirect('/engage/subscribe/sent', 303);
  });

  app.get('/engage/subscribe/sent', async (_request, reply) => reply.view(SENT, {}));

  // The e-mailed links show a button rather than acting at once: mail scanners follow links.
  for (const action of ['confirm', 'unsubscribe'] as const) {
    const path = `/engage/subscriptions/${action}`;
    app.get(path, async (request, reply) => {
      const token = String((request.query as { token?: unknown }).token ?? '');
      return reply.view(TOKEN_PAGE, { action, token, result: null });
    });
    app.post(path, async (request, reply) => {
      const token = formText(request.body, 'token');
      const done = await db
        .transaction()
        .execute((trx) =>
          action === 'confirm'
            ? confirmSubscription(trx, token, new Date())
            : unsubscribe(trx, token),
        );
      return reply
        .code(done ? 200 : 404)
        .view(TOKEN_PAGE, { action, token, result: done ? 'done' : 'unknown' });
    });
  }
}
