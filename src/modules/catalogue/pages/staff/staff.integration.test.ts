import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../../../test/helpers/app.js';
import { contentOf } from '../../commands/content.js';
import { findServices } from '../../queries/services.js';
import { findPublishedService } from '../../index.js';
import { formValues } from './read-form.js';

const OWNER = ['owner@stroud.example.gov.uk', 'demo-stroud-service-owner'] as const;
const CASEWORKER = ['caseworker@cheltenham.example.gov.uk', 'demo-cheltenham-caseworker'] as const;
const PLATFORM_ADMIN = ['admin@cabinet-office.example.gov.uk', 'demo-platform-admin'] as const;
const SLUG = 'request-a-bulky-waste-collection';

let app: TestApp;
const db = () => app.platform.database.db;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

async function serviceRow(slug: string) {
  return db().selectFrom('services').selectAll().where('slug', '=', slug).executeTakeFirstOrThrow();
}

/** The edit form's fields for a service as it is now, with some changed. */
async function fieldsFor(slug: string, changes: Record<string, string | string[]>) {
  const values = formValues(contentOf(await serviceRow(slug)));
  const fields: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(values)) {
    if (Array.isArray(value))
      fields[name] = value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
    else if (value !== null && value !== undefined) fields[name] = String(value);
  }
  return { ...fields, ...changes };
}

describe('service owners edit their services', () => {
  it('a Stroud service owner sees Stroud’s services and not Cheltenham’s', async () => {
    const owner = new Visitor(app.baseUrl);
    await owner.signIn(...OWNER);
    const page = await owner.get('/catalogue/staff');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Request a bulky waste collection');
    expect(page.html).not.toContain('Order a new or replacement bin');
  });

  it('an edit is a draft until published, then the public sees it and the history records who published it', async () => {
    const owner = new Visitor(app.baseUrl);
    await owner.signIn(...OWNER);
    const { id } = await serviceRow(SLUG);
    await owner.get(`/catalogue/staff/services/${id}`);
    const saved = await owner.post(
      `/catalogue/staff/services/${id}`,
      await fieldsFor(SLUG, { title: 'Book a bulky waste collection', feePounds: '37.50' }),
    );
    expect(saved.status).toBe(303);

    // The public still sees the published version.
    expect((await new Visitor(app.baseUrl).get(`/services/${SLUG}`)).html).toContain(
      'Request a bulky waste collection',
    );
    const edit = await owner.get(`/catalogue/staff/services/${id}`);
    expect(edit.html).toContain('Book a bulky waste collection');
    expect(edit.html).toContain('Publish the draft');
    expect((await owner.get('/catalogue/staff')).html).toContain('Changes not published');

    const published = await owner.post(`/catalogue/staff/services/${id}/publish`, {});
    expect(published.status).toBe(303);
    expect(published.headers.get('location')).toContain('published=2');
    const publicPage = await new Visitor(app.baseUrl).get(`/services/${SLUG}`);
    expect(publicPage.html).toContain('Book a bulky waste collection');
    const row = await serviceRow(SLUG);
    expect(row.fee_pence).toBe(3750);
    const { services } = await findServices(db(), { locale: 'en', text: 'bulky waste' });
    expect(services[0]?.title).toBe('Book a bulky waste collection');

    const history = await owner.get(`/catalogue/staff/services/${id}/history`);
    expect(history.html).toContain('Priya Owner');
    expect(history.html).toMatch(/<td[^>]*>\s*2\s*<\/td>/);
    const versions = await db()
      .selectFrom('service_versions')
      .select(['version', 'published_by'])
      .where('service_id', '=', id)
      .orderBy('version')
      .execute();
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(versions[1]!.published_by).not.toBeNull();

    const audit = await db()
      .selectFrom('audit_log')
      .select(['action', 'actor_user_id', 'actor_role'])
      .where('resource_type', '=', 'service')
      .where('resource_id', '=', id)
      // The catalogue's own entries: the demo seed also records the service's casework workflow.
      .where('action', 'like', 'catalogue.%')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'catalogue.service.draft-saved',
      'catalogue.service.published',
    ]);
    expect(audit[1]!.actor_user_id).toBe(versions[1]!.published_by);
    expect(audit[1]!.actor_role).toBe('service-owner');
  });

  it('an edit with a fee that is not money is refused with an error summary, and nothing is saved, though the Welsh title may wait', async () => {
    const owner = new Visitor(app.baseUrl);
    await owner.signIn(...OWNER);
    const { id } = await serviceRow('garden-waste-subscription-stroud');
    await owner.get(`/catalogue/staff/services/${id}`);
    const refused = await owner.post(
      `/catalogue/staff/services/${id}`,
      await fieldsFor('garden-waste-subscription-stroud', { titleCy: '', feePounds: 'lots' }),
    );
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('govuk-error-summary');
    expect(refused.html).not.toContain('Enter the title in Welsh');
    expect(refused.html).toContain('Enter the fee in pounds and pence');
    const drafts = await db()
      .selectFrom('service_drafts')
      .select('service_id')
      .where('service_id', '=', id)
      .execute();
    expect(drafts).toEqual([]);
  });

  it('a caseworker of another council gets 404 on the staff pages', async () => {
    const caseworker = new Visitor(app.baseUrl);
    await caseworker.signIn(...CASEWORKER);
    const { id } = await serviceRow(SLUG);
    expect((await caseworker.get('/catalogue/staff')).status).toBe(404);
    expect((await caseworker.get(`/catalogue/staff/services/${id}`)).status).toBe(404);
  });

  it('a Stroud service owner gets 404 for a Bristol service', async () => {
    const owner = new Visitor(app.baseUrl);
    await owner.signIn(...OWNER);
    const { id } = await serviceRow('pay-council-tax-bristol');
    expect((await owner.get(`/catalogue/staff/services/${id}`)).status).toBe(404);
  });

  it('a platform admin sees and edits every body’s services', async () => {
    const admin = new Visitor(app.baseUrl);
    await admin.signIn(...PLATFORM_ADMIN);
    const list = await admin.get('/catalogue/staff');
    expect(list.html).toContain('Bristol City Council');
    const { id } = await serviceRow('pay-council-tax-bristol');
    expect((await admin.get(`/catalogue/staff/services/${id}`)).status).toBe(200);
  });

  it('the Welsh staff pages read in Welsh', async () => {
    const owner = new Visitor(app.baseUrl);
    await owner.signIn(...OWNER);
    const page = await owner.get('/catalogue/staff?lang=cy');
    expect(page.html).toContain('Eich gwasanaethau');
  });
});

