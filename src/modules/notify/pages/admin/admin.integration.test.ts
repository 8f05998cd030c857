import { NotifyClient } from 'notifications-node-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../../../test/helpers/app.js';
import { createStaffUser } from '../../../identity/index.js';
import { findOrganisationBySlug } from '../../../organisations/index.js';

const OWNER = ['owner@stroud.example.gov.uk', 'demo-stroud-service-owner'] as const;
const CASEWORKER = ['caseworker@stroud.example.gov.uk', 'demo-stroud-caseworker'] as const;
const PLATFORM_ADMIN = ['admin@cabinet-office.example.gov.uk', 'demo-platform-admin'] as const;
const CHELTENHAM_ADMIN = [
  'admin@cheltenham.example.gov.uk',
  'cheltenham admin passphrase',
] as const;
const STROUD_ADMIN = ['admin@stroud.example.gov.uk', 'stroud admin passphrase'] as const;
const BASE = '/admin/notify/stroud';

let app: TestApp;
const db = () => app.platform.database.db;

async function signedIn([email, password]: readonly [string, string]) {
  const visitor = new Visitor(app.baseUrl);
  await visitor.signIn(email, password);
  return visitor;
}

async function auditEntries(action: string, resourceId?: string) {
  let query = db().selectFrom('audit_log').selectAll().where('action', '=', action);
  if (resourceId) query = query.where('resource_id', '=', resourceId);
  return query.orderBy('occurred_at').execute();
}

/** The API key on the "API key created" page. */
function shownKey(html: string): string {
  return /<code id="api-key"[^>]*>([^<]+)<\/code>/.exec(html)![1]!;
}

/** Creates a template through the pages and returns its id. */
async function addTemplate(
  visitor: Visitor,
  fields: { type: string; name: string; subject?: string; body: string },
): Promise<string> {
  await visitor.get(`${BASE}/templates/new?type=${fields.type}`);
  const created = await visitor.post(`${BASE}/templates`, { subject: '', ...fields });
  expect(created.status).toBe(303);
  return /\/templates\/([0-9a-f-]{36})\?saved=1$/.exec(created.headers.get('location')!)![1]!;
}

beforeAll(async () => {
  app = await startTestApp();
  for (const [slug, [email, password]] of [
    ['cheltenham', CHELTENHAM_ADMIN],
    ['stroud', STROUD_ADMIN],
  ] as const) {
    const organisation = (await findOrganisationBySlug(db(), slug))!;
    const created = await createStaffUser(db(), {
      email,
      password,
      displayName: `${slug} admin`,
      organisationId: organisation.id,
      roles: ['admin'],
    });
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
  }
});
afterAll(async () => {
  await app?.close();
});

describe('API keys in the notifications admin pages', () => {
  it('shows a new key once, and that key sends an e-mail with the official Notify client', async () => {
    const owner = await signedIn(OWNER);
    const templateId = await addTemplate(owner, {
      type: 'email',
      name: 'Collection booked',
      subject: 'Collection on ((date))',
      body: 'Dear ((name)),\n\nWe will collect on ((date)).',
    });

    await owner.get(`${BASE}/keys/new`);
    const created = await owner.post(`${BASE}/keys`, { name: 'Waste system', type: 'live' });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const key = shownKey(created.html);
    expect(key).toMatch(/^waste_system-[0-9a-f-]{36}-[0-9a-f-]{36}$/);

    // Never shown again: not on the list, not on the revoke page.
    const list = await owner.get(`${BASE}/keys`);
    expect(list.html).toContain('Waste system');
    expect(list.html).not.toContain(key.slice(-36));
    const keyId = /\/keys\/([0-9a-f-]{36})\/revoke/.exec(list.html)![1]!;
    expect((await owner.get(`${BASE}/keys/${keyId}/revoke`)).html).not.toContain(key.slice(-36));

    const [audit] = await auditEntries('notify.api-key.created', keyId);
    expect(audit).toMatchObject({
      actor_role: 'service-owner',
      details: { keyType: 'normal', name: 'Waste system' },
    });

    const client = new NotifyClient(app.baseUrl, key);
    const sent = await client.sendEmail(templateId, 'sam@example.com', {
      personalisation: { name: 'Sam', date: '3 May' },
    });
    expect(sent.status).toBe(201);
    expect(sent.data.content.subject).toBe('Collection on 3 May');
    const fetched = await client.getNotificationById(sent.data.id);
    expect(fetched.data.body).toBe('Dear Sam,\n\nWe will collect on 3 May.');
  });

  it('revokes a key after asking, audits it, and the Notify client is refused from then on', async () => {
    const admin = await signedIn(STROUD_ADMIN);
    await admin.get(`${BASE}/keys/new`);
    const key = shownKey(
      (await admin.post(`${BASE}/keys`, { name: 'Old system', type: 'test' })).html,
    );
    const client = new NotifyClient(app.baseUrl, key);
    expect((await client.getAllTemplates()).status).toBe(200);

    const list = await admin.get(`${BASE}/keys`);
    const keyId = new RegExp(`Old system[\\s\\S]*?/keys/([0-9a-f-]{36})/revoke`).exec(
      list.html,
    )![1]!;
    const confirm = await admin.get(`${BASE}/keys/${keyId}/revoke`);
    expect(confirm.html).toContain('Are you sure you want to revoke ‘Old system’?');
    const revoked = await admin.post(`${BASE}/keys/${keyId}/revoke`, {});
    expect(revoked.status).toBe(303);
    expect((await admin.get(revoked.headers.get('location')!)).html).toContain(
      'The API key ‘Old system’ has been revoked.',
    );
    expect(await auditEntries('notify.api-key.revoked', keyId)).toEqual([
      expect.objectContaining({ actor_role: 'admin' }),
    ]);
    await expect(client.getAllTemplates()).rejects.toMatchObject({ response: { status: 403 } });
    // A second revoke finds nothing to revoke.
    expect((await admin.post(`${BASE}/keys/${keyId}/revoke`, {})).status).toBe(404);
  });

  it('says what is wrong when the name or type is missing', async () => {
    const owner = await signedIn(OWNER);
    await owner.get(`${BASE}/keys/new`);
    const response = await owner.post(`${BASE}/keys`, { name: '', type: 'gold' });
    expect(response.status).toBe(400);
    expect(response.html).toContain('There is a problem');
    expect(response.html).toContain('Enter a name for the key');
    expect(response.html).toContain('Select the type of key');
    expect(await auditEntries('notify.api-key.created')).toHaveLength(2); // only the two above
  });
});

