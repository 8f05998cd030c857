import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfToken, startTestApp, Visitor, type TestApp } from '../helpers/app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ SIGN_IN_ATTEMPTS_PER_ADDRESS_PER_MINUTE: '5' });
});
afterAll(async () => {
  await app?.close();
});

describe('sign-in attempts from one address', () => {
  it('are limited whatever accounts they try, so one address cannot sweep many accounts', async () => {
    const sweeper = new Visitor(app.baseUrl);
    const token = csrfToken((await sweeper.get('/sign-in')).html);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const attempt = await sweeper.post(
        '/sign-in',
        { email: `person${i}@example.com`, password: 'guess', returnTo: '/' },
        token,
      );
      statuses.push(attempt.status);
    }
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
    const refused = await sweeper.post(
      '/sign-in',
      { email: 'citizen@example.com', password: 'demo-citizen-password', returnTo: '/' },
      token,
    );
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(refused.html).toContain('govuk-heading-l');
  });
});
