import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../../test/helpers/app.js';
import { aSignedInCitizen } from '../../../../test/helpers/citizens.js';
import { applyForBulkyWaste, approveBulkyWaste } from '../../../../test/helpers/journeys.js';
import { pdfTextLines } from '../../../platform/letters/pdf.js';
import { submissionDigest } from '../index.js';
import { canonicalize } from './jcs.js';

const CITIZEN = ['citizen@example.com', 'demo-citizen-password'] as const;
const STROUD = ['caseworker@stroud.example.gov.uk', 'demo-stroud-caseworker'] as const;
const CHELTENHAM = ['caseworker@cheltenham.example.gov.uk', 'demo-cheltenham-caseworker'] as const;
const AGENT = ['agent@cotswold-accountants.example.com', 'demo-agent-password'] as const;
const BASE_URL = 'https://joinedup.example.gov.uk';

let app: TestApp;
const db = () => app.platform.database.db;

beforeAll(async () => {
  app = await startTestApp({
    BASE_URL: BASE_URL,
    // A site that is not localhost needs its own secret (the development one is refused).
    SESSION_SECRET: 'receipts-test-secret-0123456789-abcdefgh',
    // Such a site asks staff for a second factor; these tests are about receipts, and the demo
    // caseworkers sign in with a password (the second factor's own tests are in identity).
    STAFF_SECOND_FACTOR: 'off',
  });
});
afterAll(async () => {
  await app?.close();
});

async function signedIn(email: string, password: string): Promise<Visitor> {
  const visitor = new Visitor(app.baseUrl);
  await visitor.signIn(email, password);
  return visitor;
}

/**
 * A GET whose body is kept as bytes (Visitor reads bodies as text, which would mangle a PDF's
 * binary bytes): the Visitor's own fetch is watched and its response cloned.
 */
async function download(visitor: Visitor, path: string) {
  const realFetch = globalThis.fetch;
  let bytes: Promise<ArrayBuffer> | undefined;
  globalThis.fetch = async (...args: Parameters<typeof fetch>) => {
    const response = await realFetch(...args);
    bytes = response.clone().arrayBuffer();
    return response;
  };
  try {
    const response = await visitor.get(path);
    return Object.assign(response, { bytes: Buffer.from(await bytes!) });
  } finally {
    globalThis.fetch = realFetch;
  }
}

