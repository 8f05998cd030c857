import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../../../test/helpers/app.js';
import { letterFile, LETTER_TOPIC } from '../../../../platform/letters/letters.js';
import { pdfTextLines } from '../../../../platform/letters/pdf.js';
import { findPublishedService } from '../../../catalogue/index.js';
import { DEMO_COUNCIL_TAX } from '../../../enrolment/index.js';
import { aCitizen, registerCitizen } from '../../../identity/index.js';
import { createSubmission, recordDecision } from '../../../submissions/index.js';
import { homeFor } from '../../queries/home.js';

const SAM = ['citizen@example.com', 'demo-citizen-password'] as const;
const AGENT = ['agent@cotswold-accountants.example.com', 'demo-agent-password'] as const;
const CASEWORKER = ['caseworker@stroud.example.gov.uk', 'demo-stroud-caseworker'] as const;
const BO = { email: 'bo.other@example.com', password: 'a long enough password', name: 'Bo Other' };
const BULKY_WASTE = 'request-a-bulky-waste-collection';

let app: TestApp;
const db = () => app.platform.database.db;
let samId: string;
let boId: string;
/** Sam's applications: one received, one approved; Bo's one application. */
const refs = { received: '', approved: '', bo: '' };

async function idOf(table: 'users' | 'organisations', column: 'email' | 'slug', value: string) {
  const row = await db()
    .selectFrom(table)
    .select('id')
    .where(column, '=', value)
    .executeTakeFirstOrThrow();
  return row.id;
}

async function signedIn(email: string, password: string) {
  const visitor = new Visitor(app.baseUrl);
  await visitor.signIn(email, password);
  return visitor;
}

/** An application sent in a service by the person, through the submissions module. */
async function apply(slug: string, applicantUserId: string) {
  const service = (await findPublishedService(db(), slug, 'en'))!;
  return createSubmission(
    db(),
    {
      draftId: randomUUID(),
      serviceId: service.id,
      organisationId: service.organisation.id,
      applicantUserId,
      answers: { values: {}, summary: { en: [], cy: [] } },
    },
    { userId: applicantUserId, organisationId: null, role: 'citizen' },
  );
}

