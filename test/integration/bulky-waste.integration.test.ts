import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  csrfToken,
  hiddenValue,
  startTestApp,
  Visitor,
  weekdayAhead,
  type TestApp,
} from '../helpers/app.js';
import { answerBulkyWaste, applyForBulkyWaste, approveBulkyWaste } from '../helpers/journeys.js';
import { lastCodeFor } from '../helpers/outbox.js';

const SERVICE = '/services/request-a-bulky-waste-collection';
const CITIZEN = ['citizen@example.com', 'demo-citizen-password'] as const;
const STROUD = ['caseworker@stroud.example.gov.uk', 'demo-stroud-caseworker'] as const;
const CHELTENHAM = ['caseworker@cheltenham.example.gov.uk', 'demo-cheltenham-caseworker'] as const;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

async function count(table: 'submissions' | 'form_drafts' | 'outbox') {
  const row = await app.platform.database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Enters the code e-mailed to a new account (read from the outbox), which signs the person in. */
async function confirmEmail(visitor: Visitor, email: string) {
  const code = await lastCodeFor(app.platform.database.db, email);
  const confirmed = await visitor.post('/register/confirm', { email, code, returnTo: '/' });
  expect(confirmed.status).toBe(303);
}

/** Answers every page and returns the visitor on "Check your answers". */
const completeForm = (visitor: Visitor, itemDetails = '') =>
  answerBulkyWaste(visitor, { itemDetails, postcode: 'gl5 4ub' });

const submit = (visitor: Visitor) => applyForBulkyWaste(visitor, { postcode: 'gl5 4ub' });

describe('requesting a bulky waste collection, end to end', () => {
  it('is found from the home page, applied for, received, decided, and the decision seen by the citizen', async () => {
    const citizen = new Visitor(app.baseUrl);
    const home = await citizen.get('/?q=bulky+waste');
    expect(home.html).toContain(`href="${SERVICE}"`);
    expect((await citizen.get(SERVICE)).html).toContain('Start now');

    const start = await citizen.get(`${SERVICE}/apply`);
    expect(start.status).toBe(303);
    expect(start.headers.get('location')).toMatch(/^\/sign-in\?returnTo=/);
    await citizen.signIn(...CITIZEN);

    const check = await completeForm(citizen);
    expect(check.html).toContain('GL5 4UB');
    expect(check.html).toContain('Sofa or armchair, Fridge or freezer');

    const sent = await citizen.post(`${SERVICE}/apply/submit`, {
      draftId: hiddenValue(check.html, 'draftId'),
    });
    const confirmationUrl = sent.headers.get('location')!;
    const reference = /JU-[A-Z0-9]{4}-[A-Z0-9]{4}/.exec(confirmationUrl)![0];
    const confirmation = await citizen.get(confirmationUrl);
    expect(confirmation.html).toContain(reference);
    expect(confirmation.html).toContain('Application sent');

    // Not delivered until the outbox runs: the council has nothing yet.
    const caseworker = new Visitor(app.baseUrl);
    await caseworker.signIn(...STROUD);
    expect((await citizen.get(`/applications/${reference}`)).html).toContain('Sent');
    expect(await app.platform.worker.drain()).toBeGreaterThan(0);

    const queue = await caseworker.get('/casework');
    expect(queue.html).toContain(reference);
    const opened = await caseworker.get(`/casework/${reference}`);
    expect(opened.status).toBe(200);
    expect(opened.html).toContain('1 High Street');

    const decided = await approveBulkyWaste(caseworker, reference);
    expect(decided.status).toBe(303);
    await app.platform.worker.drain();

    const mine = await citizen.get('/applications');
    expect(mine.html).toContain(reference);
    expect(mine.html).toContain('Approved');
    const detail = await citizen.get(`/applications/${reference}`);
    expect(detail.html).toContain('Received by Stroud District Council');
    expect(detail.html).toContain('Approved by Stroud District Council');
    expect(detail.html).toMatch(/Collection on \d{1,2} \w+ \d{4}/);
    expect(detail.html).toMatch(
      /Viewed by Stroud District Council, caseworker, \d{1,2} \w+ \d{4}, \d\d:\d\d/,
    );

    // The receipt was e-mailed once; the decision is the letter in the citizen's inbox (whose
    // e-mail says a message has come), not a second decision e-mail (sign-in e-mails aside).
    const mail = await app.platform.database.db
      .selectFrom('outbox')
      .select('idempotency_key')
      .where('topic', '=', 'mail.send')
      .where('idempotency_key', 'like', 'submission.%')
      .execute();
    expect(mail.map((r) => r.idempotency_key)).toEqual([
      expect.stringMatching(/^submission\.submitted:.*:mail$/),
    ]);
    const letter = await app.platform.database.db
      .selectFrom('inbox_messages')
      .select('body')
      .where('submission_reference', '=', reference)
      .execute();
    expect(letter.map((m) => m.body)).toEqual([expect.stringContaining('Dear Sam Citizen,')]);
  });
});

describe('bad input and failure', () => {
  it('shows the GOV.UK error summary for an empty page and saves nothing', async () => {
    const citizen = new Visitor(app.baseUrl);
    await citizen.signIn(...CITIZEN);
    const before = await count('form_drafts');
    await citizen.get(`${SERVICE}/apply/items`);
    const response = await citizen.post(`${SERVICE}/apply/items`, {});
    expect(response.status).toBe(400);
    expect(response.html).toContain('govuk-error-summary');
    expect(response.html).toContain('href="#items"');
    expect(response.html).toMatch(/<title>Error: /);
    expect(await count('form_drafts')).toBe(before);
  });

  it('refuses over-long input with a clear message', async () => {
    const citizen = new Visitor(app.baseUrl);
    await citizen.signIn(...CITIZEN);
    await citizen.get(`${SERVICE}/apply/items`);
    const response = await citizen.post(`${SERVICE}/apply/items`, {
      items: 'other',
      itemDetails: 'x'.repeat(501),
    });
    expect(response.status).toBe(400);
    expect(response.html).toContain('Description must be 500 characters or fewer');
  });

  it('shows HTML and script typed into a field as text, never as markup', async () => {
    const citizen = new Visitor(app.baseUrl);
    await citizen.signIn(...CITIZEN);
    const attack = '<script>alert("x")</script><b>bold</b>';
    await citizen.get(`${SERVICE}/apply/items`);
    await citizen.post(`${SERVICE}/apply/items`, { items: 'other', itemDetails: attack });
    const check = await citizen.get(`${SERVICE}/apply/address`);
    expect(check.status).toBe(200);
    await citizen.post(`${SERVICE}/apply/address`, {
      addressLine1: attack,
      town: 'Stroud',
      postcode: 'GL5 4UB',
    });
    await citizen.get(`${SERVICE}/apply/date`);
    const [d, m, y] = weekdayAhead(7);
    await citizen.post(`${SERVICE}/apply/date`, {
      'preferredDate-day': d,
      'preferredDate-month': m,
      'preferredDate-year': y,
    });
    const page = await citizen.get(`${SERVICE}/apply/check-answers`);
    expect(page.html).not.toContain(attack);
    expect(page.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });

  it('refuses a tampered CSRF token and changes nothing', async () => {
    const citizen = new Visitor(app.baseUrl);
    await citizen.signIn(...CITIZEN);
    const check = await completeForm(citizen);
    const before = await count('submissions');
    const response = await citizen.post(
      `${SERVICE}/apply/submit`,
      { draftId: hiddenValue(check.html, 'draftId') },
      'tampered-token',
    );
    expect(response.status).toBe(403);
    expect(response.html).toContain('govuk-heading-l');
    expect(await count('submissions')).toBe(before);
  });

  it('makes one submission from a double-click on submit', async () => {
    const citizen = new Visitor(app.baseUrl);
    await citizen.signIn(...CITIZEN);
    const check = await completeForm(citizen);
    const before = await count('submissions');
    const draftId = hiddenValue(check.html, 'draftId');
    const [first, second] = await Promise.all([
      citizen.post(`${SERVICE}/apply/submit`, { draftId }),
      citizen.post(`${SERVICE}/apply/submit`, { draftId }),
    ]);
    expect(await count('submissions')).toBe(before + 1);
    expect(first.status).toBe(303);
    expect(second.status).toBe(303);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(first.headers.get('location')).toMatch(/\/confirmation$/);
  });

  it('gives a caseworker of another council 404 for a case, and logs the attempt', async () => {
    const citizen = new Visitor(app.baseUrl);
    await citizen.signIn(...CITIZEN);
    const reference = await submit(citizen);
    await app.platform.worker.drain();
    const other = new Visitor(app.baseUrl);
    await other.signIn(...CHELTENHAM);
    const response = await other.get(`/casework/${reference}`);
    expect(response.status).toBe(404);
    expect(response.html).toContain('Page not found');
    expect((await other.get('/casework')).html).not.toContain(reference);
    const refused = await app.platform.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'casework.case.view_refused')
      .execute();
    expect(refused.some((r) => r.details.reference === reference)).toBe(true);
    // The refused attempt saw nothing, so the citizen is not told of a view.
    expect((await citizen.get(`/applications/${reference}`)).html).toContain(
      'Nobody at a public body has opened this application yet.',
    );
  });

  it('lets nobody but the applicant see an application', async () => {
    const citizen = new Visitor(app.baseUrl);
    await citizen.signIn(...CITIZEN);
    const reference = await submit(citizen);
    const stranger = new Visitor(app.baseUrl);
    await stranger.get('/register');
    const registered = await stranger.post('/register', {
      displayName: 'Stranger',
      email: 'stranger@example.com',
      password: 'a long enough password',
      returnTo: '/',
    });
    expect(registered.status).toBe(303);
    await confirmEmail(stranger, 'stranger@example.com');
    expect((await stranger.get(`/applications/${reference}`)).status).toBe(404);
    expect((await stranger.get('/applications')).html).not.toContain(reference);
  });

  it('does not let anyone skip ahead in the form', async () => {
    const newcomer = new Visitor(app.baseUrl);
    await newcomer.get('/register');
    await newcomer.post('/register', {
      displayName: 'New Person',
      email: 'new@example.com',
      password: 'another long password',
      returnTo: '/',
    });
    await confirmEmail(newcomer, 'new@example.com');
    const jump = await newcomer.get(`${SERVICE}/apply/date`);
    expect(jump.status).toBe(303);
    expect(jump.headers.get('location')).toBe(`${SERVICE}/apply/items`);
    const early = await newcomer.get(`${SERVICE}/apply/check-answers`);
    expect(early.headers.get('location')).toBe(`${SERVICE}/apply/items`);
  });
});

describe('the web shell', () => {
  it('slows down password guessing: too many sign-in attempts for one account get 429', async () => {
    const guesser = new Visitor(app.baseUrl);
    const token = csrfToken((await guesser.get('/sign-in')).html);
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      statuses.push(
        (
          await guesser.post(
            '/sign-in',
            { email: 'victim@example.com', password: `guess-${i}`, returnTo: '/' },
            token,
          )
        ).status,
      );
    }
    expect(statuses.slice(0, 30).every((s) => s === 400)).toBe(true);
    expect(statuses[30]).toBe(429);
    // Another account from the same address is unaffected.
    expect(
      (
        await guesser.post(
          '/sign-in',
          { email: 'someone@example.com', password: 'x', returnTo: '/' },
          token,
        )
      ).status,
    ).toBe(400);
  });

  it('remembers the language chosen with ?lang= in a cookie and sets <html lang>', async () => {
    const visitor = new Visitor(app.baseUrl);
    const welsh = await visitor.get('/?lang=cy');
    expect(welsh.html).toContain('<html lang="cy"');
    expect(welsh.html).toContain('Gwasanaethau cyhoeddus mewn un lle');
    expect((await visitor.get(SERVICE)).html).toContain('Gofyn am gasgliad gwastraff swmpus');
    expect((await visitor.get('/?lang=en')).html).toContain('<html lang="en"');
  });

  it('answers health, readiness, metrics and the OpenAPI document', async () => {
    const visitor = new Visitor(app.baseUrl);
    expect((await visitor.get('/healthz')).status).toBe(200);
    expect(JSON.parse((await visitor.get('/readyz')).html)).toEqual({ status: 'ready' });
    const metrics = await visitor.get('/metrics');
    expect(metrics.html).toContain('joinedup_http_requests_total');
    expect(metrics.html).toContain('joinedup_outbox_messages');
    const openapi = JSON.parse((await visitor.get('/api/openapi.json')).html);
    expect(openapi.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining(['/api/v1/services', '/api/v1/organisations']),
    );
  });

  it('validates API input with a 400 naming the field and the reason', async () => {
    const response = await fetch(`${app.baseUrl}/api/v1/services?lang=fr`);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors[0].message).toMatch(/^query\.lang: /);
    const ok = await (await fetch(`${app.baseUrl}/api/v1/services?q=bulky`)).json();
    expect(ok.services[0].organisation.name).toBe('Stroud District Council');
  });

  it('sends security headers and a 404 page in the same style', async () => {
    const response = await new Visitor(app.baseUrl).get('/no-such-page');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.html).toContain('Page not found');
    expect(response.html).toContain('Accessibility statement');
  });
});
