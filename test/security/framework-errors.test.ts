import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueKey, tokenFor } from '../../src/modules/notify/test/helpers.js';
import { findOrganisationBySlug } from '../../src/modules/organisations/index.js';
import { createPayKey } from '../../src/modules/payments/index.js';
import { createHubKey } from '../../src/modules/submissions/index.js';
import { MAX_PARAM_LENGTH } from '../../src/platform/http/app.js';
import { MAIL_TOPIC } from '../../src/platform/mail/mailer.js';
import { enqueue } from '../../src/platform/outbox/outbox.js';
import { startTestApp, Visitor, type TestApp } from '../helpers/app.js';

/**
 * The router's own refusals (issue 14, found by the injection sweep): a path parameter over
 * Fastify's `maxParamLength`, or an address that cannot be decoded, was answered by Fastify
 * before any hook ran, as JSON echoing the path, without the security headers. Now the limit
 * takes the app's own long ids, and what is still refused goes through the app's hooks to the
 * error handler of the scope its address was for: its headers, its error page in the person's
 * language, or that API's own error shape (ours, Notify's, Pay's, Open311's) once that API has
 * authenticated the caller.
 *
 * Headers and pages are the same on both databases: the PGlite pass only.
 */
const suite = describe.skipIf(Boolean(process.env.DATABASE_URL));

let app: TestApp;
let dataDir: string;

beforeAll(async () => {
  if (process.env.DATABASE_URL) return;
  // A mailbox folder of its own, to find this test's message in it.
  dataDir = await mkdtemp(path.join(tmpdir(), 'joinedup-framework-errors-'));
  app = await startTestApp({ DATA_DIR: dataDir });
}, 60_000);

