import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { apiSecurityHeaders } from './security-headers.js';

/** Helmet's headers besides the content security policy, the same on pages and API answers. */
const COMMON = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};
const API_POLICY = "default-src 'none';frame-ancestors 'none'";

describe('API security headers, worked out once', () => {
  it('are Helmet’s with the API policy; strict transport security only for an HTTPS site', () => {
    const secure = Object.fromEntries(
      apiSecurityHeaders(true).map(([name, value]) => [name.toLowerCase(), value]),
    );
    expect(secure).toEqual({ ...COMMON, 'content-security-policy': API_POLICY });
    const plain = apiSecurityHeaders(false).map(([name]) => name.toLowerCase());
    expect(plain).not.toContain('strict-transport-security');
    expect(plain).toHaveLength(Object.keys(COMMON).length);
  });
});

describe('security headers on answers (HTTPS site)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      BASE_URL: 'https://services.example.gov.uk',
      SESSION_SECRET: 'a-live-site-needs-its-own-secret-0123456789',
    });
  });
  afterAll(async () => app?.close());

  const headersOf = async (path: string) => {
    const answer = await fetch(app.baseUrl + path);
    await answer.arrayBuffer();
    return { status: answer.status, headers: Object.fromEntries(answer.headers) };
  };

  it('an API answer and an API refusal (by a route’s own key check) carry the API headers', async () => {
    const answered = await headersOf('/api/v1/evidence/types');
    const refused = await headersOf('/api/v1/submissions/00000000-0000-4000-8000-000000000000');
    expect([answered.status, refused.status]).toEqual([200, 401]);
    for (const { headers } of [answered, refused])
      expect(headers).toMatchObject({ ...COMMON, 'content-security-policy': API_POLICY });
  });

  it('a page still gets the page policy with new nonces each time', async () => {
    const [first, second] = [await headersOf('/'), await headersOf('/')];
    expect(first.headers).toMatchObject(COMMON);
    const policy = first.headers['content-security-policy']!;
    expect(policy).toContain("default-src 'self'");
    expect(policy).toMatch(/script-src 'nonce-[0-9a-f]{32}'/);
    expect(second.headers['content-security-policy']).not.toBe(policy);
  });
});
