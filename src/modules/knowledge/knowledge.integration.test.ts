import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../test/helpers/app.js';
import { aSignedInCitizen } from '../../../test/helpers/citizens.js';
import { createStaffUser } from '../identity/index.js';
import { findOrganisationBySlug } from '../organisations/index.js';
import { findServices } from '../catalogue/index.js';
import { articlesDueForReview } from './queries/articles.js';
import { searchKnowledge } from './queries/search.js';
import { whichBody } from './queries/which-body.js';
import { knowledgeModule } from './index.js';

let app: TestApp;
const db = () => app.platform.database.db;

const STAFF = {
  owner: ['owner@stroud.example.gov.uk', 'demo-stroud-service-owner'],
  counter: ['counter@stroud.example.gov.uk', 'demo-stroud-counter-adviser'],
  cheltenham: ['caseworker@cheltenham.example.gov.uk', 'demo-cheltenham-caseworker'],
  bristolOwner: ['owner@bristol.example.gov.uk', 'bristol-owner-password-1'],
} as const;

beforeAll(async () => {
  app = await startTestApp();
  const bristol = (await findOrganisationBySlug(db(), 'bristol'))!;
  const made = await createStaffUser(db(), {
    email: STAFF.bristolOwner[0],
    password: STAFF.bristolOwner[1],
    displayName: 'Bea Owner',
    organisationId: bristol.id,
    roles: ['service-owner'],
  });
  expect(made.ok).toBe(true);
});
afterAll(async () => {
  await app?.close();
});

async function staff(who: keyof typeof STAFF): Promise<Visitor> {
  const visitor = new Visitor(app.baseUrl);
  const [email, password] = STAFF[who];
  await visitor.signIn(email, password);
  return visitor;
}

