/**
 * Open311 GeoReport v2 at /open311/v2: discovery, the services list and each service's
 * definition (its attributes, from its form), creating a report (an `open311` API key) and
 * reading reports (no key: what they show is public). Every method answers in JSON or XML by
 * its extension; errors are GeoReport v2's list of `{code, description}`. See
 * docs/guides/open311.md.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../../platform/audit/audit.js';
import type { AppContext } from '../../../platform/http/types.js';
import type { Translate } from '../../../platform/i18n/i18n.js';
import { findOrganisationBySlugOrGssCode } from '../../organisations/index.js';
import { authenticateHubKey, HubError, type HubCaller } from '../../submissions/index.js';
import {
  attributesOf,
  unknownAttributes,
  type QuestionRole,
  type ReportContent,
} from '../attributes/mapping.js';
import { reportableProblem } from '../codes.js';
import { checkReport, createReport, type ReportError } from '../commands/report.js';
import { findPlace, type PlaceProblem } from '../location/place.js';
import { mayReport } from '../policies/keys.js';
import { findRequest, listRequests } from '../queries/requests.js';
import { reportableServices, responsibleService } from '../queries/services.js';
import { readListParams, readReportParams, type ParamProblem } from './params.js';
import { errorList, FORMATS, Open311Error, respond, type Format } from './respond.js';

export const OPEN311_PREFIX = '/open311/v2';
const SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';

function formatOfUrl(url: string): Format {
  return (url.split('?')[0] ?? '').endsWith('.xml') ? 'xml' : 'json';
}

function problemsError(status: 400 | 403 | 404, t: Translate, problems: ParamProblem[]) {
  return new Open311Error(
    status,
    problems.map((p) => t(p.key, p.values)),
  );
}

/** Errors in GeoReport v2's shape, in the format the path asked for. */
async function open311ErrorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const format = formatOfUrl(request.url);
  if (error instanceof Open311Error) {
    request.log.info({ code: error.code, problems: error.descriptions.length }, error.message);
    return respond(
      reply,
      format,
      'errors',
      errorList(error.status, error.descriptions),
      error.status,
    );
  }
  const status =
    error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  if (status >= 500) request.log.error({ err: error }, 'open311 request failed');
  else request.log.info({ code: error.code }, error.message);
  const description =
    status === 429
      ? request.t('open311.error.rateLimited')
      : status >= 500
        ? request.t('open311.error.internal', { requestId: request.id })
        : request.t('open311.error.badRequest');
  return respond(reply, format, 'errors', errorList(status, [description]), status);
}

/** Where each role's problems are reported: the parameter a client sent, or would send. */
const PARAMETER: Record<QuestionRole, string> = {
  address: 'address_string',
  location: 'address_string',
  postcode: 'postcode',
  description: 'description',
  email: 'email',
  phone: 'phone',
  name: 'first_name',
  attribute: 'attribute',
  unsupported: 'attribute',
};

function reportErrorText(error: ReportError, request: FastifyRequest): string {
  const parameter =
    error.role === 'attribute' || error.role === 'unsupported'
      ? `attribute[${error.name}]`
      : PARAMETER[error.role];
  return `${parameter}: ${error.message[request.locale]}`;
}

const PLACE_PROBLEMS: Record<PlaceProblem, string> = {
  missing: 'open311.error.placeMissing',
  'postcode-unknown': 'open311.error.postcodeUnknown',
  'address-unknown': 'open311.error.addressUnknown',
  outside: 'open311.error.outside',
};

/** The Open311 key in `api_key`: a 403 unless it is a live key with the `open311` scope. */
async function reportingKey(
  db: AppContext['db'],
  apiKey: string,
  t: Translate,
): Promise<HubCaller> {
  if (!apiKey) throw new Open311Error(403, [t('open311.error.keyMissing')]);
  let caller: HubCaller;
  try {
    caller = await authenticateHubKey(db, `Bearer ${apiKey}`);
  } catch (error) {
    if (!(error instanceof HubError)) throw error;
    throw new Open311Error(403, [
      t(
        error.message === 'API key revoked'
          ? 'open311.error.keyRevoked'
          : 'open311.error.keyInvalid',
      ),
    ]);
  }
  if (!mayReport(caller)) throw new Open311Error(403, [t('open311.error.keyScope')]);
  return caller;
}