const STROUD_CASEWORKER = ['caseworker@stroud.example.gov.uk', 'demo-stroud-caseworker'] as const;

async function organisationId(slug: string) {
  const row = await db()
    .selectFrom('organisations')
    .select('id')
    .where('slug', '=', slug)
    .executeTakeFirstOrThrow();
  return row.id;
}

async function serviceCount() {
  const row = await db()
    .selectFrom('services')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function auditOf(serviceId: string) {
  return db()
    .selectFrom('audit_log')
    .select(['action', 'actor_user_id', 'actor_role', 'details'])
    .where('resource_type', '=', 'service')
    .where('resource_id', '=', serviceId)
    .orderBy('id')
    .execute();
}

/** The "Add a service" form filled in English only, with some fields changed. */
function newService(changes: Record<string, string> = {}) {
  return {
    slug: 'hire-a-community-hall',
    title: 'Hire a community hall',
    summary: 'Book one of Stroud’s community halls for a meeting or a party.',
    audience: 'both',
    providerTier: 'district',
    serviceKey: 'hire-a-community-hall',
    ...changes,
  };
}

describe('service owners add services', () => {
  it('the staff list links to the “Add a service” page', async () => {
    const owner = new Visitor(app.baseUrl);
    await owner.signIn(...OWNER);
    const list = await owner.get('/catalogue/staff');
    expect(list.html).toMatch(/href="\/catalogue\/staff\/services\/new"[^>]*>\s*Add a service/);
    const page = await owner.get('/catalogue/staff/services/new');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Stroud District Council');
    expect(page.html).not.toContain('name="organisationId"');
    // The body's usual tier is chosen in advance.
    expect(page.html).toMatch(/<option value="district" selected>/);
  });

  it('a service added in English only is a draft of the owner’s body that the public cannot see, audited, and is completed and published on the edit page', async () => {
    const owner = new Visitor(app.baseUrl);
    await owner.signIn(...OWNER);
    await owner.get('/catalogue/staff/services/new');
    const created = await owner.post('/catalogue/staff/services/new', newService());
    expect(created.status).toBe(303);
    const row = await serviceRow('hire-a-community-hall');
    expect(created.headers.get('location')).toBe(`/catalogue/staff/services/${row.id}?created=1`);
    expect(row.status).toBe('draft');
    expect(row.organisation_id).toBe(await organisationId('stroud'));
    expect(row.title_cy).toBe('');
    expect(row.service_key).toBe('hire-a-community-hall');

    const visitor = new Visitor(app.baseUrl);
    expect((await visitor.get('/services/hire-a-community-hall')).status).toBe(404);
    expect(await findPublishedService(db(), 'hire-a-community-hall', 'en')).toBeUndefined();
    const { services } = await findServices(db(), { locale: 'en', text: 'community hall' });
    expect(services.map((s) => s.slug)).not.toContain('hire-a-community-hall');

    const audit = await auditOf(row.id);
    expect(audit.map((a) => a.action)).toEqual(['catalogue.service.created']);
    const priya = await db()
      .selectFrom('users')
      .select('id')
      .where('email', '=', OWNER[0])
      .executeTakeFirstOrThrow();
    expect(audit[0]).toMatchObject({
      actor_user_id: priya.id,
      actor_role: 'service-owner',
      details: { slug: 'hire-a-community-hall', organisationId: row.organisation_id },
    });

    const edit = await owner.get(`/catalogue/staff/services/${row.id}?created=1`);
    expect(edit.html).toContain('The service is added as a draft');
    expect(edit.html).toContain('Publish the draft');
    expect((await owner.get('/catalogue/staff')).html).toContain('Hire a community hall');

    // Publishing needs a way to use the service, chosen on the edit page.
    await owner.get(`/catalogue/staff/services/${row.id}`);
    const early = await owner.post(`/catalogue/staff/services/${row.id}/publish`, {});
    expect(early.status).toBe(400);
    expect(early.html).toContain('Select at least one way to use the service');
    await owner.get(`/catalogue/staff/services/${row.id}`);
    const saved = await owner.post(
      `/catalogue/staff/services/${row.id}`,
      await fieldsFor('hire-a-community-hall', {
        titleCy: 'Llogi neuadd gymunedol',
        channels: 'online-here',
      }),
    );
    expect(saved.status).toBe(303);
    expect((await owner.post(`/catalogue/staff/services/${row.id}/publish`, {})).status).toBe(303);
    const published = await findPublishedService(db(), 'hire-a-community-hall', 'cy');
    expect(published).toMatchObject({
      title: 'Llogi neuadd gymunedol',
      organisation: { slug: 'stroud' },
      serviceKey: 'hire-a-community-hall',
    });
    expect((await visitor.get('/services/hire-a-community-hall')).status).toBe(200);
  });

  it('a platform admin chooses the body from a list, and the service is that body’s', async () => {
    const admin = new Visitor(app.baseUrl);
    await admin.signIn(...PLATFORM_ADMIN);
    const page = await admin.get('/catalogue/staff/services/new');
    const bristol = await organisationId('bristol');
    expect(page.html).toContain(`<option value="${bristol}">Bristol City Council</option>`);

    const unchosen = await admin.post(
      '/catalogue/staff/services/new',
      newService({ slug: 'bristol-harbour-mooring', title: 'Moor a boat in the harbour' }),
    );
    expect(unchosen.status).toBe(400);
    expect(unchosen.html).toContain('Choose the body that provides the service');

    const created = await admin.post(
      '/catalogue/staff/services/new',
      newService({
        organisationId: bristol,
        slug: 'bristol-harbour-mooring',
        title: 'Moor a boat in the harbour',
        providerTier: 'unitary',
      }),
    );
    expect(created.status).toBe(303);
    const row = await serviceRow('bristol-harbour-mooring');
    expect(row.organisation_id).toBe(bristol);
    expect(row.status).toBe('draft');
    const audit = await auditOf(row.id);
    expect(audit.map((a) => [a.action, a.actor_role])).toEqual([
      ['catalogue.service.created', 'platform-admin'],
    ]);
  });

  it('a missing title, a web address that is not lower-case words with hyphens, or one already used is refused with an error summary, and nothing is added', async () => {
    const owner = new Visitor(app.baseUrl);
    await owner.signIn(...OWNER);
    const before = await serviceCount();
    const cases: [Record<string, string>, string][] = [
      [{ title: '', slug: 'untitled-service' }, 'Enter the title in English'],
      [{ slug: 'Hire a Hall!' }, 'Enter an address of lower-case words joined by hyphens'],
      [{ slug: '' }, 'Enter the web address of the service'],
      [{ slug: SLUG }, 'Another service already uses that address'],
      [{ slug: 'hire-a-hall-2', serviceKey: 'hall hire!' }, 'Enter a service key of lower-case'],
    ];
    for (const [changes, message] of cases) {
      await owner.get('/catalogue/staff/services/new');
      const refused = await owner.post('/catalogue/staff/services/new', newService(changes));
      expect(refused.status, message).toBe(400);
      expect(refused.html).toContain('govuk-error-summary');
      expect(refused.html).toContain(message);
    }
    expect(await serviceCount()).toBe(before);
    const created = await db()
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'catalogue.service.created')
      .execute();
    expect(created.map((a) => a.details.slug)).not.toContain('untitled-service');
    expect(created.map((a) => a.details.slug)).not.toContain('hire-a-hall-2');
  });

  it('a Stroud service owner who forges Cheltenham as the body is refused with 400, and nothing is added', async () => {
    const owner = new Visitor(app.baseUrl);
    await owner.signIn(...OWNER);
    const before = await serviceCount();
    await owner.get('/catalogue/staff/services/new');
    const refused = await owner.post(
      '/catalogue/staff/services/new',
      newService({ organisationId: await organisationId('cheltenham'), slug: 'cheltenham-spa' }),
    );
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('govuk-error-summary');
    expect(refused.html).toContain('You can add services only to a body you work for');
    expect(await serviceCount()).toBe(before);
    expect(
      await db().selectFrom('services').select('id').where('slug', '=', 'cheltenham-spa').execute(),
    ).toEqual([]);
  });

  it('a caseworker without the service-owner role gets 404 on adding a service, for their own council or another', async () => {
    for (const [email, password] of [STROUD_CASEWORKER, CASEWORKER]) {
      const caseworker = new Visitor(app.baseUrl);
      await caseworker.signIn(email, password);
      const before = await serviceCount();
      expect((await caseworker.get('/catalogue/staff/services/new')).status).toBe(404);
      await caseworker.get('/');
      const refused = await caseworker.post(
        '/catalogue/staff/services/new',
        newService({ slug: 'caseworker-service' }),
      );
      expect(refused.status).toBe(404);
      expect(await serviceCount()).toBe(before);
    }
  });
});