afterAll(async () => {
  await app?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const MARKUP = '<script>alert(1)</script>';
/** A parameter of the given length that starts with markup, as a path segment. */
const parameter = (length: number) =>
  encodeURIComponent(MARKUP + 'a'.repeat(length - MARKUP.length));

async function get(url: string, headers: Record<string, string> = {}) {
  const response = await app.platform.app.inject({ method: 'GET', url, headers });
  return {
    status: response.statusCode,
    headers: response.headers,
    body: response.body,
    type: String(response.headers['content-type'] ?? ''),
  };
}

/** Stroud's keys for its hub, Notify and Pay APIs (made once). */
let keys: Promise<{
  hub: Record<string, string>;
  pay: Record<string, string>;
  notify: () => Record<string, string>;
}>;
function apiKeys() {
  keys ??= (async () => {
    const db = app.platform.database.db;
    const stroud = (await findOrganisationBySlug(db, 'stroud'))!;
    const actor = { userId: null, organisationId: stroud.id, role: 'test' };
    const hub = await createHubKey(
      db,
      { organisationId: stroud.id, name: 'router refusals', scope: 'receive' },
      actor,
    );
    const pay = await createPayKey(
      db,
      { organisationId: stroud.id, name: 'router refusals' },
      actor,
    );
    const notify = await issueKey(db, 'stroud', 'live');
    return {
      hub: { authorization: `Bearer ${hub.key}` },
      pay: { authorization: `Bearer ${pay.key}` },
      notify: () => ({ authorization: `Bearer ${tokenFor(notify)}` }),
    };
  })();
  return keys;
}

function expectSecurityHeaders(answer: Awaited<ReturnType<typeof get>>) {
  expect(answer.headers['x-content-type-options']).toBe('nosniff');
  expect(String(answer.headers['content-security-policy'])).toMatch(/default-src '(self|none)'/);
  expect(String(answer.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
  expect(answer.headers['x-frame-options']).toBe('SAMEORIGIN');
  expect(answer.headers['referrer-policy']).toBe('no-referrer');
  expect(answer.headers['x-request-id']).toBeTruthy();
  // The address is never given back as it came: a page links to it percent-encoded (the
  // language switch), JSON does not repeat it at all, and Fastify's own error never shows.
  expect(answer.body).not.toContain(MARKUP);
  expect(answer.body).not.toContain('FST_ERR');
  if (answer.type.includes('json'))
    expect(answer.body).not.toContain('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
}

suite('a long path parameter', () => {
  it('of 300 characters reaches a page route, whose answer has the security headers', async () => {
    const answer = await get(`/services/${parameter(300)}`);
    expect(answer.status).toBe(404);
    expect(answer.type).toContain('text/html');
    expect(answer.body).toContain('Page not found');
    expectSecurityHeaders(answer);
  });

  it('of 300 characters reaches an API route, which answers in its own shape with the headers', async () => {
    const answer = await get(`/api/v1/submissions/${parameter(300)}`);
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toMatchObject({
      status_code: 401,
      errors: [{ error: 'api_key_invalid' }],
    });
    expectSecurityHeaders(answer);
  });

  it('over the limit gets our error page, in the person’s language, with the headers', async () => {
    const url = `/services/${parameter(MAX_PARAM_LENGTH + 100)}`;
    const english = await get(url);
    expect(english.status).toBe(414);
    expect(english.type).toContain('text/html');
    expect(english.body).toContain('<html lang="en"');
    expect(english.body).toContain('Sorry, there is a problem with your request');
    expect(english.body).toContain('The web address is too long');
    expectSecurityHeaders(english);

    const welsh = await get(url, { cookie: 'ju_lang=cy' });
    expect(welsh.status).toBe(414);
    expect(welsh.body).toContain('<html lang="cy"');
    expect(welsh.body).toContain('Mae’r cyfeiriad gwe yn rhy hir');
    expectSecurityHeaders(welsh);

    const asked = await get(`${url}?lang=cy`);
    expect(asked.body).toContain('<html lang="cy"');
  });

  it('over the limit on a form gets the same page, not a CSRF refusal, and changes nothing', async () => {
    const response = await app.platform.app.inject({
      method: 'POST',
      url: `/services/${parameter(MAX_PARAM_LENGTH + 100)}/apply`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'answer=1',
    });
    expect(response.statusCode).toBe(414);
    expect(response.body).toContain('The web address is too long');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('over the limit where no route is, even as a form, gets the same page, not a 404 or CSRF refusal', async () => {
    const url = `/services/${parameter(MAX_PARAM_LENGTH + 100)}/no-such-page`;
    for (const method of ['GET', 'POST'] as const) {
      const response = await app.platform.app.inject({
        method,
        url,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        ...(method === 'POST' ? { payload: 'answer=1' } : {}),
      });
      expect(response.statusCode, method).toBe(414);
      expect(response.body).toContain('The web address is too long');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('over the limit on an API is authenticated by that API, then refused in its own shape', async () => {
    const long = parameter(MAX_PARAM_LENGTH + 100);
    const keys = await apiKeys();
    const shapes: [string, Record<string, string>, number, unknown][] = [
      [
        `/api/v1/submissions/${long}`,
        keys.hub,
        414,
        {
          status_code: 414,
          errors: [
            { error: 'uri_too_long', message: 'The web address is too long. Check it is correct.' },
          ],
        },
      ],
      [
        `/v2/notifications/${long}`,
        keys.notify(),
        414,
        {
          status_code: 414,
          errors: [
            {
              error: 'BadRequestError',
              message: 'The web address is too long. Check it is correct.',
            },
          ],
        },
      ],
      [
        `/v1/payments/${long}`,
        keys.pay,
        414,
        { code: 'P0197', description: 'The web address is too long. Check it is correct.' },
      ],
      [`/open311/v2/requests/${long}.json`, {}, 414, [{ code: 414 }]],
    ];
    for (const [url, headers, status, shape] of shapes) {
      const answer = await get(url, headers);
      expect(answer.status, url).toBe(status);
      expect(answer.type, url).toContain('application/json');
      expect(JSON.parse(answer.body), url).toMatchObject(shape as object);
      expectSecurityHeaders(answer);
    }
    // Without credentials each API refuses the caller first, as it does any other request.
    expect((await get(`/api/v1/submissions/${long}`)).status).toBe(401);
    expect((await get(`/v2/notifications/${long}`)).status).toBe(401);
    expect((await get(`/v1/payments/${long}`)).status).toBe(401);
  });

  it('in Open311 XML is refused in XML', async () => {
    const answer = await get(`/open311/v2/requests/${parameter(MAX_PARAM_LENGTH + 100)}.xml`);
    expect(answer.status).toBe(414);
    expect(answer.type).toContain('xml');
    expect(answer.body).toContain('<code>414</code>');
    expectSecurityHeaders(answer);
  });
});

suite('an address the router cannot decode', () => {
  it('gets our error page, or the API’s JSON, with the headers', async () => {
    const page = await get(`/services/${encodeURIComponent(MARKUP)}%E0%A4%A`);
    expect(page.status).toBe(400);
    expect(page.body).toContain('The web address is not valid');
    expectSecurityHeaders(page);

    const api = await get(
      `/api/v1/submissions/${encodeURIComponent(MARKUP)}%E0%A4%A`,
      (await apiKeys()).hub,
    );
    expect(api.status).toBe(400);
    expect(JSON.parse(api.body)).toMatchObject({
      status_code: 400,
      errors: [{ error: 'bad_url' }],
    });
    expectSecurityHeaders(api);
  });
});

suite('the development mailbox', () => {
  it('opens a message whose id is over 100 characters (a dead-letter alert’s)', async () => {
    const mark = randomBytes(4).toString('hex');
    // As the hub names a dead-letter alert: its delivery's key, then the alert and its recipient.
    const key = `submissions.delivery:${crypto.randomUUID()}:attempt:${crypto.randomUUID()}:dead-letter-alert:admin@stroud.example.gov.uk:${mark}`;
    expect(key.length).toBeGreaterThan(150);
    await enqueue(app.platform.database.db, {
      topic: MAIL_TOPIC,
      payload: {
        to: 'admin@stroud.example.gov.uk',
        subject: `Deliveries are failing ${mark}`,
        text: `A body's endpoint is down.\n\n${mark}`,
      },
      idempotencyKey: key,
    });
    for (let round = 0; round < 3; round++) await app.platform.worker.drain();

    const admin = new Visitor(app.baseUrl);
    await admin.signIn('admin@cabinet-office.example.gov.uk', 'demo-platform-admin');
    const list = await admin.get('/dev/mailbox');
    const link = new RegExp(`href="(/dev/mailbox/email/[^"]*${mark}[^"]*)"`).exec(list.html)?.[1];
    expect(link).toBeDefined();
    expect(link!.split('/').at(-1)!.length).toBeGreaterThan(100);
    const message = await admin.get(link!);
    expect(message.status).toBe(200);
    expect(message.html).toContain(`Deliveries are failing ${mark}`);
    expect(message.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
