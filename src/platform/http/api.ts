import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z, type ZodType } from 'zod';
import type { Config } from '../config/config.js';
import { AppError } from '../errors/errors.js';

type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One API endpoint: its zod schemas validate requests and write its part of the OpenAPI document. */
export interface ApiRouteDefinition<
  P extends ZodType,
  Q extends ZodType,
  B extends ZodType,
  R extends ZodType,
  H extends ZodType = ZodType,
  C = undefined,
> {
  method: HttpMethod;
  /** Fastify path, e.g. `/api/v1/services/:slug` */
  url: string;
  summary: string;
  tag: string;
  params?: P;
  query?: Q;
  body?: B;
  /**
   * Request headers the route reads (names in lower case), checked like the rest (a problem is
   * `headers.<name>`) and documented as header parameters.
   */
  headers?: H;
  response: R;
  successStatus?: number;
  /**
   * Who may call it, as OpenAPI security requirements (any one will do), naming schemes
   * declared with `apiSecurityScheme`: `[{ hubApiKey: [] }, { personToken: ['submissions'] }]`.
   */
  security?: Record<string, string[]>[];
  /**
   * Checks the caller's credentials before anything of the request is validated, so a caller
   * without valid ones gets the API's 401 or 403 and never a 400 telling it the rules (issue 14).
   * Throw the API's own error to refuse; what it returns is the handler's `caller`. It runs as
   * the route's `onRequest` hook, before the body is read, unless `authenticateOn` says
   * `preValidation`: for a credential that signs the body, checked once the body is read.
   * A route whose `security` names credentials needs this, unless a hook of its scope checks
   * them first (test/security/auth-before-validation.test.ts holds every keyed route to it).
   */
  authenticate?: (request: FastifyRequest) => Promise<C>;
  authenticateOn?: 'onRequest' | 'preValidation';
  /** A request body that is not JSON (an upload): media type → JSON Schema, for the document only. */
  requestContent?: Record<string, Record<string, unknown>>;
  /** A success answer that is not JSON (a file): media type → JSON Schema, for the document only. */
  responseContent?: Record<string, Record<string, unknown>>;
  handler(
    input: {
      params: z.infer<P>;
      query: z.infer<Q>;
      body: z.infer<B>;
      headers: z.infer<H>;
      /** What `authenticate` returned for this request. */
      caller: C;
    },
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<z.infer<R>>;
}

interface RegisteredRoute {
  method: HttpMethod;
  url: string;
  summary: string;
  tag: string;
  params?: ZodType;
  query?: ZodType;
  body?: ZodType;
  headers?: ZodType;
  response: ZodType;
  successStatus: number;
  security?: Record<string, string[]>[];
  requestContent?: Record<string, Record<string, unknown>>;
  responseContent?: Record<string, Record<string, unknown>>;
}

const registries = new WeakMap<FastifyInstance, RegisteredRoute[]>();
const securitySchemes = new WeakMap<FastifyInstance, Record<string, Record<string, unknown>>>();

/**
 * Declares a way of authenticating to the API, for the document's `components.securitySchemes`;
 * routes name it in their `security`.
 *
 * @example apiSecurityScheme(app, 'hubApiKey', { type: 'http', scheme: 'bearer', bearerFormat: 'juhub.<key id>.<secret>' });
 */
export function apiSecurityScheme(
  app: FastifyInstance,
  name: string,
  scheme: Record<string, unknown>,
): void {
  const root = rootOf(app);
  securitySchemes.set(root, { ...securitySchemes.get(root), [name]: scheme });
}

/** A 400 naming the field and the reason, as every API client of ours expects. */
export class ApiValidationError extends AppError {
  constructor(readonly problems: { field: string; message: string }[]) {
    super('validation_error', 400, problems.map((p) => `${p.field}: ${p.message}`).join('; '));
  }
}

function parseOrThrow<T extends ZodType>(
  schema: T | undefined,
  value: unknown,
  where: string,
): z.infer<T> {
  if (!schema) return undefined as z.infer<T>;
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  throw new ApiValidationError(
    result.error.issues.map((issue) => ({
      field: [where, ...issue.path.map(String)].join('.'),
      message: issue.message,
    })),
  );
}

/**
 * Registers an API route whose input is validated with zod before the handler runs.
 *
 * @example
 * apiRoute(app, { method: 'GET', url: '/api/v1/organisations', summary: 'List public bodies',
 *   tag: 'Organisations', response: OrganisationList, handler: async () => listOrganisations(db) });
 */
export function apiRoute<
  P extends ZodType,
  Q extends ZodType,
  B extends ZodType,
  R extends ZodType,
  H extends ZodType = ZodType,
  C = undefined,
>(app: FastifyInstance, definition: ApiRouteDefinition<P, Q, B, R, H, C>): void {
  const root = rootOf(app);
  const list = registries.get(root) ?? [];
  registries.set(root, list);
  const { authenticate, authenticateOn = 'onRequest', handler, ...described } = definition;
  list.push({
    ...described,
    successStatus: definition.successStatus ?? (definition.method === 'POST' ? 201 : 200),
  });
  const callers = new WeakMap<FastifyRequest, { caller: C }>();
  const hooks = authenticate
    ? {
        [authenticateOn]: async (request: FastifyRequest) => {
          callers.set(request, { caller: await authenticate(request) });
        },
      }
    : {};
  app.route({
    method: definition.method,
    url: definition.url,
    // JSON, never a page: the API's own security headers, worked out once (see
    // apiSecurityHeaders), instead of Helmet's for pages built again on every request.
    helmet: false,
    config: { apiSecurityHeaders: true },
    ...hooks,
    handler: async (request, reply) => {
      const authenticated = callers.get(request);
      if (authenticate && !authenticated) throw new Error('API route without its caller');
      const input = {
        params: parseOrThrow(definition.params, request.params, 'params'),
        query: parseOrThrow(definition.query, request.query, 'query'),
        body: parseOrThrow(definition.body, request.body, 'body'),
        headers: parseOrThrow(definition.headers, request.headers, 'headers'),
        caller: authenticated?.caller as C,
      };
      const result = await handler(input, request, reply);
      reply.code(definition.successStatus ?? (definition.method === 'POST' ? 201 : 200));
      return result;
    },
  });
}

/**
 * The app a route belongs to, from inside any plugin scope: Fastify makes each scope with
 * `Object.create(parent)`, so the root is the last instance on the prototype chain. Routes
 * registered in a scope of their own (uploads) are then in the one document too.
 */
function rootOf(app: FastifyInstance): FastifyInstance {
  let current = app;
  for (;;) {
    const parent = Object.getPrototypeOf(current) as { route?: unknown } | null;
    if (!parent || typeof parent.route !== 'function') return current;
    current = parent as FastifyInstance;
  }
}

function jsonSchema(schema: ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
  });
  return rest;
}