/** A message a body put in the person's inbox (the inbox module's own tests cover sending). */
async function message(recipientUserId: string, organisationSlug: string, subject: string) {
  return db()
    .insertInto('inbox_messages')
    .values({
      organisation_id: await idOf('organisations', 'slug', organisationSlug),
      recipient_user_id: recipientUserId,
      subject,
      body: 'Details inside.',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** Links Sam's Council Tax account at Stroud the real way: known facts, a letter, its code. */
async function enrolInCouncilTax(visitor: Visitor) {
  const path = '/enrol/stroud/council-tax';
  await visitor.get(path);
  const asked = await visitor.post(path, {
    reference: DEMO_COUNCIL_TAX.reference,
    postcode: DEMO_COUNCIL_TAX.postcode,
  });
  expect(asked.status).toBe(303);
  const enrolmentId = /\/enrol\/enrolments\/([0-9a-f-]{36})\//.exec(
    asked.headers.get('location') ?? '',
  )![1]!;
  await app.platform.worker.drain();
  const letter = await db()
    .selectFrom('outbox')
    .select('idempotency_key')
    .where('topic', '=', LETTER_TOPIC)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  const lines = pdfTextLines(
    await readFile(letterFile({ DATA_DIR: ':memory:' }, letter.idempotency_key)),
  );
  const code = /^Activation code: (\d{8})$/.exec(
    lines.find((l) => l.startsWith('Activation code')) ?? '',
  )![1]!;
  await visitor.get(`/enrol/activate?enrolment=${enrolmentId}`);
  const activated = await visitor.post('/enrol/activate', { enrolment: enrolmentId, code });
  expect(activated.status).toBe(303);
}

/** A fortnightly bin collection reminder by e-mail, set up on the reminders module's own page. */
async function remindAboutBins(visitor: Visitor, slug: string) {
  const first = new Date(Date.now() + 10 * 86_400_000);
  await visitor.get(`/reminders/new?service=${slug}`);
  const made = await visitor.post('/reminders/new', {
    service: slug,
    kind: 'weekly',
    'firstDate-day': String(first.getUTCDate()),
    'firstDate-month': String(first.getUTCMonth() + 1),
    'firstDate-year': String(first.getUTCFullYear()),
    everyWeeks: '2',
    channel: 'email',
  });
  expect(made.status).toBe(303);
}

/** The HTML of one section of the home page, from its heading to the next section. */
function section(html: string, id: string): string {
  const start = html.indexOf(`id="${id}"`);
  expect(start, `section ${id}`).toBeGreaterThan(-1);
  const end = html.indexOf('<section', start);
  return html.slice(start, end === -1 ? undefined : end);
}

async function interestsRow(userId: string) {
  return db()
    .selectFrom('personal_interests')
    .selectAll()
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

beforeAll(async () => {
  app = await startTestApp();
  samId = await idOf('users', 'email', SAM[0]);
  const bo = await registerCitizen(db(), {
    email: BO.email,
    password: BO.password,
    displayName: BO.name,
  });
  if (!bo.ok) throw new Error(JSON.stringify(bo.errors));
  boId = bo.user.id;
  await db()
    .updateTable('users')
    .set({ email_verified_at: new Date() })
    .where('id', '=', boId)
    .execute();

  // Sam: a linked Council Tax account, two bulky waste applications (one decided), a message.
  const sam = await signedIn(...SAM);
  await enrolInCouncilTax(sam);
  await remindAboutBins(sam, 'garden-waste-subscription-stroud');
  refs.received = (await apply(BULKY_WASTE, samId)).reference;
  const approved = await apply(BULKY_WASTE, samId);
  refs.approved = approved.reference;
  // Bo: an application to Cheltenham and a message of their own.
  refs.bo = (await apply('order-a-new-bin-cheltenham', boId)).reference;
  await app.platform.worker.drain(); // delivered: both bodies have received them
  const caseworkerId = await idOf('users', 'email', CASEWORKER[0]);
  // Only `trx` inside the transaction: PGlite has one connection.
  const decided = await db()
    .transaction()
    .execute(async (trx) =>
      recordDecision(
        trx,
        { ...approved, status: 'received' },
        { outcome: 'approved', collectionDate: '2030-01-07' },
        {
          userId: caseworkerId,
          organisationId: approved.organisation_id,
          role: 'caseworker',
        },
      ),
    );
  expect(decided.ok).toBe(true);
  await message(samId, 'stroud', 'Your sofa collection is booked');
  await message(boId, 'cheltenham', 'Your new bin for Bo is on its way');
});

afterAll(async () => {
  await app?.close();
});

describe('the personal home page', () => {
  it('sends an anonymous visitor to sign in, coming back to /home', async () => {
    const page = await new Visitor(app.baseUrl).get('/home');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/sign-in?returnTo=%2Fhome');
  });

  it('lands a citizen who signs in with nowhere to go back to on /home; staff and a returnTo are unchanged', async () => {
    const citizen = new Visitor(app.baseUrl);
    const form = await citizen.get('/sign-in');
    expect(form.html).toContain('name="returnTo" value=""');
    const landed = await citizen.post('/sign-in', {
      email: SAM[0],
      password: SAM[1],
      returnTo: '',
    });
    expect(landed.status).toBe(303);
    expect(landed.headers.get('location')).toBe('/home');

    const returning = new Visitor(app.baseUrl);
    await returning.get('/sign-in?returnTo=%2Fapplications');
    const back = await returning.post('/sign-in', {
      email: SAM[0],
      password: SAM[1],
      returnTo: '/applications',
    });
    expect(back.headers.get('location')).toBe('/applications');

    const staff = new Visitor(app.baseUrl);
    await staff.get('/sign-in');
    const staffLanded = await staff.post('/sign-in', {
      email: CASEWORKER[0],
      password: CASEWORKER[1],
      returnTo: '',
    });
    expect(staffLanded.headers.get('location')).toBe('/');
  });

  it('shows "Home" in the navigation to signed-in citizens only, in English and Welsh', async () => {
    const anonymous = await new Visitor(app.baseUrl).get('/');
    expect(anonymous.html).not.toContain('href="/home"');
    const sam = await signedIn(...SAM);
    expect((await sam.get('/')).html).toMatch(/href="\/home">Home</);
    expect((await sam.get('/?lang=cy')).html).toMatch(/href="\/home">Hafan</);
    const staff = await signedIn(...CASEWORKER);
    expect((await staff.get('/')).html).not.toContain('href="/home"');
  });

  it('lists the services the person is enrolled in and recently used, each once, linking to its page', async () => {
    const page = await (await signedIn(...SAM)).get('/home');
    expect(page.status).toBe(200);
    expect(page.html).toContain('<h1 class="govuk-heading-l">Your services</h1>');
    const services = section(page.html, 'services');
    expect(services).toContain('href="/services/pay-council-tax-stroud"');
    expect(services).toContain(`Linked account ${DEMO_COUNCIL_TAX.reference}`);
    // Two applications in the same service: it is listed once.
    expect(services.split(`href="/services/${BULKY_WASTE}"`)).toHaveLength(2);
    expect(services).toContain('You last applied on');
  });

  it('lists the person’s applications newest first with reference, service, date and a coloured status tag', async () => {
    const page = await (await signedIn(...SAM)).get('/home');
    const applications = section(page.html, 'applications');
    expect(applications).toContain('Request a bulky waste collection');
    expect(applications.indexOf(refs.approved)).toBeLessThan(applications.indexOf(refs.received));
    expect(applications).toMatch(
      new RegExp(`${refs.approved}[\\s\\S]*?govuk-tag--green">Approved<`),
    );
    expect(applications).toMatch(
      new RegExp(`${refs.received}[\\s\\S]*?govuk-tag--blue">Received<`),
    );
    expect(applications).toContain(`href="/applications/${refs.received}"`);
    expect(applications).toContain('href="/applications"');
  });

  it('shows the unread count and the newest messages, linking to the inbox', async () => {
    const page = await (await signedIn(...SAM)).get('/home');
    const messages = section(page.html, 'messages');
    expect(messages).toContain('You have 1 unread message.');
    expect(messages).toContain('Your sofa collection is booked');
    expect(messages).toContain('From Stroud District Council');
    expect(messages).toContain('href="/inbox"');
    const welsh = await (await signedIn(...SAM)).get('/home?lang=cy');
    expect(section(welsh.html, 'messages')).toContain('Mae gennych 1 neges heb ei darllen.');
  });

  it('lists the person’s reminders with their service and when the next one comes', async () => {
    const page = await (await signedIn(...SAM)).get('/home');
    const reminders = section(page.html, 'reminders');
    expect(reminders).toContain('Your reminders');
    expect(reminders).toContain('href="/services/garden-waste-subscription-stroud"');
    expect(reminders).toContain('Next reminder by e-mail on');
    expect(reminders).toContain('href="/reminders"');
    const welsh = await (await signedIn(...SAM)).get('/home?lang=cy');
    expect(section(welsh.html, 'reminders')).toContain('Y nodyn atgoffa nesaf drwy e-bost ar');
  });

  it('never shows another citizen’s applications, messages or services, either way round', async () => {
    const sam = (await (await signedIn(...SAM)).get('/home')).html;
    const bo = (await (await signedIn(BO.email, BO.password)).get('/home')).html;
    expect(sam).not.toContain(refs.bo);
    expect(sam).not.toContain('Your new bin for Bo');
    expect(sam).not.toContain('order-a-new-bin-cheltenham');
    for (const own of [
      refs.received,
      refs.approved,
      'Your sofa collection',
      'pay-council-tax-stroud',
    ])
      expect(bo).not.toContain(own);
    expect(bo).not.toContain('garden-waste-subscription-stroud');
    expect(bo).toContain('You have not asked for any reminders');
    expect(bo).toContain(refs.bo);
    expect(bo).toContain('Your new bin for Bo is on its way');
  });

  it('refuses in the service layer to read one citizen’s home page for another', async () => {
    const bo = aCitizen({ id: boId, email: BO.email, displayName: BO.name });
    await expect(homeFor(db(), bo, 'en', { ownerId: samId })).rejects.toMatchObject({
      code: 'not_found',
    });
    const own = await homeFor(db(), bo, 'en');
    expect(own.applications.items.map((a) => a.reference)).toEqual([refs.bo]);
    expect(own.messages.recent.map((m) => m.subject)).toEqual([
      'Your new bin for Bo is on its way',
    ]);
    expect(own.reminders).toEqual([]);
    const staff = aCitizen({ id: boId, kind: 'staff' });
    await expect(homeFor(db(), staff, 'en')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('shows an agent acting for a client their own home page, not the client’s', async () => {
    const agent = await signedIn(...AGENT);
    const authority = await db()
      .selectFrom('agent_authorities')
      .select('id')
      .where('client_user_id', '=', samId)
      .where('status', '=', 'approved')
      .executeTakeFirstOrThrow();
    await agent.get('/agents/clients');
    expect((await agent.post('/agents/act', { authorityId: authority.id })).status).toBe(303);
    const page = await agent.get('/home');
    expect(page.status).toBe(200);
    expect(page.html).toContain(
      'You are acting for Sam Citizen. This page shows your own account, not theirs.',
    );
    for (const hers of [
      refs.received,
      refs.approved,
      'Your sofa collection',
      'pay-council-tax-stroud',
    ])
      expect(page.html).not.toContain(hers);
  });

  it('gives staff a short page pointing to their tools instead of citizen sections', async () => {
    const page = await (await signedIn(...CASEWORKER)).get('/home');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Your staff tools');
    expect(page.html).toContain('href="/casework"');
    expect(page.html).not.toContain('id="applications"');
    expect((await (await signedIn(...CASEWORKER)).get('/home/interests')).status).toBe(404);
  });
});

describe('what you tell us, and the services suggested by it', () => {
  it('asks, explaining why and that it is optional, with nothing ticked at first', async () => {
    const page = await (await signedIn(...SAM)).get('/home/interests');
    expect(page.status).toBe(200);
    expect(page.html).toContain('What you tell us');
    expect(page.html).toContain('You do not have to tell us anything.');
    expect(page.html).toContain('value="having-a-baby"');
    expect(page.html).toContain('value="older-people"');
    expect(page.html).not.toContain('checked');
    const home = await (await signedIn(...SAM)).get('/home');
    expect(section(home.html, 'suggested')).toContain('href="/home/interests"');
  });

  it('saves the choices, audits them, and suggests services for them without those already used', async () => {
    const sam = await signedIn(...SAM);
    await sam.get('/home/interests');
    const saved = await sam.post('/home/interests', {
      lifeEvents: ['moving-home', 'having-a-baby'],
      customerGroups: 'older-people',
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe('/home?saved=interests#suggested');
    const row = await interestsRow(samId);
    expect(row).toMatchObject({
      life_events: ['having-a-baby', 'moving-home'],
      customer_groups: ['older-people'],
    });
    const audit = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'home.interests.saved')
      .where('subject_user_id', '=', samId)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toEqual({ lifeEvents: 2, customerGroups: 1 });

    const page = await sam.get('/home?saved=interests');
    expect(page.html).toContain('We have saved what you told us.');
    const suggested = section(page.html, 'suggested');
    expect(suggested).toContain(
      'Because you told us about: Having a baby, Moving home, Older people.',
    );
    const links = [...suggested.matchAll(/href="\/services\/([^"]+)"/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(3);
    expect(links.length).toBeLessThanOrEqual(10);
    expect(new Set(links).size).toBe(links.length);
    // Already used: bulky waste, and Council Tax in any body's version.
    expect(links).not.toContain(BULKY_WASTE);
    expect(links.filter((slug) => slug.startsWith('pay-council-tax'))).toEqual([]);
    // A birth is registered by the county over Sam's district, offered once with its body named.
    expect(links.filter((slug) => slug.startsWith('register-a-birth'))).toEqual([
      'register-a-birth-gloucestershire',
    ]);
    expect(suggested).toContain('Gloucestershire County Council');
    expect(suggested).toContain(
      'href="/find-your-council?service=register-a-birth-gloucestershire"',
    );
    expect(links).toContain('apply-for-a-passport');

    const again = await sam.get('/home/interests');
    expect(again.html).toMatch(/value="having-a-baby" checked/);
    expect(again.html).toMatch(/value="older-people" checked/);
  });

  it('suggests the same services in Welsh, with Welsh labels and titles', async () => {
    const page = await (await signedIn(...SAM)).get('/home?lang=cy');
    expect(page.html).toContain('<h1 class="govuk-heading-l">Eich gwasanaethau</h1>');
    const suggested = section(page.html, 'suggested');
    expect(suggested).toContain('Awgrymiadau i chi');
    expect(suggested).toContain('Oherwydd i chi ddweud wrthym am: Cael babi, Symud tŷ, Pobl hŷn.');
    const birth = (await findPublishedService(db(), 'register-a-birth-gloucestershire', 'cy'))!;
    expect(birth.title).not.toBe(
      (await findPublishedService(db(), 'register-a-birth-gloucestershire', 'en'))!.title,
    );
    expect(suggested).toContain(birth.title);
    expect(suggested).toContain('Cyngor Sir Swydd Gaerloyw');
    const form = await (await signedIn(...SAM)).get('/home/interests?lang=cy');
    expect(form.html).toContain('Cael babi');
    expect(form.html).toContain('Pobl hŷn');
  });

  it('refuses an unknown value with 400 and the error summary, keeping what was saved', async () => {
    const before = await interestsRow(samId);
    const sam = await signedIn(...SAM);
    await sam.get('/home/interests');
    const refused = await sam.post('/home/interests', {
      lifeEvents: ['retiring', 'winning-the-lottery'],
      customerGroups: ['carers'],
    });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('<title>Error:');
    expect(refused.html).toContain('There is a problem');
    expect(refused.html).toContain('href="#lifeEvents"');
    expect(refused.html).toContain('Select life events from the list');
    // The form shows what was ticked, not what was saved.
    expect(refused.html).toMatch(/value="carers" checked/);
    expect(await interestsRow(samId)).toEqual(before);
    const welsh = await sam.post('/home/interests?lang=cy', { customerGroups: 'pirates' });
    expect(welsh.status).toBe(400);
    expect(welsh.html).toContain('Dewiswch grwpiau o’r rhestr');
    expect(await interestsRow(samId)).toEqual(before);
  });

  it('lets the person clear everything they told us', async () => {
    const sam = await signedIn(...SAM);
    const form = await sam.get('/home/interests');
    expect(form.html).toContain('Delete everything I told you');
    const cleared = await sam.post('/home/interests', { clear: 'yes', lifeEvents: 'retiring' });
    expect(cleared.status).toBe(303);
    expect(cleared.headers.get('location')).toBe('/home?saved=cleared#suggested');
    expect(await interestsRow(samId)).toBeUndefined();
    const page = await sam.get('/home?saved=cleared');
    expect(page.html).toContain('We have deleted what you told us.');
    expect(section(page.html, 'suggested')).not.toContain('href="/services/');
    const audit = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'home.interests.cleared')
      .where('subject_user_id', '=', samId)
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('deletes what a person told us when they delete their account', async () => {
    const bo = await signedIn(BO.email, BO.password);
    await bo.get('/home/interests');
    expect((await bo.post('/home/interests', { customerGroups: 'carers' })).status).toBe(303);
    expect(await interestsRow(boId)).toBeDefined();
    await bo.get('/account/delete');
    const deleted = await bo.post('/account/delete', { password: BO.password });
    expect(deleted.status).toBe(303);
    expect(await interestsRow(boId)).toBeUndefined();
  });
});
