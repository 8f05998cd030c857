import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../../../test/helpers/app.js';
import { createStaffUser } from '../../../identity/index.js';
import { findOrganisationBySlug } from '../../../organisations/index.js';

const STROUD_ADMIN = ['hub-admin@stroud.example.gov.uk', 'stroud hub admin password'] as const;
const CHELTENHAM_ADMIN = [
  'hub-admin@cheltenham.example.gov.uk',
  'cheltenham hub admin pw',
] as const;
const STROUD_CASEWORKER = ['caseworker@stroud.example.gov.uk', 'demo-stroud-caseworker'] as const;
const PLATFORM_ADMIN = ['admin@cabinet-office.example.gov.uk', 'demo-platform-admin'] as const;

let app: TestApp;
const db = () => app.platform.database.db;

beforeAll(async () => {
  app = await startTestApp();
  for (const [[email, password], org] of [
    [STROUD_ADMIN, 'stroud'],
    [CHELTENHAM_ADMIN, 'cheltenham'],
  ] as const) {
    const organisation = (await findOrganisationBySlug(db(), org))!;
    const made = await createStaffUser(db(), {
      email,
      password,
      displayName: `${org} admin`,
      organisationId: organisation.id,
      roles: ['admin'],
    });
    expect(made.ok).toBe(true);
  }
});
afterAll(async () => {
  await app?.close();
});

async function signedIn([email, password]: readonly [string, string]): Promise<Visitor> {
  const visitor = new Visitor(app.baseUrl);
  await visitor.signIn(email, password);
  return visitor;
}

function keyOn(html: string): string {
  const match = /<code id="api-key"[^>]*>([^<]+)<\/code>/.exec(html);
  if (!match) throw new Error('No key on the page');
  return match[1]!;
}

function secretOn(html: string): string {
  const match = /<code id="webhook-secret"[^>]*>([^<]+)<\/code>/.exec(html);
  if (!match) throw new Error('No secret on the page');
  return match[1]!;
}

async function inboxWith(key: string) {
  return fetch(`${app.baseUrl}/api/v1/inbox`, { headers: { authorization: `Bearer ${key}` } });
}

async function auditActions(action: string) {
  return db().selectFrom('audit_log').selectAll().where('action', '=', action).execute();
}