function parametersOf(schema: ZodType | undefined, location: 'path' | 'query' | 'header') {
  if (!schema) return [];
  const described = jsonSchema(schema) as {
    properties?: Record<string, unknown>;
    required?: string[];
  };
  return Object.entries(described.properties ?? {}).map(([name, property]) => ({
    // Header names are case-insensitive; the document writes them as HTTP specifications do.
    name: location === 'header' ? name.replace(/(^|-)([a-z])/g, (m) => m.toUpperCase()) : name,
    in: location,
    required: location === 'path' || (described.required ?? []).includes(name),
    schema: property,
  }));
}

/** Builds the OpenAPI 3.1 document from every route registered with apiRoute. */
export function openApiDocument(app: FastifyInstance, config: Config): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of registries.get(rootOf(app)) ?? []) {
    const path = route.url.replace(/:(\w+)/g, '{$1}');
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = {
      summary: route.summary,
      tags: [route.tag],
      parameters: [
        ...parametersOf(route.params, 'path'),
        ...parametersOf(route.query, 'query'),
        ...parametersOf(route.headers, 'header'),
      ],
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(route.body) } },
            },
          }
        : route.requestContent
          ? { requestBody: { required: true, content: contentOf(route.requestContent) } }
          : {}),
      ...(route.security ? { security: route.security } : {}),
      responses: {
        [String(route.successStatus)]: {
          description: 'Success',
          content: route.responseContent
            ? contentOf(route.responseContent)
            : { 'application/json': { schema: jsonSchema(route.response) } },
        },
        '400': {
          description: 'The request is not valid: each error names the field and the reason',
        },
        ...(route.security
          ? {
              '401': { description: 'No credentials, or ones that are not valid' },
              '403': { description: 'The credentials do not allow this' },
            }
          : {}),
      },
    };
  }
  const schemes = securitySchemes.get(rootOf(app));
  return {
    openapi: '3.1.0',
    info: {
      title: `${config.BRAND_NAME} API`,
      version: '1',
      description:
        'The public API of Joinedup: every public body, service and channel on one gateway.',
    },
    servers: [{ url: config.baseUrl }],
    paths,
    ...(schemes ? { components: { securitySchemes: schemes } } : {}),
  };
}

function contentOf(content: Record<string, Record<string, unknown>>) {
  return Object.fromEntries(Object.entries(content).map(([type, schema]) => [type, { schema }]));
}

export function registerApiDocument(app: FastifyInstance, config: Config): void {
  app.get('/api/openapi.json', async () => openApiDocument(app, config));
}