/** The digest a receipt page shows. */
function shownDigest(html: string): string {
  return /<code class="app-receipt__digest" data-digest="sha-256">([0-9a-f]{64})<\/code>/.exec(
    html,
  )![1]!;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function receiptAudit(reference: string, action: string) {
  return db()
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', action)
    .where(sql<string>`details->>'reference'`, '=', reference)
    .orderBy('id')
    .execute();
}

describe('a receipt for the applicant', () => {
  let citizen: Visitor;
  let reference: string;
  beforeAll(async () => {
    citizen = await signedIn(...CITIZEN);
    reference = await applyForBulkyWaste(citizen);
  });

  it('is linked from the confirmation page and the application page', async () => {
    for (const page of [`/applications/${reference}/confirmation`, `/applications/${reference}`]) {
      const html = (await citizen.get(page)).html;
      expect(html).toContain(
        `href="/applications/${reference}/receipt.pdf" download>Download your receipt (PDF)</a>`,
      );
      expect(html).toContain(
        `href="/applications/${reference}/receipt">View your receipt online</a>`,
      );
    }
  });

  it('shows the reference, service, body, time to the second, every answer and the digest with how to check it', async () => {
    const page = await citizen.get(`/applications/${reference}/receipt`);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('private, no-store');
    expect(page.html).toContain('<h1 class="govuk-heading-l">Application receipt</h1>');
    expect(page.html).toContain(reference);
    expect(page.html).toContain('Request a bulky waste collection');
    expect(page.html).toContain('Stroud District Council');
    expect(page.html).toMatch(/\d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d:\d\d \(UK time\)/);
    expect(page.html).toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/);
    expect(page.html).toContain('Sofa or armchair, Fridge or freezer');
    expect(page.html).toContain('1 High Street');
    expect(page.html).toContain('GL5 4UB');
    expect(page.html).toContain(`href="${BASE_URL}/applications/${reference}/receipt.json"`);
    expect(page.html).toContain('sha256sum');
    // The print styles are allowed by the page's Content Security Policy.
    const nonce = /<style nonce="([^"]+)">/.exec(page.html)?.[1];
    expect(nonce).toBeTruthy();
    expect(page.headers.get('content-security-policy')).toContain(`'nonce-${nonce}'`);
    expect(page.html).toContain('@media print');
  });

  it('serves the canonical JSON byte for byte: its SHA-256 is the digest the page shows', async () => {
    const digest = shownDigest((await citizen.get(`/applications/${reference}/receipt`)).html);
    const json = await download(citizen, `/applications/${reference}/receipt.json`);
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(sha256(json.bytes)).toBe(digest);
    expect(json.headers.get('repr-digest')).toBe(
      `sha-256=:${Buffer.from(digest, 'hex').toString('base64')}:`,
    );
    const text = json.bytes.toString('utf8');
    expect(canonicalize(JSON.parse(text))).toBe(text);
    const parsed = JSON.parse(text);
    expect(Object.keys(parsed)).toEqual([
      'answers',
      'formVersion',
      'organisation',
      'reference',
      'service',
      'submittedAt',
    ]);
    expect(parsed).toMatchObject({
      reference,
      service: 'request-a-bulky-waste-collection',
      organisation: 'E07000082',
      formVersion: 1,
      answers: { items: ['sofa', 'fridge'], addressLine1: '1 High Street', town: 'Stroud' },
    });
    expect(parsed.submittedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('gives a PDF to download with the same reference and digest', async () => {
    const digest = shownDigest((await citizen.get(`/applications/${reference}/receipt`)).html);
    const pdf = await download(citizen, `/applications/${reference}/receipt.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe(
      `attachment; filename="receipt-${reference}.pdf"`,
    );
    expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const lines = pdfTextLines(pdf.bytes);
    expect(lines).toContain('Application receipt');
    expect(lines).toContain(reference);
    expect(lines).toContain(digest);
    expect(lines).toContain('Sofa or armchair, Fridge or freezer');
    expect(lines).toContain(`${BASE_URL}/applications/${reference}/receipt.json`);
  });

  it('is written in Welsh when Welsh is chosen, with the same digest', async () => {
    const english = shownDigest((await citizen.get(`/applications/${reference}/receipt`)).html);
    const welsh = await citizen.get(`/applications/${reference}/receipt?lang=cy`);
    expect(welsh.status).toBe(200);
    expect(welsh.html).toContain('<html lang="cy"');
    expect(welsh.html).toContain('Derbynneb cais');
    expect(welsh.html).toContain('Beth ydych chi eisiau i ni ei gasglu?');
    expect(welsh.html).toContain('Soffa neu gadair freichiau');
    expect(welsh.html).toContain('Cyngor Dosbarth Stroud');
    expect(welsh.html).toMatch(
      /\d{1,2} (Ionawr|Chwefror|Mawrth|Ebrill|Mai|Mehefin|Gorffennaf|Awst|Medi|Hydref|Tachwedd|Rhagfyr) \d{4}, \d\d:\d\d:\d\d \(amser y DU\)/,
    );
    expect(shownDigest(welsh.html)).toBe(english);
    const pdf = await download(citizen, `/applications/${reference}/receipt.pdf`);
    expect(pdfTextLines(pdf.bytes)).toContain('Derbynneb cais');
    await citizen.get('/?lang=en');
  });

  it('keeps the same digest and JSON after the application is received and decided', async () => {
    const before = await download(citizen, `/applications/${reference}/receipt.json`);
    await app.platform.worker.drain();
    const caseworker = await signedIn(...STROUD);
    await caseworker.get(`/casework/${reference}`);
    const decided = await approveBulkyWaste(caseworker, reference);
    expect(decided.status).toBe(303);
    const row = await db()
      .selectFrom('submissions')
      .selectAll()
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('approved');
    const after = await download(citizen, `/applications/${reference}/receipt.json`);
    expect(after.bytes.equals(before.bytes)).toBe(true);
    // What the hub puts in its responses and webhooks is the same digest.
    expect((await submissionDigest(db(), row)).hex).toBe(sha256(before.bytes));
  });
});

describe('who may read a receipt', () => {
  let reference: string;
  let citizen: Visitor;
  beforeAll(async () => {
    citizen = await signedIn(...CITIZEN);
    reference = await applyForBulkyWaste(citizen);
  });

  const FORMS = ['receipt', 'receipt.pdf', 'receipt.json'];

  it('sends someone signed out to sign in', async () => {
    const response = await new Visitor(app.baseUrl).get(`/applications/${reference}/receipt`);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(/^\/sign-in\?returnTo=/);
  });

  it('gives another citizen 404 for the page, the PDF and the JSON', async () => {
    const { visitor: stranger } = await aSignedInCitizen(app, {
      email: 'receipt-stranger@example.com',
      displayName: 'Stranger',
    });
    for (const form of FORMS) {
      const response = await stranger.get(`/applications/${reference}/${form}`);
      expect(response.status).toBe(404);
      expect(response.html).not.toContain('1 High Street');
    }
  });

  it('gives 404 for a reference that is not one', async () => {
    expect((await citizen.get('/applications/JU-0000-0000/receipt')).status).toBe(404);
  });

  it('lets a Stroud caseworker read it, each read audited as a staff view the applicant sees', async () => {
    const caseworker = await signedIn(...STROUD);
    const before = await receiptAudit(reference, 'submission.viewed');
    const page = await caseworker.get(`/applications/${reference}/receipt`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('This is the receipt the applicant has for this application.');
    expect(page.html).toContain(`href="/casework/${reference}"`);
    expect((await download(caseworker, `/applications/${reference}/receipt.pdf`)).status).toBe(200);
    const json = await download(caseworker, `/applications/${reference}/receipt.json`);
    expect(sha256(json.bytes)).toBe(shownDigest(page.html));

    const views = (await receiptAudit(reference, 'submission.viewed')).slice(before.length);
    expect(views.map((v) => v.details.receipt)).toEqual(['html', 'pdf', 'json']);
    const stroud = await db()
      .selectFrom('organisations')
      .select('id')
      .where('slug', '=', 'stroud')
      .executeTakeFirstOrThrow();
    for (const view of views) {
      expect(view.actor_organisation_id).toBe(stroud.id);
      expect(view.actor_role).toBe('caseworker');
      expect(view.subject_user_id).not.toBeNull();
    }
    expect((await citizen.get(`/applications/${reference}`)).html).toMatch(
      /Viewed by Stroud District Council, caseworker, \d{1,2} \w+ \d{4}, \d\d:\d\d/,
    );
  });

  it('gives a Cheltenham caseworker 404 and logs each refused attempt', async () => {
    const other = await signedIn(...CHELTENHAM);
    const before = await receiptAudit(reference, 'submission.view_refused');
    for (const form of FORMS) {
      const response = await other.get(`/applications/${reference}/${form}`);
      expect(response.status).toBe(404);
      expect(response.html).not.toContain('1 High Street');
    }
    const refused = (await receiptAudit(reference, 'submission.view_refused')).slice(before.length);
    expect(refused.map((r) => r.details.receipt)).toEqual(['html', 'pdf', 'json']);
    expect(refused.every((r) => r.subject_user_id === null)).toBe(true);
  });

  it('lets the agent acting for the applicant read it, audited as the agent’s look', async () => {
    const agent = await signedIn(...AGENT);
    await agent.get('/agents/clients');
    const citizenId = (
      await db()
        .selectFrom('users')
        .select('id')
        .where('email', '=', CITIZEN[0])
        .executeTakeFirstOrThrow()
    ).id;
    const authority = await db()
      .selectFrom('agent_authorities')
      .select('id')
      .where('client_user_id', '=', citizenId)
      .where('status', '=', 'approved')
      .executeTakeFirstOrThrow();
    expect((await agent.post('/agents/act', { authorityId: authority.id })).status).toBe(303);
    const before = await receiptAudit(reference, 'submission.viewed_by_agent');
    const page = await agent.get(`/applications/${reference}/receipt`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('This is a record of the application sent for your client.');
    expect((await receiptAudit(reference, 'submission.viewed_by_agent')).length).toBe(
      before.length + 1,
    );
  });
});