describe('a body’s admin manages its hub API keys', () => {
  it('creates a key shown once, listed afterwards with when it was last used, and revokes it', async () => {
    const admin = await signedIn(STROUD_ADMIN);
    expect((await admin.get('/admin/hub')).headers.get('location')).toBe('/admin/hub/stroud');
    const overview = await admin.get('/admin/hub/stroud');
    expect(overview.status).toBe(200);
    expect(overview.html).toContain('There are no API keys yet.');
    expect(overview.html).toContain('Joinedup casework');

    await admin.get('/admin/hub/stroud/keys/new');
    const missing = await admin.post('/admin/hub/stroud/keys', { name: '', scope: '' });
    expect(missing.status).toBe(400);
    expect(missing.html).toContain('Enter a name for the key');
    expect(missing.html).toContain('Select what the key can do');
    // Acting for people at any body is not a body admin's to grant.
    const intermediary = await admin.post('/admin/hub/stroud/keys', {
      name: 'Portal',
      scope: 'submit-any',
    });
    expect(intermediary.status).toBe(400);

    await admin.get('/admin/hub/stroud/keys/new');
    const created = await admin.post('/admin/hub/stroud/keys', {
      name: 'Case management',
      scope: 'receive',
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const key = keyOn(created.html);
    expect(key).toMatch(/^juhub\.[0-9a-f]{32}\.[A-Za-z0-9_-]{43}$/);
    const secret = key.split('.')[2]!;

    const listed = await admin.get('/admin/hub/stroud');
    expect(listed.html).toContain('Case management');
    expect(listed.html).toContain(`…${secret.slice(-4)}`);
    expect(listed.html).not.toContain(secret);
    expect(listed.html).toContain('Never');
    const [made] = await auditActions('hub.api-key.created');
    expect(made!.actor_user_id).toBeTruthy();
    expect(made!.details).toMatchObject({ name: 'Case management', scope: 'receive' });

    expect((await inboxWith(key)).status).toBe(200);
    const used = await admin.get('/admin/hub/stroud');
    expect(used.html).not.toContain('>Never<');

    const keyId = /href="\/admin\/hub\/stroud\/keys\/([0-9a-f-]{36})\/revoke"/.exec(used.html)![1]!;
    const confirm = await admin.get(`/admin/hub/stroud/keys/${keyId}/revoke`);
    expect(confirm.html).toContain('Revoke ‘Case management’?');
    const revoked = await admin.post(`/admin/hub/stroud/keys/${keyId}/revoke`, {});
    expect(revoked.status).toBe(303);
    expect((await admin.get(revoked.headers.get('location')!)).html).toContain(
      'The API key was revoked',
    );
    expect((await inboxWith(key)).status).toBe(401);
    expect((await auditActions('hub.api-key.revoked')).map((a) => a.resource_id)).toContain(keyId);
  });

  it('is in Welsh when Welsh is chosen', async () => {
    const admin = await signedIn(STROUD_ADMIN);
    const page = await admin.get('/admin/hub/stroud?lang=cy');
    expect(page.html).toContain('Hwb cyflwyniadau');
    expect(page.html).toContain('Creu allwedd API');
  });
});

describe('a body’s admin chooses how submissions are delivered', () => {
  it('sets up a webhook (https only), is shown its signing secret once, and rotates it with an overlap', async () => {
    const admin = await signedIn(STROUD_ADMIN);
    const form = await admin.get('/admin/hub/stroud/delivery');
    expect(form.html).toContain('value="hub-admin@stroud.example.gov.uk"');
    const insecure = await admin.post('/admin/hub/stroud/delivery', {
      mode: 'push',
      webhookUrl: 'http://council.example.gov.uk/joinedup',
      alertEmail: '',
    });
    expect(insecure.status).toBe(400);
    expect(insecure.html).toContain('The webhook address must start with https://');
    expect(insecure.html).toContain('Enter an e-mail address for alerts');

    const saved = await admin.post('/admin/hub/stroud/delivery', {
      mode: 'push',
      webhookUrl: 'https://council.example.gov.uk/joinedup',
      alertEmail: 'digital@stroud.example.gov.uk',
    });
    expect(saved.status).toBe(201);
    expect(saved.headers.get('cache-control')).toBe('no-store');
    const first = secretOn(saved.html);
    expect(first).toMatch(/^whsec_/);
    const overview = await admin.get('/admin/hub/stroud');
    expect(overview.html).toContain('https://council.example.gov.uk/joinedup');
    expect(overview.html).toContain('digital@stroud.example.gov.uk');
    expect(overview.html).not.toContain(first);

    const rotated = await admin.post('/admin/hub/stroud/secrets', {});
    expect(rotated.status).toBe(201);
    const second = secretOn(rotated.html);
    expect(second).not.toBe(first);
    expect(rotated.html).toContain('The previous secret keeps signing for 24 hours');
    const during = await admin.get('/admin/hub/stroud');
    expect(during.html).toContain('signs until');
    expect(during.html).toContain('Stop using older secrets now');

    const retired = await admin.post('/admin/hub/stroud/secrets/retire', {});
    expect(retired.status).toBe(303);
    const after = await admin.get('/admin/hub/stroud');
    expect(after.html).not.toContain('signs until');
    expect(after.html).not.toContain('Stop using older secrets now');

    const setUp = await auditActions('hub.delivery.set');
    expect(setUp.at(-1)!.details).toMatchObject({
      mode: 'push',
      webhookUrl: 'https://council.example.gov.uk/joinedup',
    });

    // Back to casework: the webhook is forgotten.
    await admin.get('/admin/hub/stroud/delivery');
    const back = await admin.post('/admin/hub/stroud/delivery', { mode: 'casework' });
    expect(back.status).toBe(303);
    expect((await admin.get('/admin/hub/stroud')).html).not.toContain(
      'https://council.example.gov.uk/joinedup',
    );
  });
});

describe('who may run a body’s hub set-up', () => {
  it('gives a caseworker, and another body’s admin, 404', async () => {
    const caseworker = await signedIn(STROUD_CASEWORKER);
    expect((await caseworker.get('/admin/hub')).status).toBe(404);
    expect((await caseworker.get('/admin/hub/stroud')).status).toBe(404);
    const other = await signedIn(CHELTENHAM_ADMIN);
    expect((await other.get('/admin/hub/stroud')).status).toBe(404);
    expect((await other.get('/admin/hub/stroud/keys/new')).status).toBe(404);
    await other.get('/admin/hub/cheltenham/keys/new');
    const forged = await other.post('/admin/hub/stroud/keys', { name: 'x', scope: 'receive' });
    expect(forged.status).toBe(404);
  });

  it('lets a platform admin open every body’s set-up and issue an intermediary’s key', async () => {
    const admin = await signedIn(PLATFORM_ADMIN);
    const list = await admin.get('/admin/hub');
    expect(list.status).toBe(200);
    expect(list.html).toContain('href="/admin/hub/cheltenham"');
    const form = await admin.get('/admin/hub/cabinet-office/keys/new');
    expect(form.html).toContain('value="submit-any"');
    const created = await admin.post('/admin/hub/cabinet-office/keys', {
      name: 'Partner portal',
      scope: 'submit-any',
    });
    expect(created.status).toBe(201);
    expect(keyOn(created.html)).toMatch(/^juhub\./);
  });
});
