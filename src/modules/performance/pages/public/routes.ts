import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound, type FieldError } from '../../../../platform/errors/errors.js';
import { errorView, formText } from '../../../../platform/http/forms.js';
import type { AppContext } from '../../../../platform/http/types.js';
import { findPublishedService } from '../../../catalogue/index.js';
import { parseReference } from '../../../submissions/index.js';
import { giveFeedback, MAX_COMMENT_LENGTH } from '../../commands/feedback.js';
import { loadMeasures, type Scope } from '../../queries/measures.js';
import { DATASETS, dataset, isDataset, toCsv } from '../../queries/open-data.js';
import { casePlansView } from '../case-plans.js';
import { joinedUpView } from '../joined-up.js';
import { bodyOptions, selectedBodies } from '../scope.js';
import { count, dashboardView, percent, readRange } from '../view-model.js';

const VIEWS = 'modules/performance/pages/public';
const OVERVIEW = `${VIEWS}/overview.njk`;
const SERVICE = `${VIEWS}/service.njk`;
const DICTIONARY = `${VIEWS}/dictionary.njk`;
const FEEDBACK = `${VIEWS}/feedback.njk`;
const THANKS = `${VIEWS}/thanks.njk`;

/** The query string of a scope's filters, for links to the same figures as data. */
function filterQuery(query: unknown): string {
  const params = new URLSearchParams();
  for (const name of ['from', 'to', 'body', 'area', 'service']) {
    const value = formText(query, name);
    if (value) params.set(name, value);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * The public performance platform: the national dashboard with its filters (dates, body,
 * area), a page per service (volumes, take-up, satisfaction, cost), the open data with its
 * dictionary, and the anonymous feedback form linked from every confirmation page.
 */
export function publicPerformanceRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;

  /** The busiest services in scope (a hundred at most), with take-up and satisfaction. */
  async function servicesTable(request: FastifyRequest, scope: Scope) {
    const rows = await dataset(db, 'satisfaction', scope, request.locale);
    const satisfied = new Map(rows.map((r) => [String(r.service), r.satisfied as number | null]));
    const named = await dataset(db, 'take-up', scope, request.locale);
    return named
      .sort((a, b) => Number(b.transactions) - Number(a.transactions))
      .slice(0, 100)
      .map((r) => ({
        slug: String(r.service),
        name: String(r.service_name || r.service),
        body: String(r.body_name),
        transactions: count(Number(r.transactions), request.locale),
        takeUp: percent(r.take_up as number | null, request.locale),
        satisfied: percent(satisfied.get(String(r.service)) ?? null, request.locale),
      }));
  }

  app.get('/performance', async (request, reply) => {
    const options = await bodyOptions(db, request.locale);
    const selected = selectedBodies(request.query, options);
    const range = readRange(request.query);
    const filters = {
      from: range.from,
      to: range.to,
      body: formText(request.query, 'body'),
      area: formText(request.query, 'area'),
    };
    const base = { options, filters, dataQuery: filterQuery(request.query), datasets: Object.keys(DATASETS) };
    if (!range.ok || selected.unknown) {
      const errors = range.ok ? [] : range.errors;
      if (selected.unknown)
        errors.push({ field: 'body', message: 'performance.filters.errors.body' });
      return reply.code(400).view(OVERVIEW, { ...base, ...errorView(errors, request.t) });
    }
    const scope: Scope = {
      from: range.from,
      to: range.to,
      ...(selected.ids ? { organisationIds: selected.ids } : {}),
    };
    const measures = await loadMeasures(db, scope);
    return reply.view(OVERVIEW, {
      ...base,
      selected,
      dashboard: dashboardView(measures, request.t, request.locale),
      services: await servicesTable(request, scope),
      joinedUp: await joinedUpView(db, scope, {
        bodies: options.bodies,
        byBody: !selected.body,
        t: request.t,
        locale: request.locale,
      }),
      casePlans: await casePlansView(db, { t: request.t, locale: request.locale }),
    });
  });

  app.get('/performance/services/:slug', async (request, reply) => {
    const { slug } = request.params as { slug: string };
    const service = await findPublishedService(db, slug, request.locale);
    if (!service) throw notFound({ service: slug });
    const range = readRange(request.query);
    const filters = { from: range.from, to: range.to };
    const base = { service, filters, dataQuery: filterQuery({ ...range, service: slug }) };
    if (!range.ok)
      return reply.code(400).view(SERVICE, { ...base, ...errorView(range.errors, request.t) });
    const measures = await loadMeasures(db, {
      from: range.from,
      to: range.to,
      serviceIds: [service.id],
    });
    return reply.view(SERVICE, {
      ...base,
      dashboard: dashboardView(measures, request.t, request.locale),
    });
  });

  app.get('/performance/data', async (_request, reply) => {
    return reply.view(DICTIONARY, { datasets: DATASETS });
  });

  /** A bad filter of the open data: 400 in the API's error shape, naming the field and the reason. */
  function badFilter(request: FastifyRequest, reply: FastifyReply, errors: FieldError[]) {
    return reply.code(400).send({
      status_code: 400,
      errors: errors.map((e) => ({
        error: 'validation_error',
        field: e.field,
        message: `${e.field}: ${request.t(e.message)}`,
      })),
      request_id: request.id,
    });
  }

  app.get('/performance/data/:file', async (request, reply) => {
    const { file } = request.params as { file: string };
    const match = /^([a-z-]+)\.(csv|json)$/.exec(file);
    if (!match || !isDataset(match[1]!)) throw notFound({ dataset: file });
    const name = match[1];
    const format = match[2];
    const range = readRange(request.query);
    if (!range.ok)
      return badFilter(request, reply, range.errors);
    const options = await bodyOptions(db, request.locale);
    const selected = selectedBodies(request.query, options);
    if (selected.unknown)
      return badFilter(request, reply, [
        { field: 'body', message: 'performance.filters.errors.body' },
      ]);
    const serviceSlug = formText(request.query, 'service');
    const service = serviceSlug
      ? await findPublishedService(db, serviceSlug, request.locale)
      : undefined;
    if (serviceSlug && !service)
      return badFilter(request, reply, [
        { field: 'service', message: 'performance.filters.errors.service' },
      ]);
    const scope: Scope = {
      from: range.from,
      to: range.to,
      ...(selected.ids ? { organisationIds: selected.ids } : {}),
      ...(service ? { serviceIds: [service.id] } : {}),
    };
    const rows = await dataset(db, name, scope, request.locale);
    if (format === 'json')
      return reply.send({ dataset: name, from: range.from, to: range.to, fields: DATASETS[name], rows });
    reply.header('content-disposition', `attachment; filename="${name}.csv"`);
    return reply.type('text/csv; charset=utf-8').send(toCsv(name, rows));
  });

  /** The reference the feedback is about, in its standard form, or 404. */
  function referenceOf(request: FastifyRequest): string {
    const { reference } = request.params as { reference: string };
    const standard = parseReference(reference);
    if (!standard) throw notFound({ reference });
    return standard;
  }

  app.get('/performance/feedback/:reference', async (request, reply) => {
    const reference = referenceOf(request);
    return reply.view(FEEDBACK, { reference, values: {}, maxLength: MAX_COMMENT_LENGTH });
  });

  app.post('/performance/feedback/:reference', async (request, reply) => {
    const reference = referenceOf(request);
    const outcome = await db
      .transaction()
      .execute((trx) => giveFeedback(trx, reference, request.body));
    if (outcome.ok) return reply.redirect(`/performance/feedback/${reference}/thanks`, 303);
    if ('reason' in outcome) {
      if (outcome.reason === 'unknown') throw notFound({ reference });
      return reply.view(THANKS, { already: true });
    }
    return reply.code(400).view(FEEDBACK, {
      reference,
      values: request.body,
      maxLength: MAX_COMMENT_LENGTH,
      ...errorView(outcome.errors, request.t),
    });
  });

  app.get('/performance/feedback/:reference/thanks', async (request, reply) => {
    referenceOf(request);
    return reply.view(THANKS, { already: false });
  });
}