describe('templates in the notifications admin pages', () => {
  it('saves an edit as a new version, keeps the old one readable and audits both', async () => {
    const owner = await signedIn(OWNER);
    const id = await addTemplate(owner, {
      type: 'letter',
      name: 'Council tax',
      subject: 'Your bill',
      body: 'Dear ((name)),\n\nYour bill is enclosed.',
    });
    const page = await owner.get(`${BASE}/templates/${id}?saved=1`);
    expect(page.html).toContain('Template saved as version 1.');

    await owner.get(`${BASE}/templates/${id}/edit`);
    const edited = await owner.post(`${BASE}/templates/${id}/edit`, {
      name: 'Council tax bill',
      subject: 'Your new bill',
      body: 'Dear ((name)),\n\nYour new bill for ((year)) is enclosed.',
      postage: 'first',
    });
    expect(edited.status).toBe(303);
    expect(edited.headers.get('location')).toBe(`${BASE}/templates/${id}?saved=2`);
    expect((await owner.get(edited.headers.get('location')!)).html).toContain(
      'Template saved as version 2.',
    );

    const versions = await owner.get(`${BASE}/templates/${id}/versions`);
    expect(versions.html).toContain('Version 2');
    expect(versions.html).toContain('Version 1');
    const first = await owner.get(`${BASE}/templates/${id}/versions/1`);
    expect(first.html).toContain('Your bill is enclosed.');
    expect(first.html).not.toContain('new bill');
    expect((await owner.get(`${BASE}/templates/${id}`)).html).toContain('First class');

    expect(await auditEntries('notify.template.created', id)).toHaveLength(1);
    expect(await auditEntries('notify.template.updated', id)).toEqual([
      expect.objectContaining({
        actor_role: 'service-owner',
        details: expect.objectContaining({ version: 2 }),
      }),
    ]);
  });

  it('previews an e-mail with the sample values typed in, leaving unfilled placeholders visible', async () => {
    const owner = await signedIn(OWNER);
    const id = await addTemplate(owner, {
      type: 'email',
      name: 'Reminder',
      subject: 'Reminder for ((name))',
      body: '# Bin day\n\nDear ((name)), your bin goes out on ((day)).',
    });
    const blank = await owner.get(`${BASE}/templates/${id}`);
    expect(blank.html).toContain('name="value-0"');
    expect(blank.html).toContain('name="value-1"');
    const preview = await owner.get(
      `${BASE}/templates/${id}?value-0=${encodeURIComponent('Sam <b>')}`,
    );
    expect(preview.html).toContain('Reminder for Sam &lt;b&gt;');
    expect(preview.html).toContain('<h2>Bin day</h2>');
    expect(preview.html).toContain('Dear Sam &lt;b&gt;, your bin goes out on ((day)).');
    expect(preview.html).not.toContain('Sam <b>');
  });

  it('shows a text message’s length and how many messages it is sent as', async () => {
    const owner = await signedIn(OWNER);
    const id = await addTemplate(owner, {
      type: 'sms',
      name: 'Long text',
      body: 'a'.repeat(200) + ' ((code))',
    });
    const page = await owner.get(`${BASE}/templates/${id}`);
    expect(page.html).toContain('209 characters, sent as 2 text messages');
    const filled = await owner.get(`${BASE}/templates/${id}?value-0=123456`);
    expect(filled.html).toContain('207 characters, sent as 2 text messages');
  });

  it('says what is missing on a new template and creates nothing', async () => {
    const owner = await signedIn(OWNER);
    const before = (await auditEntries('notify.template.created')).length;
    await owner.get(`${BASE}/templates/new?type=email`);
    const response = await owner.post(`${BASE}/templates`, {
      type: 'email',
      name: 'No subject',
      subject: '',
      body: '',
    });
    expect(response.status).toBe(400);
    expect(response.html).toContain('Enter a subject line');
    expect(response.html).toContain('Enter the message');
    expect(await auditEntries('notify.template.created')).toHaveLength(before);
    const noType = await owner.get(`${BASE}/templates/new?type=`);
    expect(noType.status).toBe(400);
    expect(noType.html).toContain('Select the kind of template');
  });
});

