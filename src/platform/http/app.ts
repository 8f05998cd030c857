import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import { sql } from 'kysely';
import { AppError } from '../errors/errors.js';
import { isLocale, loadMessages, translator, type Locale } from '../i18n/i18n.js';
import { sessionSecrets } from '../keyring/keyring.js';
import { projectPath } from '../paths.js';
import { registerApiDocument } from './api.js';
import { registerMetrics } from './metrics.js';
import { registerStaticPages } from './static-pages.js';
import { databaseRateLimitStore } from './rate-limit-store.js';
import { apiSecurityHeaders, pageHelmetOptions } from './security-headers.js';
import type { AppContext, ModuleManifest } from './types.js';
import { registerViews, setPageLocals } from './views.js';

export const LANGUAGE_COOKIE = 'ju_lang';

/**
 * The longest path parameter the router takes. Fastify's default (100) refused ids the app
 * makes itself: the development mailbox names a message by its idempotency key, up to the 251
 * characters a file name allows (a dead-letter alert's is about 120). A longer one is a framework
 * error, answered by the app's error handler (see `refusedByRouter`).
 */
export const MAX_PARAM_LENGTH = 512;

/**
 * Where a request the router refused is sent again (`frameworkErrors`), so that it goes through
 * the app's hooks (security headers, language, the API's own authentication) and is answered
 * with the router's error by the error handler of the scope it was sent to: Notify's, Pay's and
 * Open311's answer in their own shapes. Each path segment the router could not take is replaced
 * by this one (the rest of the address is kept, so it reaches that scope); where none can be
 * named, the whole path is. No handler runs for it (see the preValidation hook), and the original
 * address is put back first thing.
 */
const REFUSED_SEGMENT = '.refused-by-router';

/** The requests the router refused (a parameter too long, an address it cannot decode). */
const refusals = new WeakMap<IncomingMessage, { url: string; error: Error & { code?: string } }>();

/**
 * Builds the one Fastify app that serves every page and API of every module.
 * It does not listen: the caller (web entry, tests, bench) decides the port.
 */
