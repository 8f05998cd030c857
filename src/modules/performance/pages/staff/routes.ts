import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../../../../platform/audit/audit.js';
import { notFound } from '../../../../platform/errors/errors.js';
import { errorView, formText } from '../../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../../platform/http/types.js';
import { londonDate } from '../../../../platform/time/london.js';
import { INTERACTION_TYPES, labelOf } from '../../../catalogue/index.js';
import { formatPence } from '../../../forms/index.js';
import { requireSignIn } from '../../../identity/index.js';
import { saveRegisterEntry } from '../../commands/e-enablement.js';
import { setUnitCosts } from '../../commands/unit-costs.js';
import { TRANSACTION_CHANNELS } from '../../db/tables.js';
import { takeUp, type ChannelCounts } from '../../measures/measures.js';
import {
  isCentre,
  mayKeepEEnablement,
  maySeeBodyPerformance,
  maySetUnitCosts,
  seesStaffPerformance,
} from '../../policies/performance.js';
import {
  counts,
  eEnablement,
  registerOf,
  trajectoryOf,
  type RegisterEntry,
} from '../../queries/e-enablement.js';
import { loadMeasures, unitCostsOf, volumesByBody, type Scope } from '../../queries/measures.js';
import { barChart, lineChart } from '../charts.js';
import { casePlansView } from '../case-plans.js';
import { financeView, joinedUpView } from '../joined-up.js';
import { bodyOptions, type BodyOption } from '../scope.js';
import { count, dashboardView, percent, readRange } from '../view-model.js';

const VIEWS = 'modules/performance/pages/staff';
const DASHBOARD = `${VIEWS}/dashboard.njk`;
const COSTS = `${VIEWS}/costs.njk`;
const REGISTER = `${VIEWS}/register.njk`;
const ENTRY = `${VIEWS}/entry.njk`;

function actorOf(request: FastifyRequest, user: CurrentUser): Actor & { userId: string } {
  return {
    userId: user.id,
    organisationId: user.organisationId,
    role: user.roles[0] ?? 'staff',
    requestId: request.id,
  };
}

/** Signed-in staff or the centre, or 404 for anyone else (after sign-in). */
function staffUser(user: CurrentUser): CurrentUser {
  if (!seesStaffPerformance(user)) throw notFound();
  return user;
}

/**
 * The staff dashboards: a body's own (its figures, its BVPI 157 register and trajectory, how it
 * compares with bodies of the same type, what people said), the centre's over every body, the
 * body's unit costs and its register, kept by its service owners.
 */