describe('business life cycle stages and service keys on the edit page', () => {
  const LICENCE = 'premises-licence-stroud';

  it('stages and a service key saved as a draft reach the public service only when published', async () => {
    const owner = new Visitor(app.baseUrl);
    await owner.signIn(...OWNER);
    const { id } = await serviceRow(LICENCE);
    await owner.get(`/catalogue/staff/services/${id}`);
    const saved = await owner.post(
      `/catalogue/staff/services/${id}`,
      await fieldsFor(LICENCE, {
        businessStages: ['start', 'trade'],
        serviceKey: 'Alcohol-And-Entertainment-Licence',
      }),
    );
    expect(saved.status).toBe(303);
    const draft = await findPublishedService(db(), LICENCE, 'en');
    expect(draft?.businessStages).toEqual(['trade']);
    expect(draft?.serviceKey).toBe('premises-licence');
    const edit = await owner.get(`/catalogue/staff/services/${id}`);
    expect(edit.html).toContain('value="alcohol-and-entertainment-licence"');
    expect(edit.html).toMatch(/value="start" checked/);

    expect((await owner.post(`/catalogue/staff/services/${id}/publish`, {})).status).toBe(303);
    const published = await findPublishedService(db(), LICENCE, 'en');
    expect(published?.businessStages).toEqual(['start', 'trade']);
    expect(published?.serviceKey).toBe('alcohol-and-entertainment-licence');
  });

  it('a service key that is not lower-case words with hyphens is refused with 400, and nothing is saved', async () => {
    const owner = new Visitor(app.baseUrl);
    await owner.signIn(...OWNER);
    const { id } = await serviceRow('taxi-driver-licence-stroud');
    await owner.get(`/catalogue/staff/services/${id}`);
    const refused = await owner.post(
      `/catalogue/staff/services/${id}`,
      await fieldsFor('taxi-driver-licence-stroud', { serviceKey: 'taxi licence!' }),
    );
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('govuk-error-summary');
    expect(refused.html).toContain(
      'Enter a service key of lower-case words joined by hyphens, like pay-council-tax',
    );
    expect(refused.html).toContain('href="#serviceKey"');
    expect(
      await db()
        .selectFrom('service_drafts')
        .select('service_id')
        .where('service_id', '=', id)
        .execute(),
    ).toEqual([]);
  });
});