export async function buildApp(
  context: AppContext,
  modules: ModuleManifest[],
): Promise<FastifyInstance> {
  const { config } = context;
  const secure = context.config.baseUrl.startsWith('https://');
  const app = Fastify({
    loggerInstance: context.logger as FastifyBaseLogger,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
    },
    trustProxy: config.TRUST_PROXY === 'true',
    bodyLimit: 1_048_576,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // Fastify answers these itself, before any hook: JSON echoing the path, without the security
    // headers. Routed again instead, they get the app's headers and its error page or JSON.
    frameworkErrors: (error, request, reply) => {
      const raw = request.raw;
      if (refusals.has(raw)) {
        // Refused again on its second way through: never loop, and say nothing of the address.
        reply.raw
          .writeHead(400, {
            'content-type': 'text/plain; charset=utf-8',
            'x-content-type-options': 'nosniff',
          })
          .end('Bad request');
        return;
      }
      const url = raw.url ?? '/';
      refusals.set(raw, { url, error });
      raw.url = reroutable(url, error.code);
      app.routing(raw, reply.raw);
    },
  });
  // First of all the hooks: every other one sees the address as it was sent.
  app.addHook('onRequest', async (request) => {
    const refused = refusals.get(request.raw);
    if (refused) request.raw.url = refused.url;
  });

  app.decorateRequest('user', null);
  app.decorateRequest('locale', 'en');
  app.decorateRequest('t', null as never);

  await app.register(fastifyHelmet, pageHelmetOptions(secure));
  // An API route's headers never change (see apiSecurityHeaders): set here, where Helmet would
  // have set them, before any hook that may refuse the request.
  const apiHeaders = apiSecurityHeaders(secure);
  app.addHook('onRequest', (request, reply, done) => {
    if (request.routeOptions.config.apiSecurityHeaders === true)
      for (const [name, value] of apiHeaders) reply.raw.setHeader(name, value);
    done();
  });
  // Signed with SESSION_SECRET; one signed under a previous secret still reads (keyring).
  await app.register(fastifyCookie, { secret: [...sessionSecrets(config)] });
  await app.register(fastifyFormbody);
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', path: '/', secure },
    getToken: (request) => (request.body as { _csrf?: string } | undefined)?._csrf,
  });
  await app.register(fastifyRateLimit, {
    global: false,
    store: databaseRateLimitStore(context.db),
  });
  await app.register(fastifyStatic, {
    root: projectPath('public'),
    prefix: '/assets/',
    index: false,
  });

  const messages = await loadMessages();
  app.addHook('onRequest', async (request, reply) => {
    request.locale = chooseLocale(request, reply, secure);
    request.t = translator(messages, request.locale);
    reply.header('x-request-id', request.id);
  });

  // A request the router refused is answered with its error before any handler runs (the
  // not-found handler included, and so before the CSRF check), by the error handler of the scope
  // its address reached, once that scope has authenticated it.
  app.addHook('preValidation', async (request) => {
    const refused = refusedByRouter(request);
    if (refused) throw refused;
  });

  // Pages and forms are protected against cross-site request forgery; the API uses bearer tokens.
  app.addHook('preHandler', (request, reply, done) => {
    if (
      request.method === 'GET' ||
      request.method === 'HEAD' ||
      request.url.startsWith('/api/') ||
      request.url.startsWith('/oidc/') ||
      request.url.startsWith('/v2/') ||
      // The payments API (GOV.UK Pay's shape): bearer keys, no cookies.
      request.url.startsWith('/v1/payments') ||
      // Open311 GeoReport v2: a form-encoded API with its api_key in the body, not a cookie.
      request.url.startsWith('/open311/')
    ) {
      return done();
    }
    app.csrfProtection(request, reply, done);
  });

  // A signed-in person's pages and any answer to a keyed API call hold personal data: no cache
  // (a shared computer's browser, a proxy) may keep them, unless the route says otherwise.
  // Static assets stay cacheable (ASVS 8.2.1).
  app.addHook('onSend', async (request, reply, payload) => {
    if (
      !reply.hasHeader('cache-control') &&
      !request.url.startsWith('/assets/') &&
      (request.user || request.headers.authorization)
    )
      reply.header('cache-control', 'no-store');
    return payload;
  });

  for (const module of modules) await module.hooks?.(app, context);
  await registerViews(
    app,
    config,
    modules.flatMap((m) => m.navigation ?? []),
  );
  registerErrorPages(app);
  registerHealth(app, context);
  registerMetrics(app, context);
  registerApiDocument(app, config);
  registerStaticPages(app, config);
  for (const module of modules) await module.routes?.(app, context);
  return app;
}

function chooseLocale(request: FastifyRequest, reply: FastifyReply, secure: boolean): Locale {
  const asked = (request.query as { lang?: unknown } | undefined)?.lang;
  if (isLocale(asked)) {
    reply.setCookie(LANGUAGE_COOKIE, asked, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure,
      maxAge: 365 * 24 * 3600,
    });
    return asked;
  }
  const remembered = request.cookies[LANGUAGE_COOKIE];
  return isLocale(remembered) ? remembered : 'en';
}

/** The address with each segment the router refused (too long, not decodable) replaced. */
function reroutable(url: string, code: string | undefined): string {
  const query = url.indexOf('?');
  const path = query >= 0 ? url.slice(0, query) : url;
  const refusedSegment = (segment: string) => {
    if (code === 'FST_ERR_MAX_PARAM_LENGTH') return segment.length > MAX_PARAM_LENGTH;
    if (code !== 'FST_ERR_BAD_URL') return false;
    try {
      decodeURIComponent(segment);
      return false;
    } catch {
      return true;
    }
  };
  const segments = path.split('/');
  const rerouted = segments.some(refusedSegment)
    ? segments.map((segment) => (refusedSegment(segment) ? REFUSED_SEGMENT : segment)).join('/')
    : `/${REFUSED_SEGMENT}`;
  return rerouted + (query >= 0 ? url.slice(query) : '');
}

