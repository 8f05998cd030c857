import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../config/config.js';
import { apiRoute, apiSecurityScheme, ApiValidationError, openApiDocument } from './api.js';

const config = loadConfig({
  DATA_DIR: ':memory:',
  BASE_URL: 'https://api.example.gov.uk',
  SESSION_SECRET: 'a-live-site-needs-its-own-secret-0123456789',
});

function appWithOneRoute() {
  const app = Fastify();
  app.setErrorHandler((error, _request, reply) =>
    reply.code(error instanceof ApiValidationError ? 400 : 500).send({
      problems: error instanceof ApiValidationError ? error.problems : [],
    }),
  );
  apiSecurityScheme(app, 'apiKey', { type: 'http', scheme: 'bearer' });
  apiRoute(app, {
    method: 'POST',
    url: '/api/v1/things',
    summary: 'Make a thing',
    tag: 'Things',
    body: z.object({ name: z.string() }),
    headers: z.object({ 'idempotency-key': z.string().regex(/^\w{1,20}$/, 'a short key') }),
    security: [{ apiKey: [] }],
    response: z.object({ key: z.string() }),
    handler: async ({ headers }) => ({ key: headers['idempotency-key'] }),
  });
  // A route in a scope of its own (as uploads are) is in the same document.
  void app.register(async (scope) =>
    apiRoute(scope, {
      method: 'GET',
      url: '/api/v1/files/:id',
      summary: 'A file',
      tag: 'Things',
      params: z.object({ id: z.string() }),
      response: z.unknown(),
      responseContent: { 'application/octet-stream': { type: 'string', format: 'binary' } },
      handler: async () => 'bytes',
    }),
  );
  return app;
}

describe('API routes', () => {
  it('check the headers a route declares and give the handler their values', async () => {
    const app = appWithOneRoute();
    const made = await app.inject({
      method: 'POST',
      url: '/api/v1/things',
      headers: { 'idempotency-key': 'abc123' },
      payload: { name: 'x' },
    });
    expect(made.statusCode).toBe(201);
    expect(made.json()).toEqual({ key: 'abc123' });
    const missing = await app.inject({
      method: 'POST',
      url: '/api/v1/things',
      payload: { name: 'x' },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().problems[0].field).toBe('headers.idempotency-key');
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/things',
      headers: { 'idempotency-key': 'not allowed!' },
      payload: { name: 'x' },
    });
    expect(bad.json().problems).toEqual([
      { field: 'headers.idempotency-key', message: 'a short key' },
    ]);
  });

  it('document header parameters, security requirements and schemes, and content that is not JSON', async () => {
    const app = appWithOneRoute();
    await app.ready();
    const document = openApiDocument(app, config) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
      components?: { securitySchemes?: Record<string, unknown> };
    };
    const make = document.paths['/api/v1/things']!.post!;
    expect(make.parameters).toEqual([
      {
        name: 'Idempotency-Key',
        in: 'header',
        required: true,
        schema: { type: 'string', pattern: '^\\w{1,20}$' },
      },
    ]);
    expect(make.security).toEqual([{ apiKey: [] }]);
    expect(Object.keys(make.responses as object)).toEqual(['201', '400', '401', '403']);
    expect(document.components?.securitySchemes).toEqual({
      apiKey: { type: 'http', scheme: 'bearer' },
    });
    const file = document.paths['/api/v1/files/{id}']!.get!;
    expect(file.security).toBeUndefined();
    expect((file.responses as Record<string, { content: unknown }>)['200']!.content).toEqual({
      'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
    });
  });
});
