import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../../../test/helpers/app.js';
import { contentOf } from '../../commands/content.js';
import { findServices } from '../../queries/services.js';
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
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'catalogue.service.draft-saved',
      'catalogue.service.published',
    ]);
    expect(audit[1]!.actor_user_id).toBe(versions[1]!.published_by);
    expect(audit[1]!.actor_role).toBe('service-owner');
  });

  it('an edit without a Welsh title is refused with an error summary, and nothing is saved', async () => {
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
    expect(refused.html).toContain('Enter the title in Welsh');
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