/** The jurisdiction a request names (a body's slug or GSS code), or every body when it names none. */
async function jurisdiction(
  db: AppContext['db'],
  id: string,
  t: Translate,
  status: 400 | 404,
): Promise<string | undefined> {
  if (!id) return undefined;
  const organisation = await findOrganisationBySlugOrGssCode(db, id);
  if (!organisation) throw new Open311Error(status, [t('open311.error.jurisdiction', { id })]);
  return organisation.id;
}

/** GeoReport v2 at /open311/v2, in its own scope: its error and not-found answers are its own. */
export async function open311ApiRoutes(app: FastifyInstance, context: AppContext): Promise<void> {
  await app.register(
    async (api) => {
      api.setErrorHandler(open311ErrorHandler);
      api.setNotFoundHandler(async (request, reply) =>
        respond(
          reply,
          formatOfUrl(request.url),
          'errors',
          errorList(404, [request.t('open311.error.notFound')]),
          404,
        ),
      );
      for (const format of FORMATS) registerMethods(api, context, format);
    },
    { prefix: OPEN311_PREFIX },
  );
}

function registerMethods(api: FastifyInstance, context: AppContext, format: Format): void {
  const { db, config, wakeOutbox } = context;

  api.get(`/discovery.${format}`, async (request, reply) => {
    const services = await reportableServices(db, request.locale);
    const published = services
      .flatMap((s) => s.versions.map((v) => v.service.publishedAt?.getTime() ?? 0))
      .reduce((a, b) => Math.max(a, b), 0);
    const changeset = new Date(published).toISOString();
    return respond(reply, format, 'discovery', {
      changeset,
      contact: request.t('open311.discovery.contact', {
        brand: config.BRAND_NAME,
        url: config.baseUrl,
      }),
      key_service: request.t('open311.discovery.keyService'),
      endpoints: [
        {
          specification: SPECIFICATION,
          url: `${config.baseUrl}${OPEN311_PREFIX}`,
          changeset,
          type: 'production',
          formats: ['text/xml', 'application/json'],
        },
      ],
    });
  });

  api.get(`/services.${format}`, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const organisationId = await jurisdiction(
      db,
      typeof query.jurisdiction_id === 'string' ? query.jurisdiction_id.trim() : '',
      request.t,
      404,
    );
    const services = await reportableServices(db, request.locale, organisationId);
    return respond(
      reply,
      format,
      'services',
      services.map(({ problem, versions }) => {
        const first = versions[0]!;
        return {
          service_code: problem.code,
          service_name: first.service.title,
          description: first.service.summary,
          metadata: attributesOf(first.form.definition, request.locale).length > 0,
          type: 'realtime',
          keywords: '',
          group: problem.group[request.locale],
        };
      }),
    );
  });

  api.get(`/services/:code.${format}`, async (request, reply) => {
    const { code } = request.params as { code: string };
    const query = request.query as Record<string, unknown>;
    const organisationId = await jurisdiction(
      db,
      typeof query.jurisdiction_id === 'string' ? query.jurisdiction_id.trim() : '',
      request.t,
      404,
    );
    const problem = reportableProblem(code);
    const found = problem
      ? (await reportableServices(db, request.locale, organisationId)).find(
          (s) => s.problem.code === code,
        )
      : undefined;
    if (!found) throw new Open311Error(404, [request.t('open311.error.serviceUnknown', { code })]);
    return respond(reply, format, 'service_definition', {
      service_code: code,
      attributes: attributesOf(found.versions[0]!.form.definition, request.locale),
    });
  });

  api.post(
    `/requests.${format}`,
    { config: { rateLimit: { max: 120, timeWindow: 60_000 } } },
    async (request, reply) => {
      const { t } = request;
      const read = readReportParams(request.body);
      if (!read.ok) {
        // Without a valid key nothing else is said: the key is checked first.
        const body = request.body as Record<string, unknown> | undefined;
        await reportingKey(db, typeof body?.api_key === 'string' ? body.api_key.trim() : '', t);
        throw problemsError(400, t, read.problems);
      }
      const { params } = read;
      const key = await reportingKey(db, params.apiKey, t);
      if (!params.serviceCode) throw new Open311Error(400, [t('open311.error.serviceMissing')]);
      const problem = reportableProblem(params.serviceCode);
      if (!problem)
        throw new Open311Error(400, [
          t('open311.error.serviceUnknown', { code: params.serviceCode }),
        ]);
      const organisationId = await jurisdiction(db, params.jurisdictionId, t, 400);

      const found = await findPlace(db, {
        latitude: params.latitude,
        longitude: params.longitude,
        postcode: params.postcode,
        uprn: params.addressId,
        addressText: params.addressString,
      });
      if (!found.ok) throw new Open311Error(400, [t(PLACE_PROBLEMS[found.problem])]);
      const { place } = found;
      const responsible = await responsibleService(db, problem, place.postcode, request.locale);
      if (!responsible.ok)
        throw new Open311Error(400, [
          responsible.reason === 'outside'
            ? t('open311.error.outside')
            : t(`open311.error.${responsible.reason}`, {
                body: responsible.provider.name,
                code: problem.code,
              }),
        ]);
      if (organisationId && responsible.service.organisation.id !== organisationId)
        throw new Open311Error(400, [
          t('open311.error.otherJurisdiction', {
            id: params.jurisdictionId,
            body: responsible.provider.name,
          }),
        ]);

      const definition = responsible.form.definition;
      const unknown = unknownAttributes(definition, params.attributes);
      if (unknown.length)
        throw new Open311Error(
          400,
          unknown.map((code) => t('open311.error.attributeUnknown', { code })),
        );
      const content: ReportContent = {
        address: place.address,
        locationText: place.words,
        postcode: place.postcode,
        description: params.description,
        email: params.email,
        phone: params.phone,
        name: [params.firstName, params.lastName].filter(Boolean).join(' '),
        attributes: params.attributes,
      };
      const checked = checkReport(responsible, content);
      if (!checked.ok) {
        // Without an address there is one thing to say, not one per line of it.
        const addressless = !place.address && checked.errors.some((e) => e.role === 'address');
        throw new Open311Error(400, [
          ...(addressless ? [t('open311.error.addressNeeded')] : []),
          ...checked.errors
            .filter((e) => !(addressless && e.role === 'address'))
            .map((e) => reportErrorText(e, request)),
        ]);
      }
      const actor: Actor = {
        userId: null,
        organisationId: key.organisationId,
        role: 'open311-key',
        requestId: request.id,
      };
      const created = await db.transaction().execute((trx) =>
        createReport(
          trx,
          {
            reportable: responsible,
            place,
            content,
            answers: checked.answers,
            mediaUrl: params.mediaUrl,
            channel: 'open311',
            key,
            applicantUserId: null,
          },
          actor,
        ),
      );
      wakeOutbox();
      return respond(
        reply,
        format,
        'service_requests',
        [
          {
            service_request_id: created.reference,
            service_notice: definition.confirmation.body[request.locale],
            account_id: null,
          },
        ],
        201,
      );
    },
  );

  api.get(`/requests.${format}`, async (request, reply) => {
    const read = readListParams(request.query);
    if (!read.ok) throw problemsError(400, request.t, read.problems);
    const { params } = read;
    const organisationId = await jurisdiction(db, params.jurisdictionId, request.t, 404);
    const requests = await listRequests(
      db,
      { ...params, organisationId },
      request.locale,
      request.t,
    );
    return respond(reply, format, 'service_requests', requests);
  });

  api.get(`/requests/:id.${format}`, async (request, reply) => {
    const { id } = request.params as { id: string };
    const found = await findRequest(db, id, request.locale, request.t);
    if (!found) throw new Open311Error(404, [request.t('open311.error.requestUnknown', { id })]);
    return respond(reply, format, 'service_requests', [found]);
  });
}
