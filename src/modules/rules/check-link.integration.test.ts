import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../test/helpers/app.js';
import { DEMO_RULES_SERVICE_SLUG } from './index.js';

/** A service page links to "Check if you can get this" only while eligibility rules are in force. */
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
}, 120_000);

afterAll(async () => {
  await app?.close();
});

describe('the service page’s link to "Check if you can get this"', () => {
  it('is shown, in English and Welsh, on a service with eligibility rules in force', async () => {
    const visitor = new Visitor(app.baseUrl);
    const page = await visitor.get(`/services/${DEMO_RULES_SERVICE_SLUG}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain(`href="/services/${DEMO_RULES_SERVICE_SLUG}/check"`);
    expect(page.html).toContain('Check if you can get this');
    const welsh = await visitor.get(`/services/${DEMO_RULES_SERVICE_SLUG}?lang=cy`);
    expect(welsh.html).toContain(`href="/services/${DEMO_RULES_SERVICE_SLUG}/check"`);
    expect(welsh.html).toContain('Gwirio a allwch gael hyn');
    // The link leads to the page.
    expect((await visitor.get(`/services/${DEMO_RULES_SERVICE_SLUG}/check`)).status).toBe(200);
  });

  it('is not shown on a service without rules', async () => {
    const page = await new Visitor(app.baseUrl).get('/services/pay-council-tax-stroud');
    expect(page.status).toBe(200);
    expect(page.html).not.toContain('/check"');
    expect(page.html).not.toContain('Check if you can get this');
  });
});