const count = async (
  table:
    | 'knowledge_articles'
    | 'knowledge_contact_points'
    | 'knowledge_routing_rules'
    | 'knowledge_experts',
) =>
  Number(
    (
      await db()
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

const audits = async (action: string) =>
  db().selectFrom('audit_log').selectAll().where('action', '=', action).execute();

async function serviceId(slug: string): Promise<string> {
  const row = await db()
    .selectFrom('services')
    .select('id')
    .where('slug', '=', slug)
    .executeTakeFirstOrThrow();
  return row.id;
}

async function articleId(title: string): Promise<string> {
  return (
    await db()
      .selectFrom('knowledge_articles')
      .select('id')
      .where('title', '=', title)
      .executeTakeFirstOrThrow()
  ).id;
}

async function ownerId(): Promise<string> {
  return (
    await db()
      .selectFrom('users')
      .select('id')
      .where('email', '=', STAFF.owner[0])
      .executeTakeFirstOrThrow()
  ).id;
}

/** A valid article form for Stroud's owner, a year ahead; override what the test is about. */
async function articleForm(fields: Record<string, string> = {}) {
  const year = String(new Date().getUTCFullYear() + 1);
  return {
    serviceId: await serviceId('garden-waste-subscription-stroud'),
    kind: 'faq',
    title: 'Garden waste: when does my subscription start?',
    titleCy: '',
    body: 'From the first collection after payment.\n\nStickers are posted within 10 working days.',
    bodyCy: '',
    ownerUserId: await ownerId(),
    'reviewDue-day': '1',
    'reviewDue-month': '3',
    'reviewDue-year': year,
    status: 'published',
    ...fields,
  };
}

describe('who may read the knowledge base', () => {
  it('staff of any body read it; a citizen gets 404; a visitor is sent to sign in', async () => {
    const id = await articleId('Council Tax: taking a payment over the phone');
    const cheltenham = await staff('cheltenham');
    expect((await cheltenham.get('/staff/knowledge')).status).toBe(200);
    const read = await cheltenham.get(`/staff/knowledge/articles/${id}`);
    expect(read.status).toBe(200);
    expect(read.html).toContain('Ask for the Council Tax account reference');
    const { visitor } = await aSignedInCitizen(app);
    expect((await visitor.get(`/staff/knowledge/articles/${id}`)).status).toBe(404);
    expect((await visitor.get('/staff/knowledge/directory')).status).toBe(404);
    const anonymous = await new Visitor(app.baseUrl).get('/staff/knowledge/search?q=tax');
    expect(anonymous.status).toBe(303);
  });

  it('shows the Welsh text to an adviser reading in Welsh, and the English where there is none', async () => {
    const counter = await staff('counter');
    const script = await counter.get(
      `/staff/knowledge/articles/${await articleId('Council Tax: taking a payment over the phone')}?lang=cy`,
    );
    expect(script.html).toContain('Treth Gyngor: cymryd taliad dros y ffôn');
    const faq = await counter.get(
      `/staff/knowledge/articles/${await articleId('Single person discount: who counts as an adult living there?')}?lang=cy`,
    );
    expect(faq.html).toContain('lang="en"');
    expect(faq.html).toContain('Nid yw’r erthygl hon wedi’i chyfieithu');
  });
});

describe('who may write', () => {
  it("a body's service owner adds an article for its service, audited", async () => {
    const owner = await staff('owner');
    await owner.get('/staff/knowledge/articles/new');
    const before = await count('knowledge_articles');
    const response = await owner.post('/staff/knowledge/articles/new', await articleForm());
    expect(response.status, response.html).toBe(303);
    expect(await count('knowledge_articles')).toBe(before + 1);
    const id = /\/staff\/knowledge\/articles\/([0-9a-f-]{36})\?done=added$/.exec(
      response.headers.get('location') ?? '',
    )?.[1];
    expect(id).toBeDefined();
    const [entry] = (await audits('knowledge.article-added')).filter((a) => a.resource_id === id);
    expect(entry?.actor_user_id).toBe(await ownerId());
  });

  it('an adviser who is not a service owner may read but not write (403, nothing added)', async () => {
    const counter = await staff('counter');
    expect((await counter.get('/staff/knowledge/articles/new')).status).toBe(403);
    await counter.get('/staff/knowledge');
    const before = await count('knowledge_articles');
    const response = await counter.post('/staff/knowledge/articles/new', await articleForm());
    expect(response.status).toBe(403);
    expect(await count('knowledge_articles')).toBe(before);
  });

  it("another body's service owner cannot edit Stroud's article, nor write for Stroud's service", async () => {
    const id = await articleId('Council Tax: taking a payment over the phone');
    const bristol = await staff('bristolOwner');
    const page = await bristol.get(`/staff/knowledge/articles/${id}/edit`);
    expect(page.status).toBe(403);
    expect(page.html).toContain('Only the service owners and admins of the body');
    await bristol.get('/staff/knowledge');
    const edit = await bristol.post(
      `/staff/knowledge/articles/${id}/edit`,
      await articleForm({ title: 'Taken over' }),
    );
    expect(edit.status).toBe(403);
    expect(await articleId('Council Tax: taking a payment over the phone')).toBe(id);
    await bristol.get('/staff/knowledge/articles/new');
    const before = await count('knowledge_articles');
    const add = await bristol.post('/staff/knowledge/articles/new', await articleForm());
    expect(add.status).toBe(400);
    expect(add.html).toContain('Select one of your body’s published services');
    expect(add.html).toContain('Select a service owner or admin of your body as the owner');
    expect(await count('knowledge_articles')).toBe(before);
  });

  it('the owner changes the review date, and the change is audited with what changed', async () => {
    const id = await articleId('Single person discount: who counts as an adult living there?');
    const owner = await staff('owner');
    await owner.get(`/staff/knowledge/articles/${id}/edit`);
    const response = await owner.post(
      `/staff/knowledge/articles/${id}/edit`,
      await articleForm({
        serviceId: await serviceId('council-tax-single-person-discount-stroud'),
        title: 'Single person discount: who counts as an adult living there?',
        body: 'Students and people under 18 are not counted.',
        'reviewDue-year': String(new Date().getUTCFullYear() + 2),
      }),
    );
    expect(response.status, response.html).toBe(303);
    const [entry] = (await audits('knowledge.article-edited')).filter((a) => a.resource_id === id);
    expect(entry?.details).toMatchObject({
      changed: expect.arrayContaining(['review_due', 'body']),
    });
  });
});

describe('bad input is refused with the reason, and nothing changes', () => {
  it.each([
    [
      'empty fields',
      { title: '', body: '', kind: '' },
      ['Enter a title in English', 'Enter the text in English', 'Select the kind of article'],
    ],
    ['an oversized title', { title: 'x'.repeat(201) }, ['Title must be 200 characters or fewer']],
    [
      'a review date in the past',
      { 'reviewDue-year': '2020' },
      ['Review date must be today or in the future'],
    ],
    [
      'a review date that is not a date',
      { 'reviewDue-day': '31', 'reviewDue-month': '2' },
      ['Review date must be a real date'],
    ],
    [
      'a service id that is not an id',
      { serviceId: "1'; drop table x" },
      ['Select the service the article is about'],
    ],
  ])('an article with %s', async (_, fields, messages) => {
    const owner = await staff('owner');
    await owner.get('/staff/knowledge/articles/new');
    const before = await count('knowledge_articles');
    const response = await owner.post('/staff/knowledge/articles/new', await articleForm(fields));
    expect(response.status).toBe(400);
    expect(response.html).toContain('govuk-error-summary');
    for (const message of messages) expect(response.html).toContain(message);
    expect(await count('knowledge_articles')).toBe(before);
  });

  it.each([
    ['a bad phone number', { phone: '01453 12' }, 'Enter a UK phone number, like 01453 766321'],
    [
      'a bad e-mail address',
      { email: 'revenues@' },
      'Enter an email address in the correct format',
    ],
    [
      'no way to reach it',
      { phone: '', email: '', address: '' },
      'Enter a phone number, email address or address',
    ],
    [
      'closing before opening',
      { hours: 'Mon-Fri 17:00-09:00' },
      'Closing time must be after the opening time',
    ],
    ['an unknown day', { hours: 'Someday 09:00-17:00' }, 'Enter days as Mon, Tue'],
    ['no name', { name: '' }, 'Enter a name'],
  ])('a contact point with %s', async (_, fields, message) => {
    const owner = await staff('owner');
    await owner.get('/staff/knowledge/directory/contact-points/new');
    const before = await count('knowledge_contact_points');
    const response = await owner.post('/staff/knowledge/directory/contact-points/new', {
      name: 'Planning enquiries',
      nameCy: '',
      phone: '01453 766321',
      email: 'planning@stroud.example.gov.uk',
      address: '',
      hours: 'Mon-Fri 09:00-17:00',
      ...fields,
    });
    expect(response.status).toBe(400);
    expect(response.html).toContain('govuk-error-summary');
    expect(response.html).toContain(message);
    expect(await count('knowledge_contact_points')).toBe(before);
  });

  it('a routing rule with an unknown area, or to another body’s contact point', async () => {
    const owner = await staff('owner');
    await owner.get('/staff/knowledge/directory/rules/new');
    const cheltenhamPoint = await db()
      .selectFrom('knowledge_contact_points')
      .select('id')
      .where('name', '=', 'Council Tax')
      .where('email', '=', 'counciltax@cheltenham.example.gov.uk')
      .executeTakeFirstOrThrow();
    const before = await count('knowledge_routing_rules');
    const response = await owner.post('/staff/knowledge/directory/rules/new', {
      serviceKey: 'pay-council-tax',
      topic: '',
      area: 'E07999999',
      contactPointId: cheltenhamPoint.id,
      hours: '',
      notes: '',
    });
    expect(response.status).toBe(400);
    expect(response.html).toContain('Enter a council area’s or nation’s GSS code');
    expect(response.html).toContain('Select one of your body’s contact points');
    const unknownPostcode = await owner.post('/staff/knowledge/directory/rules/new', {
      serviceKey: '',
      topic: 'Planning',
      area: 'ZZ9 9ZZ',
      contactPointId: cheltenhamPoint.id,
    });
    expect(unknownPostcode.status).toBe(400);
    expect(await count('knowledge_routing_rules')).toBe(before);
  });
});

describe('the directory', () => {
  it('the owner adds a contact point and a rule whose area is given by a postcode, both audited', async () => {
    const owner = await staff('owner');
    await owner.get('/staff/knowledge/directory/contact-points/new');
    const added = await owner.post('/staff/knowledge/directory/contact-points/new', {
      name: 'Planning enquiries',
      phone: '+44 (0)1453 754 442',
      email: '',
      address: '',
      hours: 'Mon-Thu 09:00-12:30, 13:30-17:00\nFri 09:00-12:30',
    });
    expect(added.status, added.html).toBe(303);
    const point = await db()
      .selectFrom('knowledge_contact_points')
      .selectAll()
      .where('name', '=', 'Planning enquiries')
      .executeTakeFirstOrThrow();
    expect(point.phone).toBe('+441453754442');
    expect(point.opening_hours).toHaveLength(9);
    await owner.get('/staff/knowledge/directory/rules/new');
    const rule = await owner.post('/staff/knowledge/directory/rules/new', {
      serviceKey: 'apply-for-planning-permission',
      topic: 'Planning',
      area: 'gl5 4ub',
      contactPointId: point.id,
    });
    expect(rule.status, rule.html).toBe(303);
    const stored = await db()
      .selectFrom('knowledge_routing_rules')
      .selectAll()
      .where('contact_point_id', '=', point.id)
      .executeTakeFirstOrThrow();
    expect(stored.area_gss).toBe('E07000082');
    expect(await audits('knowledge.contact-point-added')).toHaveLength(1);
    expect(await audits('knowledge.routing-rule-added')).toHaveLength(1);
    const page = await owner.get('/staff/knowledge/directory');
    expect(page.html).toContain('01453 754442');
    expect(page.html).toContain('Mon-Thu 09:00-12:30, 13:30-17:00');
  });

  it("another body's owner cannot remove Stroud's expert (403, still there)", async () => {
    const expert = await db()
      .selectFrom('knowledge_experts')
      .select('id')
      .where('name', '=', 'Dana Hughes')
      .executeTakeFirstOrThrow();
    const bristol = await staff('bristolOwner');
    await bristol.get('/staff/knowledge/directory');
    const before = await count('knowledge_experts');
    const response = await bristol.post(
      `/staff/knowledge/directory/experts/${expert.id}/remove`,
      {},
    );
    expect(response.status).toBe(403);
    expect(await count('knowledge_experts')).toBe(before);
  });
});

describe('due for review', () => {
  it("lists an owner's articles past their review date on their start page, not an adviser's", async () => {
    const owner = await staff('owner');
    const home = await owner.get('/staff/knowledge');
    expect(home.html).toContain('Due for review');
    expect(home.html).toContain('Bulky waste: what we collect and the charge');
    expect(home.html).not.toContain('Council Tax: taking a payment over the phone');
    const counter = await staff('counter');
    expect((await counter.get('/staff/knowledge')).html).not.toContain('Due for review');
  });

  it('is decided on the London calendar: due the day after the review date, not on it', async () => {
    const stroud = (await findOrganisationBySlug(db(), 'stroud'))!;
    const id = await articleId('Bulky waste: what we collect and the charge');
    const { review_due } = await db()
      .selectFrom('knowledge_articles')
      .select(sql<string>`review_due::text`.as('review_due'))
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const onTheDay = await articlesDueForReview(db(), stroud.id, await ownerId(), review_due);
    expect(onTheDay.map((a) => a.id)).not.toContain(id);
    const nextDay = new Date(`${review_due}T12:00:00Z`);
    nextDay.setUTCDate(nextDay.getUTCDate() + 1);
    const after = await articlesDueForReview(
      db(),
      stroud.id,
      await ownerId(),
      nextDay.toISOString().slice(0, 10),
    );
    expect(after.map((a) => a.id)).toContain(id);
    // Someone else's articles are not theirs to review.
    const other = await articlesDueForReview(
      db(),
      stroud.id,
      '00000000-0000-4000-8000-000000000000',
      '2999-01-01',
    );
    expect(other).toEqual([]);
  });
});

describe('which body does this, by postcode', () => {
  // Wednesday 1 July 2026, 09:30 BST; Saturday 28 November 2026, noon GMT.
  const summerWeekday = new Date('2026-07-01T08:30:00Z');
  const saturday = new Date('2026-11-28T12:00:00Z');

  it.each([
    [
      'GL5 4UB',
      'Stroud District Council',
      'Revenues (Council Tax and business rates)',
      '01453 766321',
    ],
    ['GL50 1PP', 'Cheltenham Borough Council', 'Council Tax', '01242 262626'],
    ['BS1 5TR', 'Bristol City Council', 'Council Tax', '0117 922 2900'],
  ])('council tax at %s is %s: %s', async (postcode, body, line) => {
    const answer = await whichBody(
      db(),
      { text: 'pay council tax', postcode, locale: 'en' },
      summerWeekday,
    );
    if (!answer.ok) throw new Error(answer.problem.problem);
    expect(answer.service?.serviceKey).toBe('pay-council-tax');
    expect(answer.body?.name).toBe(body);
    expect(answer.version?.organisation.name).toBe(body);
    expect(answer.signposts[0]?.contactPoint.name).toBe(line);
    expect(answer.signposts[0]?.bodyName).toBe(body);
  });

  it('a county service in a two-tier area goes to the county, by the county rule', async () => {
    const answer = await whichBody(
      db(),
      { text: 'apply for a school place', postcode: 'GL5 4UB', locale: 'en' },
      summerWeekday,
    );
    if (!answer.ok) throw new Error('refused');
    expect(answer.body?.name).toBe('Gloucestershire County Council');
    expect(answer.signposts[0]?.contactPoint.name).toBe('School admissions and transport');
  });

  it('a topic with no service goes by a rule for the whole nation', async () => {
    const answer = await whichBody(
      db(),
      { text: 'State Pension', postcode: 'GL50 1PP', locale: 'en' },
      summerWeekday,
    );
    if (!answer.ok) throw new Error('refused');
    expect(answer.signposts.map((s) => s.contactPoint.name)).toEqual(['The Pension Service']);
  });

  it('says whether the line is open now, in London time, with a rule’s own hours', async () => {
    const open = await whichBody(
      db(),
      { text: 'pay council tax', postcode: 'GL5 4UB', locale: 'en' },
      summerWeekday,
    );
    if (!open.ok) throw new Error('refused');
    expect(open.signposts[0]?.open).toEqual({ known: true, open: true, closesAt: '17:00' });
    const closed = await whichBody(
      db(),
      { text: 'pay council tax', postcode: 'GL5 4UB', locale: 'en' },
      saturday,
    );
    if (!closed.ok) throw new Error('refused');
    expect(closed.signposts[0]?.open).toMatchObject({
      open: false,
      opensOn: '2026-11-30',
      opensAt: '09:00',
    });
    // The discount desk's rule keeps 10 to 4: closed at 09:30 although the revenues line is open.
    const discount = await whichBody(
      db(),
      { text: 'single person discount', postcode: 'GL5 4UB', locale: 'en' },
      summerWeekday,
    );
    if (!discount.ok) throw new Error('refused');
    expect(discount.signposts[0]?.open).toMatchObject({ open: false, opensAt: '10:00' });
  });

  it('an unknown postcode is refused with the catalogue’s reason', async () => {
    const answer = await whichBody(
      db(),
      { text: 'council tax', postcode: 'AB1 2XY', locale: 'en' },
      summerWeekday,
    );
    expect(answer).toMatchObject({ ok: false, problem: { problem: 'unknown' } });
    const counter = await staff('counter');
    const page = await counter.get(
      '/staff/knowledge/which-body?topic=council+tax&postcode=AB1+2XY',
    );
    expect(page.status).toBe(400);
    expect(page.html).toContain('govuk-error-summary');
    expect(page.html).toContain('We cannot find the postcode AB1 2XY');
    const empty = await counter.get('/staff/knowledge/which-body?topic=&postcode=GL5+4UB');
    expect(empty.status).toBe(400);
    expect(empty.html).toContain('Enter the service or topic the caller is asking about');
  });

  it('the page shows the body, the line and whether it is open', async () => {
    const counter = await staff('counter');
    const page = await counter.get(
      '/staff/knowledge/which-body?topic=pay+council+tax&postcode=gl5+4ub',
    );
    expect(page.status).toBe(200);
    expect(page.html).toContain('Stroud District Council');
    expect(page.html).toContain('01453 766321');
    expect(page.html).toMatch(/Open now, until 17:00|Closed now, opens/);
  });
});

describe('search across articles and the directory', () => {
  it('finds articles, contact points and rules by words, in English and Welsh', async () => {
    const found = await searchKnowledge(db(), 'council tax', { writerOf: null });
    expect(found.articles.map((a) => a.title)).toContain(
      'Council Tax: taking a payment over the phone',
    );
    expect(found.contactPoints.map((p) => p.name)).toContain(
      'Revenues (Council Tax and business rates)',
    );
    expect(found.rules.length).toBeGreaterThan(0);
    const welsh = await searchKnowledge(db(), 'Treth Gyngor', { writerOf: null });
    expect(welsh.articles.map((a) => a.title)).toContain(
      'Council Tax: taking a payment over the phone',
    );
    const expert = await searchKnowledge(db(), 'arrears', { writerOf: null });
    expect(expert.experts.map((e) => e.name)).toEqual(['Dana Hughes']);
  });

  it("a body's name finds its contact points", async () => {
    const found = await searchKnowledge(db(), 'Gloucestershire County', { writerOf: null });
    expect(found.contactPoints.map((p) => p.name)).toEqual(['School admissions and transport']);
  });

  it("a draft is found by its body's writers only", async () => {
    const stroud = (await findOrganisationBySlug(db(), 'stroud'))!;
    const owner = await staff('owner');
    await owner.get('/staff/knowledge/articles/new');
    const response = await owner.post(
      '/staff/knowledge/articles/new',
      await articleForm({ title: 'Licensing: the zebracorn rule', status: 'draft' }),
    );
    expect(response.status).toBe(303);
    expect(
      (await searchKnowledge(db(), 'zebracorn', { writerOf: stroud.id })).articles,
    ).toHaveLength(1);
    expect((await searchKnowledge(db(), 'zebracorn', { writerOf: null })).articles).toHaveLength(0);
    const cheltenham = await staff('cheltenham');
    const id = await articleId('Licensing: the zebracorn rule');
    expect((await cheltenham.get(`/staff/knowledge/articles/${id}`)).status).toBe(404);
  });

  it('the search page answers, and refuses a search too long to run', async () => {
    const counter = await staff('counter');
    const page = await counter.get('/staff/knowledge/search?q=bulky+waste');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Bulky waste: what we collect and the charge');
    const long = await counter.get(`/staff/knowledge/search?q=${'a'.repeat(101)}`);
    expect(long.status).toBe(400);
    expect(long.html).toContain('Search must be 100 characters or fewer');
  });

  it('catalogue search still answers for the words advisers type (the which-body page relies on it)', async () => {
    const { services } = await findServices(db(), { locale: 'en', text: 'pay council tax' });
    expect(services.length).toBeGreaterThan(0);
  });
});

describe('when an owner’s account is deleted', () => {
  it('their articles stay, no longer naming them, for the body’s admins to review', async () => {
    const { id: bristolOwner } = await db()
      .selectFrom('users')
      .select('id')
      .where('email', '=', STAFF.bristolOwner[0])
      .executeTakeFirstOrThrow();
    const bristol = (await findOrganisationBySlug(db(), 'bristol'))!;
    const { id } = await db()
      .insertInto('knowledge_articles')
      .values({
        organisation_id: bristol.id,
        service_id: await serviceId('pay-council-tax-bristol'),
        kind: 'faq',
        title: 'Bristol: paying by direct debit',
        body: 'Direct debits are taken on the 1st or the 15th.',
        owner_user_id: bristolOwner,
        review_due: '2020-01-01',
        updated_by: bristolOwner,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db()
      .transaction()
      .execute((trx) =>
        knowledgeModule.onAccountEvent!(trx, { type: 'deleted', userId: bristolOwner }),
      );
    const row = await db()
      .selectFrom('knowledge_articles')
      .select(['owner_user_id', 'updated_by'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ owner_user_id: null, updated_by: null });
    const forAdmins = await articlesDueForReview(db(), bristol.id, null, '2026-01-01');
    expect(forAdmins.map((a) => a.id)).toContain(id);
  });
});

describe('the directory API', () => {
  // A JSON answer, whose shape each test checks field by field.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type Json = any;
  const json = async (visitor: Visitor, path: string) => {
    const response = await visitor.get(path);
    return { status: response.status, body: JSON.parse(response.html) as Json };
  };

  it('gives any staff member every body’s contact points and experts, a page at a time, without who edited them', async () => {
    const cheltenham = await staff('cheltenham');
    const first = await json(cheltenham, '/api/v1/knowledge/contact-points?per_page=2');
    expect(first.status).toBe(200);
    const total = await count('knowledge_contact_points');
    expect(first.body).toMatchObject({
      total_items: total,
      total_pages: Math.ceil(total / 2),
      page: 1,
      per_page: 2,
    });
    expect(first.body.items).toHaveLength(2);
    const second = await json(cheltenham, '/api/v1/knowledge/contact-points?per_page=2&page=2');
    const ids = (page: typeof first) => page.body.items.map((i: { id: string }) => i.id);
    expect(ids(second).some((id: string) => ids(first).includes(id))).toBe(false);
    const all = await json(cheltenham, '/api/v1/knowledge/contact-points?per_page=100');
    const stroud = all.body.items.find((p: { phone: string | null }) =>
      p.phone?.startsWith('+441453'),
    );
    expect(stroud.organisation.name).toBe('Stroud District Council');
    expect(stroud.phone_national).toMatch(/^01453/);
    expect(stroud.opening_hours[0]).toEqual({
      weekday: expect.any(Number),
      opens: expect.stringMatching(/^\d\d:\d\d$/),
      closes: expect.stringMatching(/^\d\d:\d\d$/),
    });
    expect(all.body.items[0]).not.toHaveProperty('updated_by');
    const experts = await json(cheltenham, '/api/v1/knowledge/experts');
    expect(experts.status).toBe(200);
    expect(experts.body.total_items).toBe(await count('knowledge_experts'));
    expect(experts.body.items[0]).toEqual({
      id: expect.any(String),
      organisation: expect.objectContaining({ name: expect.any(String) }),
      name: expect.any(String),
      role: expect.any(String),
      topics: expect.any(String),
      how_to_reach: expect.any(String),
    });
  });

  it('filters routing rules by service key and by the caller’s postcode, most specific area first', async () => {
    const counter = await staff('counter');
    const stroud = await json(
      counter,
      '/api/v1/knowledge/routing-rules?service=pay-council-tax&postcode=gl5%204ub',
    );
    expect(stroud.status).toBe(200);
    expect(stroud.body.total_items).toBe(1);
    expect(stroud.body.items[0]).toMatchObject({
      service_key: 'pay-council-tax',
      area: { gss: 'E07000082', name: 'Stroud' },
      organisation: { name: 'Stroud District Council' },
    });
    const cheltenham = await json(
      counter,
      '/api/v1/knowledge/routing-rules?service=pay-council-tax&postcode=GL50%201PP',
    );
    expect(cheltenham.body.items.map((r: { area: { gss: string } }) => r.area.gss)).toEqual([
      'E07000078',
    ]);
    // Every rule in Stroud's areas: the district's before the county's before England's.
    const areas = await json(counter, '/api/v1/knowledge/routing-rules?postcode=GL5%204UB');
    const order = areas.body.items.map((r: { area: { gss: string } }) => r.area.gss);
    expect(order).toContain('E10000013');
    expect(order).toContain('E92000001');
    expect(order.indexOf('E07000082')).toBeLessThan(order.indexOf('E10000013'));
    expect(order.indexOf('E10000013')).toBeLessThan(order.indexOf('E92000001'));
    expect(order).not.toContain('E07000078');
    const unfiltered = await json(counter, '/api/v1/knowledge/routing-rules?per_page=100');
    expect(unfiltered.body.total_items).toBe(await count('knowledge_routing_rules'));
  });

  it('refuses a bad query with the field and the reason (400)', async () => {
    const counter = await staff('counter');
    for (const [query, field, reason] of [
      ['per_page=500', 'query.per_page', 'must be 100 or fewer'],
      ['page=0', 'query.page', 'must be 1 or more'],
      ['service=Pay%20Council%20Tax', 'query.service', 'must be a service key'],
      ['postcode=NOT%20A%20CODE', 'query.postcode', 'must be a full UK postcode'],
      ['postcode=AB1%202XY', 'query.postcode', 'is not in the ONS Postcode Directory'],
    ] as const) {
      const answer = await json(counter, `/api/v1/knowledge/routing-rules?${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.body.errors[0].error).toBe('validation_error');
      expect(answer.body.errors[0].message).toContain(`${field}: ${reason}`);
    }
  });

  it('is for staff only: 401 signed out, 404 for a citizen; described in the OpenAPI document', async () => {
    const anonymous = new Visitor(app.baseUrl);
    expect((await anonymous.get('/api/v1/knowledge/contact-points')).status).toBe(401);
    const { visitor } = await aSignedInCitizen(app);
    for (const path of ['contact-points', 'experts', 'routing-rules'])
      expect((await visitor.get(`/api/v1/knowledge/${path}`)).status, path).toBe(404);
    const document = JSON.parse((await anonymous.get('/api/openapi.json')).html) as {
      paths: Record<string, { get: { parameters: { name: string }[]; tags: string[] } }>;
    };
    const rules = document.paths['/api/v1/knowledge/routing-rules']!.get;
    expect(rules.parameters.map((p) => p.name).sort()).toEqual([
      'page',
      'per_page',
      'postcode',
      'service',
    ]);
    expect(document.paths['/api/v1/knowledge/experts']).toBeDefined();
    expect(document.paths['/api/v1/knowledge/contact-points']).toBeDefined();
  });
});
