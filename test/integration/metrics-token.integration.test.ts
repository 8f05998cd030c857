import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

const TOKEN = 'prometheus-scrape-token-0123456789abcdef';

describe('/metrics with METRICS_TOKEN set', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ METRICS_TOKEN: TOKEN });
  });
  afterAll(async () => app.close());

  it('refuses a scrape without the token, with a Bearer challenge and no figures', async () => {
    const response = await fetch(`${app.baseUrl}/metrics`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    expect(await response.text()).not.toContain('joinedup_');
  });

  it('refuses a wrong token, a token with extra characters and another scheme', async () => {
    for (const authorization of [
      'Bearer not-the-token',
      `Bearer ${TOKEN}x`,
      `Basic ${Buffer.from(`prometheus:${TOKEN}`).toString('base64')}`,
    ]) {
      const response = await fetch(`${app.baseUrl}/metrics`, { headers: { authorization } });
      expect(response.status, authorization).toBe(401);
    }
  });

  it('answers Prometheus with the token', async () => {
    const response = await fetch(`${app.baseUrl}/metrics`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('joinedup_http_requests_total');
  });
});