/**
 * The router's refusal of this request as the app's error, or undefined: the address is too
 * long (414) or not a valid address (400). The message never repeats the address.
 */
function refusedByRouter(request: FastifyRequest): AppError | undefined {
  const refused = refusals.get(request.raw);
  if (!refused) return undefined;
  if (refused.error.code === 'FST_ERR_MAX_PARAM_LENGTH')
    return new RouterRefusal('uri_too_long', 414, request.t('errorPage.uriTooLong'), {
      length: refused.url.length,
    });
  if (refused.error.code === 'FST_ERR_BAD_URL')
    return new RouterRefusal('bad_url', 400, request.t('errorPage.badUrl'));
  return new RouterRefusal('internal_error', 500, 'Sorry, there is a problem with the service', {
    code: refused.error.code,
  });
}

/**
 * The router's refusal, with its status also as `statusCode`: the scopes with error handlers of
 * their own (Notify's, Pay's, Open311's) answer any error by that, in their own shape.
 */
class RouterRefusal extends AppError {
  get statusCode(): number {
    return this.status;
  }
}

function wantsJson(request: FastifyRequest): boolean {
  // The router's refusal of an address under any API (Notify's, Pay's, Open311's too) is JSON.
  if (refusals.has(request.raw) && /^\/(v1|v2|open311)\//.test(request.url)) return true;
  return (
    request.url.startsWith('/api/') ||
    request.url.startsWith('/healthz') ||
    request.url.startsWith('/readyz')
  );
}

function registerErrorPages(app: FastifyInstance): void {
  app.setNotFoundHandler(async (request, reply) => {
    request.log.info({ url: request.url }, 'not found');
    if (wantsJson(request)) {
      return reply.code(404).send({
        status_code: 404,
        errors: [{ error: 'not_found', message: 'Not found' }],
        request_id: request.id,
      });
    }
    return reply.code(404).view('platform/views/errors/404.njk');
  });

  app.setErrorHandler(
    async (error: Error & { code?: string; statusCode?: number }, request, reply) => {
      const status = errorStatus(error);
      if (status >= 500) request.log.error({ err: error }, 'request failed');
      else
        request.log.info(
          { code: error.code, detail: error instanceof AppError ? error.detail : undefined },
          error.message,
        );
      const code = error instanceof AppError ? error.code : publicCode(error, status);
      const message = status >= 500 ? 'Sorry, there is a problem with the service' : error.message;
      if (wantsJson(request)) {
        return reply.code(status).send({
          status_code: status,
          errors: [{ error: code, message }],
          request_id: request.id,
        });
      }
      if (!request.t) request.t = (key) => key;
      if (!reply.locals?.t) setPageLocals(request, reply);
      const template =
        status === 404
          ? '404'
          : code === 'csrf_invalid'
            ? 'csrf'
            : status === 429
              ? '429'
              : status >= 500
                ? '500'
                : '400';
      return reply
        .code(status)
        .view(`platform/views/errors/${template}.njk`, { requestId: request.id, message });
    },
  );
}

function errorStatus(error: { statusCode?: number }): number {
  if (error instanceof AppError) return error.status;
  const status = error.statusCode ?? 500;
  return status >= 400 && status < 600 ? status : 500;
}

function publicCode(error: { code?: string }, status: number): string {
  if (error.code === 'FST_CSRF_INVALID_TOKEN' || error.code === 'FST_CSRF_MISSING_SECRET')
    return 'csrf_invalid';
  if (status === 429) return 'rate_limited';
  if (status === 413) return 'too_large';
  if (status >= 500) return 'internal_error';
  return 'bad_request';
}

function registerHealth(app: FastifyInstance, context: AppContext): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await sql`select 1 from schema_migrations limit 1`.execute(context.db);
      return { status: 'ready' };
    } catch (error) {
      context.logger.warn({ err: error }, 'not ready');
      return reply.code(503).send({ status: 'unavailable' });
    }
  });
}