describe('the delivery-status callback in the notifications admin pages', () => {
  it('sets and removes the callback URL and token, auditing each, and refuses plain http', async () => {
    const owner = await signedIn(OWNER);
    await owner.get(`${BASE}/callback`);
    const refused = await owner.post(`${BASE}/callback`, {
      url: 'http://example.com/receipts',
      token: 'a-long-enough-token',
    });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('The URL must start with https://');

    const set = await owner.post(`${BASE}/callback`, {
      url: 'https://example.com/receipts',
      token: 'a-long-enough-token',
    });
    expect(set.status).toBe(303);
    const page = await owner.get(set.headers.get('location')!);
    expect(page.html).toContain('Delivery receipts will be sent to the new URL.');
    expect(page.html).toContain('https://example.com/receipts');
    expect(page.html).not.toContain('a-long-enough-token');
    expect(await auditEntries('notify.callback.set')).toEqual([
      expect.objectContaining({ details: { url: 'https://example.com/receipts' } }),
    ]);

    expect((await owner.post(`${BASE}/callback`, { action: 'remove' })).status).toBe(303);
    expect(await auditEntries('notify.callback.removed')).toHaveLength(1);
    expect((await owner.get(`${BASE}/callback`)).html).not.toContain(
      'https://example.com/receipts',
    );
  });
});

describe('who may use the notifications admin pages', () => {
  it('a caseworker gets 404', async () => {
    const caseworker = await signedIn(CASEWORKER);
    for (const path of [
      '/admin/notify',
      BASE,
      `${BASE}/keys`,
      `${BASE}/keys/new`,
      `${BASE}/templates`,
      `${BASE}/callback`,
    ])
      expect((await caseworker.get(path)).status, path).toBe(404);
    await caseworker.get('/');
    expect((await caseworker.post(`${BASE}/keys`, { name: 'Sneaky', type: 'live' })).status).toBe(
      404,
    );
  });

  it('another organisation’s admin cannot see the keys, and is sent to their own organisation', async () => {
    const cheltenham = await signedIn(CHELTENHAM_ADMIN);
    expect((await cheltenham.get(`${BASE}/keys`)).status).toBe(404);
    const own = await cheltenham.get('/admin/notify');
    expect(own.status).toBe(303);
    expect(own.headers.get('location')).toBe('/admin/notify/cheltenham');
    const keys = await cheltenham.get('/admin/notify/cheltenham/keys');
    expect(keys.status).toBe(200);
    expect(keys.html).not.toContain('Waste system');
    const stroudKey = /\/keys\/([0-9a-f-]{36})\/revoke/.exec(
      (await (await signedIn(OWNER)).get(`${BASE}/keys`)).html,
    )![1]!;
    await cheltenham.get('/admin/notify/cheltenham/keys');
    expect(
      (await cheltenham.post(`/admin/notify/cheltenham/keys/${stroudKey}/revoke`, {})).status,
    ).toBe(404);
    expect((await cheltenham.post(`${BASE}/keys/${stroudKey}/revoke`, {})).status).toBe(404);
  });

  it('a platform admin sees every organisation and its keys', async () => {
    const admin = await signedIn(PLATFORM_ADMIN);
    const list = await admin.get('/admin/notify');
    expect(list.status).toBe(200);
    expect(list.html).toContain('href="/admin/notify/stroud"');
    expect(list.html).toContain('href="/admin/notify/cheltenham"');
    expect((await admin.get(`${BASE}/keys`)).html).toContain('Waste system');
  });

  it('is in Welsh when asked', async () => {
    const owner = await signedIn(OWNER);
    const page = await owner.get(`${BASE}/keys?lang=cy`);
    expect(page.html).toContain('Allweddi API');
    expect(page.html).toContain('Cyngor Dosbarth Stroud');
  });
});