export function staffPerformanceRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;

  /** The body a request is about: the user's own, or for the centre any (or none: national). */
  async function bodyOf(
    request: FastifyRequest,
    user: CurrentUser,
    options: { bodies: BodyOption[] },
  ): Promise<BodyOption | null> {
    const slug = formText(request.query, 'body');
    if (isCentre(user) && !user.organisationId && !slug) return null;
    const body = slug
      ? options.bodies.find((b) => b.slug === slug)
      : options.bodies.find((b) => b.id === user.organisationId);
    if (!body || !maySeeBodyPerformance(user, body.id)) throw notFound({ body: slug });
    return body;
  }

  app.get('/staff/performance', async (request, reply) => {
    const signedIn = requireSignIn(request, reply);
    if (!signedIn) return reply;
    const user = staffUser(signedIn);
    const options = await bodyOptions(db, request.locale);
    const body = await bodyOf(request, user, options);
    const range = readRange(request.query);
    const base = {
      body,
      centre: isCentre(user),
      options,
      filters: { from: range.from, to: range.to, body: body?.slug ?? '' },
      mayCost: !!body && maySetUnitCosts(user, body.id),
      mayRegister: !!body && mayKeepEEnablement(user, body.id),
    };
    if (!range.ok)
      return reply.code(400).view(DASHBOARD, { ...base, ...errorView(range.errors, request.t) });
    const scope: Scope = {
      from: range.from,
      to: range.to,
      ...(body ? { organisationIds: [body.id] } : {}),
    };
    const measures = await loadMeasures(db, scope);
    const register = await registerOf(db, body ? [body.id] : null, request.locale);
    return reply.view(DASHBOARD, {
      ...base,
      dashboard: dashboardView(measures, request.t, request.locale),
      eEnablement: await eEnablementView(request, body, register),
      comparison: await comparisonView(request, scope, body, options.bodies, register),
      comments: body ? await commentsOf(body.id, scope) : [],
      joinedUp: await joinedUpView(db, scope, {
        bodies: options.bodies,
        byBody: !body,
        t: request.t,
        locale: request.locale,
      }),
      finance: await financeView(db, scope, { bodies: options.bodies, locale: request.locale }),
      casePlans: await casePlansView(db, { t: request.t, locale: request.locale }),
    });
  });

  /** BVPI 157 of a body (or every body): the figures, what is not yet e-enabled, the trajectory. */
  async function eEnablementView(
    request: FastifyRequest,
    body: BodyOption | null,
    register: RegisterEntry[],
  ) {
    const { t, locale } = request;
    const figure = eEnablement(register);
    const history = body ? await trajectoryOf(db, body.id) : [];
    const today = londonDate(new Date());
    const points = [
      ...history.filter((h) => h.day !== today),
      {
        day: today,
        counted: figure.counted,
        eEnabled: figure.eEnabled,
        percentage: figure.percentage,
      },
    ];
    return {
      figures: [
        [t('performance.register.counted'), count(figure.counted, locale)],
        [t('performance.register.eEnabled'), count(figure.eEnabled, locale)],
        [t('performance.register.percentage'), percent(figure.percentage, locale)],
        [t('performance.register.weighted'), percent(figure.weighted, locale)],
      ],
      notYet: register
        .filter((e) => counts(e) && !e.eEnabled)
        .map((e) => ({
          ...e,
          interaction: labelOf(INTERACTION_TYPES, e.interactionType, locale),
        })),
      trajectory: {
        chart: lineChart(
          points.map((p) => ({
            label: p.day,
            value: p.percentage === null ? null : p.percentage * 100,
            text: percent(p.percentage, locale),
          })),
          100,
        ),
        rows: points.map((p) => [
          p.day,
          count(p.counted, locale),
          count(p.eEnabled, locale),
          percent(p.percentage, locale),
        ]),
      },
    };
  }

  /** Take-up and BVPI 157 of the bodies of the same type (or of every body, nationally). */
  async function comparisonView(
    request: FastifyRequest,
    scope: Scope,
    body: BodyOption | null,
    bodies: BodyOption[],
    register: RegisterEntry[],
  ) {
    const { locale } = request;
    const peers = body ? bodies.filter((b) => b.type === body.type) : bodies;
    const volumes = await volumesByBody(db, { ...scope, organisationIds: peers.map((p) => p.id) });
    const peerRegister = body
      ? await registerOf(
          db,
          peers.map((p) => p.id),
          locale,
        )
      : register;
    const rows = peers
      .map((peer) => {
        const channelCounts: ChannelCounts = {};
        for (const v of volumes.filter((v) => v.organisation_id === peer.id))
          channelCounts[v.channel] = (channelCounts[v.channel] ?? 0) + v.transactions;
        const figure = takeUp(channelCounts);
        const bvpi = eEnablement(peerRegister.filter((e) => e.organisationId === peer.id));
        return { peer, figure, bvpi };
      })
      .filter((r) => r.figure.total > 0 || r.bvpi.counted > 0 || r.peer.id === body?.id)
      .sort((a, b) => (b.figure.takeUp ?? -1) - (a.figure.takeUp ?? -1));
    return {
      chart: barChart(
        rows.slice(0, 12).map((r) => ({
          label: r.peer.name.length > 14 ? `${r.peer.name.slice(0, 13)}…` : r.peer.name,
          value: (r.figure.takeUp ?? 0) * 100,
          text: percent(r.figure.takeUp, locale),
        })),
      ),
      rows: rows.map((r) => [
        r.peer.name,
        count(r.figure.total, locale),
        percent(r.figure.takeUp, locale),
        percent(r.bvpi.percentage, locale),
      ]),
    };
  }

  /** What people wrote with their rating (anonymous), newest first. */
  async function commentsOf(organisationId: string, scope: Scope) {
    return db
      .selectFrom('performance_feedback')
      .select(['rating', 'comment', (eb) => eb.cast<string>('day', 'text').as('day')])
      .where('organisation_id', '=', organisationId)
      .where('comment', '<>', '')
      .where('day', '>=', scope.from)
      .where('day', '<=', scope.to)
      .orderBy('day', 'desc')
      .limit(20)
      .execute();
  }

  /** The user's own body, when they may set its unit costs; 404 otherwise. */
  function costsBody(user: CurrentUser): string {
    if (!user.organisationId || !maySetUnitCosts(user, user.organisationId)) throw notFound();
    return user.organisationId;
  }

  app.get('/staff/performance/costs', async (request, reply) => {
    const signedIn = requireSignIn(request, reply);
    if (!signedIn) return reply;
    const organisationId = costsBody(signedIn);
    const costs = (await unitCostsOf(db, [organisationId])).get(organisationId) ?? {};
    const values = Object.fromEntries(
      TRANSACTION_CHANNELS.map((c) => [
        c,
        costs[c] === undefined ? '' : formatPence(costs[c]).replace('£', ''),
      ]),
    );
    return reply.view(COSTS, { values, channels: TRANSACTION_CHANNELS });
  });

  app.post('/staff/performance/costs', async (request, reply) => {
    const signedIn = requireSignIn(request, reply);
    if (!signedIn) return reply;
    const organisationId = costsBody(signedIn);
    const outcome = await db
      .transaction()
      .execute((trx) =>
        setUnitCosts(trx, actorOf(request, signedIn), organisationId, request.body),
      );
    if (!outcome.ok)
      return reply.code(400).view(COSTS, {
        values: request.body,
        channels: TRANSACTION_CHANNELS,
        ...errorView(outcome.errors, request.t),
      });
    return reply.redirect('/staff/performance?done=costs', 303);
  });

  app.get('/staff/performance/e-enablement', async (request, reply) => {
    const signedIn = requireSignIn(request, reply);
    if (!signedIn) return reply;
    const user = staffUser(signedIn);
    const organisationId = user.organisationId;
    if (!organisationId || !maySeeBodyPerformance(user, organisationId)) throw notFound();
    const register = await registerOf(db, [organisationId], request.locale);
    return reply.view(REGISTER, {
      entries: register.map((e) => ({
        ...e,
        interaction: labelOf(INTERACTION_TYPES, e.interactionType, request.locale),
      })),
      figure: eEnablement(register),
      mayEdit: mayKeepEEnablement(user, organisationId),
      done: formText(request.query, 'done'),
    });
  });

  /** The register line of the user's own body's service and interaction, when they keep it. */
  async function entryOf(request: FastifyRequest, user: CurrentUser): Promise<RegisterEntry> {
    const { serviceId, type } = request.params as { serviceId: string; type: string };
    if (!user.organisationId || !mayKeepEEnablement(user, user.organisationId)) throw notFound();
    const register = await registerOf(db, [user.organisationId], request.locale);
    const entry = register.find((e) => e.serviceId === serviceId && e.interactionType === type);
    if (!entry) throw notFound({ serviceId, type });
    return entry;
  }

  function entryValues(entry: RegisterEntry) {
    const [year, month, day] = entry.targetDate?.split('-') ?? ['', '', ''];
    return {
      applicable: entry.applicable ? 'yes' : 'no',
      exemption: entry.exemption ?? 'none',
      exemptionReason: entry.exemptionReason,
      eEnabled: entry.eEnabled ? 'yes' : 'no',
      channels: entry.channels,
      'targetDate-day': day ? String(Number(day)) : '',
      'targetDate-month': month ? String(Number(month)) : '',
      'targetDate-year': year ?? '',
    };
  }

  app.get('/staff/performance/e-enablement/:serviceId/:type', async (request, reply) => {
    const signedIn = requireSignIn(request, reply);
    if (!signedIn) return reply;
    const entry = await entryOf(request, signedIn);
    return reply.view(ENTRY, {
      entry,
      interaction: labelOf(INTERACTION_TYPES, entry.interactionType, request.locale),
      values: entryValues(entry),
      channels: TRANSACTION_CHANNELS,
    });
  });

  app.post('/staff/performance/e-enablement/:serviceId/:type', async (request, reply) => {
    const signedIn = requireSignIn(request, reply);
    if (!signedIn) return reply;
    const entry = await entryOf(request, signedIn);
    const outcome = await db.transaction().execute((trx) =>
      saveRegisterEntry(
        trx,
        actorOf(request, signedIn),
        {
          organisationId: entry.organisationId,
          serviceId: entry.serviceId,
          interactionType: entry.interactionType,
        },
        request.body,
        request.locale,
      ),
    );
    if (!outcome.ok) {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const channels = body.channels;
      return reply.code(400).view(ENTRY, {
        entry,
        interaction: labelOf(INTERACTION_TYPES, entry.interactionType, request.locale),
        values: {
          ...body,
          channels: Array.isArray(channels) ? channels : [channels].filter(Boolean),
        },
        channels: TRANSACTION_CHANNELS,
        ...errorView(outcome.errors, request.t),
      });
    }
    return reply.redirect('/staff/performance/e-enablement?done=saved', 303);
  });
}
