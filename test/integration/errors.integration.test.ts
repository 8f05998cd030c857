import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModuleManifest } from '../../src/platform/http/types.js';
import { startTestApp, Visitor, type TestApp } from '../helpers/app.js';

/** A module whose only route fails the way a bug would, with internals in the message. */
const failing: ModuleManifest = {
  name: 'failing',
  routes(app) {
    app.get('/test/boom', async () => {
      throw new Error('connection to 10.0.0.5 refused: password=hunter2');
    });
    app.get('/api/test/boom', async () => {
      throw new Error('connection to 10.0.0.5 refused: password=hunter2');
    });
  },
};

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({}, [failing]);
});
afterAll(async () => {
  await app?.close();
});

describe('when something goes wrong inside', () => {
  it('shows the 500 page in the same style with a reference, and nothing internal', async () => {
    const response = await new Visitor(app.baseUrl).get('/test/boom');
    expect(response.status).toBe(500);
    expect(response.html).toContain('Sorry, there is a problem with the service');
    expect(response.html).toContain(response.headers.get('x-request-id')!);
    expect(response.html).not.toContain('hunter2');
    expect(response.html).not.toContain('10.0.0.5');
  });

  it('answers the API with the error envelope, and nothing internal', async () => {
    const response = await fetch(`${app.baseUrl}/api/test/boom`);
    expect(response.status).toBe(500);
    const body = await response.json();
    expect(body).toEqual({
      status_code: 500,
      errors: [{ error: 'internal_error', message: 'Sorry, there is a problem with the service' }],
      request_id: response.headers.get('x-request-id'),
    });
  });

  it('shows the Welsh 404 page to someone reading in Welsh', async () => {
    const visitor = new Visitor(app.baseUrl);
    await visitor.get('/?lang=cy');
    const response = await visitor.get('/dim-tudalen');
    expect(response.status).toBe(404);
    expect(response.html).toContain('<html lang="cy"');
  });
});
