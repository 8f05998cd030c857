import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubKeyCreate } from '../../src/modules/submissions/index.js';
import { startTestApp, Visitor, type TestApp } from '../helpers/app.js';
import { applyForBulkyWaste } from '../helpers/journeys.js';

/**
 * Injection (issue 14, part 1): SQL, HTML and script, template syntax, header (CRLF) and path
 * traversal payloads through the first service's web journey and the hub API, then read back on
 * the person's page, the caseworker's case page, the hub API and in the database. Everywhere the
 * payloads must be the literal text the person typed: escaped in pages, never executed by the
 * database or the templates, never a header, never a path.
 */
const PAYLOADS = [
  "Robert'); DROP TABLE users; --",
  '<script>alert("xss")</script>',
  '<img src=x onerror=alert(1)>',
  '{{7*7}} {% raw %} ${7*7} #{7*7}',
  'fridge\r\nSet-Cookie: injected=1',
  '../../../../etc/passwd',
];
const TEXT = PAYLOADS.join(' | ');
const CITIZEN = ['citizen@example.com', 'demo-citizen-password'] as const;
const STROUD = ['caseworker@stroud.example.gov.uk', 'demo-stroud-caseworker'] as const;

let app: TestApp;
const db = () => app.platform.database.db;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

/** What a page must never contain if the payloads were rendered inert. */
function expectInert(html: string): void {
  expect(html).not.toContain('<script>alert("xss")</script>');
  expect(html).not.toContain('<img src=x onerror');
  // Escaped, the markup is shown as text.
  expect(html).toContain('&lt;script&gt;');
  // Template syntax is shown, not evaluated.
  expect(html).toContain('{{7*7}}');
  expect(html).not.toContain('49 {% raw %}');
}

/** A submission's stored answers (by reference or id). */
async function storedAnswers(key: { reference: string } | { id: string }) {
  const row = await sql<{ answers: { values: Record<string, unknown> } }>`
    select answers from submissions
     where ${'reference' in key ? sql`reference = ${key.reference}` : sql`id = ${key.id}`}`.execute(
    db(),
  );
  expect(row.rows[0], 'the submission').toBeDefined();
  return row.rows[0]!.answers.values;
}
/** Answers to a multi-line question keep their lines, with line endings made \n. */
const AS_STORED = TEXT.replaceAll('\r\n', '\n');

describe('payloads through the web journey', () => {
  let reference = '';
  const usersBefore = async () =>
    Number(
      (await sql<{ n: number }>`select count(*)::int as n from users`.execute(db())).rows[0]!.n,
    );

  it('are stored exactly as typed, and the database is otherwise unchanged', async () => {
    const before = await usersBefore();
    const citizen = new Visitor(app.baseUrl);
    await citizen.signIn(...CITIZEN);
    reference = await applyForBulkyWaste(citizen, { items: ['other'], itemDetails: TEXT });
    expect((await storedAnswers({ reference })).itemDetails).toBe(AS_STORED);
    expect(await usersBefore()).toBe(before);
  });

  it('are shown inert on the person’s application page and the caseworker’s case page', async () => {
    const citizen = new Visitor(app.baseUrl);
    await citizen.signIn(...CITIZEN);
    const own = await citizen.get(`/applications/${reference}`);
    expect(own.status).toBe(200);
    expectInert(own.html);
    expect(own.headers.getSetCookie().some((c) => c.startsWith('injected='))).toBe(false);

    // The worker is off in tests: deliver the application to Stroud's casework.
    await app.platform.worker.drain();
    const caseworker = new Visitor(app.baseUrl);
    await caseworker.signIn(...STROUD);
    const page = await caseworker.get(`/casework/${reference}`);
    expect(page.status).toBe(200);
    expectInert(page.html);
  });

  it('are never a path: traversal in a reference is not found, not a file', async () => {
    const citizen = new Visitor(app.baseUrl);
    await citizen.signIn(...CITIZEN);
    for (const path of [
      '/applications/..%2F..%2F..%2Fetc%2Fpasswd',
      '/applications/../../../etc/passwd',
      '/assets/..%2F..%2Fpackage.json',
      '/assets/%2e%2e/%2e%2e/package.json',
    ]) {
      const response = await citizen.get(path);
      expect([400, 404], path).toContain(response.status);
      expect(response.html).not.toContain('"name": "joinedup"');
      expect(response.html).not.toContain('root:x:0:0');
    }
  });
});

describe('payloads through the hub API', () => {
  it('are taken as data and stored exactly', async () => {
    const key = (await hubKeyCreate(db(), ['--org', 'stroud', '--scope', 'submit'])).out[0]!;
    const date = new Date(Date.now() + 10 * 86_400_000);
    while (date.getUTCDay() === 0 || date.getUTCDay() === 6) date.setUTCDate(date.getUTCDate() + 1);
    const response = await fetch(
      `${app.baseUrl}/api/v1/services/request-a-bulky-waste-collection/submissions`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          'idempotency-key': 'injection-1',
        },
        body: JSON.stringify({
          answers: {
            items: ['other'],
            itemDetails: TEXT,
            addressLine1: PAYLOADS[1],
            town: 'Stroud',
            postcode: 'GL5 4UB',
            preferredDate: date.toISOString().slice(0, 10),
          },
        }),
      },
    );
    expect(response.status, await response.clone().text()).toBe(202);
    expect(response.headers.get('set-cookie') ?? '').not.toContain('injected');
    const { id } = (await response.json()) as { id: string };
    const stored = await storedAnswers({ id });
    expect(stored.itemDetails).toBe(AS_STORED);
    expect(stored.addressLine1).toBe(PAYLOADS[1]);
  });
});
