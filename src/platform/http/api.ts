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
> {
  method: HttpMethod;
  /** Fastify path, e.g. `/api/v1/services/:slug` */
  url: string;
  summary: string;
  tag: string;
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  successStatus?: number;
  handler(
    input: { params: z.infer<P>; query: z.infer<Q>; body: z.infer<B> },
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
  response: ZodType;
  successStatus: number;
}

const registries = new WeakMap<FastifyInstance, RegisteredRoute[]>();

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
>(app: FastifyInstance, definition: ApiRouteDefinition<P, Q, B, R>): void {
  const root = rootOf(app);
  const list = registries.get(root) ?? [];
  registries.set(root, list);
  list.push({
    ...definition,
    successStatus: definition.successStatus ?? (definition.method === 'POST' ? 201 : 200),
  });
  app.route({
    method: definition.method,
    url: definition.url,
    handler: async (request, reply) => {
      const input = {
        params: parseOrThrow(definition.params, request.params, 'params'),
        query: parseOrThrow(definition.query, request.query, 'query'),
        body: parseOrThrow(definition.body, request.body, 'body'),
      };
      const result = await definition.handler(input, request, reply);
      reply.code(definition.successStatus ?? (definition.method === 'POST' ? 201 : 200));
      return result;
    },
  });
}

function rootOf(app: FastifyInstance): FastifyInstance {
  let current = app;
  while ((current as unknown as { parent?: FastifyInstance }).parent) {
    current = (current as unknown as { parent: FastifyInstance }).parent;
  }
  return current;
}

function jsonSchema(schema: ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
  });
  return rest;
}

function parametersOf(schema: ZodType | undefined, location: 'path' | 'query') {
  if (!schema) return [];
  const described = jsonSchema(schema) as {
    properties?: Record<string, unknown>;
    required?: string[];
  };
  return Object.entries(described.properties ?? {}).map(([name, property]) => ({
    name,
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
      parameters: [...parametersOf(route.params, 'path'), ...parametersOf(route.query, 'query')],
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(route.body) } },
            },
          }
        : {}),
      responses: {
        [String(route.successStatus)]: {
          description: 'Success',
          content: { 'application/json': { schema: jsonSchema(route.response) } },
        },
        '400': {
          description: 'The request is not valid: each error names the field and the reason',
        },
      },
    };
  }
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
  };
}

export function registerApiDocument(app: FastifyInstance, config: Config): void {
  app.get('/api/openapi.json', async () => openApiDocument(app, config));
}
