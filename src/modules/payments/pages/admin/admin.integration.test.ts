import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../../../test/helpers/app.js';
import { createStaffUser } from '../../../identity/index.js';
import { findOrganisationBySlug } from '../../../organisations/index.js';

let app: TestApp;
const db = () => app.platform.database.db;
const STROUD_ADMIN = ['admin@stroud.example.gov.uk', 'stroud admin passphrase'] as const;
const CHELTENHAM_ADMIN = [
  'admin@cheltenham.example.gov.uk',
  'cheltenham admin passphrase',
] as const;

async function signedIn([email, password]: readonly [string, string]): Promise<Visitor> {
  const visitor = new Visitor(app.baseUrl);
  await visitor.signIn(email, password);
  return visitor;
}

const listPayments = (key: string) =>
  fetch(`${app.baseUrl}/v1/payments`, { headers: { authorization: `Bearer ${key}` } });

beforeAll(async () => {
  app = await startTestApp();
  for (const [slug, [email, password]] of [
    ['stroud', STROUD_ADMIN],
    ['cheltenham', CHELTENHAM_ADMIN],
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

describe('payments keys in the admin pages', () => {
  it('shows a new key once; it works until the admin revokes it', async () => {
    const admin = await signedIn(STROUD_ADMIN);
    expect((await admin.get('/admin/payments')).headers.get('location')).toBe(
      '/admin/payments/stroud',
    );
    await admin.get('/admin/payments/stroud');
    const created = await admin.post('/admin/payments/stroud/keys', { name: 'Parking permits' });
    expect(created.status).toBe(200);
    const key = /<code id="api-key"[^>]*>(jupay\.[^<]+)<\/code>/.exec(created.html)![1]!;
    expect((await listPayments(key)).status).toBe(200);
    const list = await admin.get('/admin/payments/stroud');
    expect(list.html).toContain('Parking permits');
    expect(list.html).not.toContain(key);
    const keyId = /\/keys\/([0-9a-f-]{36})\/revoke/.exec(list.html)![1]!;
    const revoked = await admin.post(`/admin/payments/stroud/keys/${keyId}/revoke`, {});
    expect(revoked.status).toBe(303);
    expect((await listPayments(key)).status).toBe(401);
    const audit = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('resource_id', '=', keyId)
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual([
      'payments.api-key.created',
      'payments.api-key.revoked',
    ]);
  });

  it('asks for a name with an error summary, in Welsh too', async () => {
    const admin = await signedIn(STROUD_ADMIN);
    await admin.get('/admin/payments/stroud?lang=cy');
    const refused = await admin.post('/admin/payments/stroud/keys', { name: '' });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('govuk-error-summary');
    expect(refused.html).toContain('Rhowch enw ar gyfer yr allwedd');
  });

  it('gives another body’s admin and a caseworker 404', async () => {
    const other = await signedIn(CHELTENHAM_ADMIN);
    expect((await other.get('/admin/payments/stroud')).status).toBe(404);
    const caseworker = await signedIn([
      'caseworker@stroud.example.gov.uk',
      'demo-stroud-caseworker',
    ]);
    expect((await caseworker.get('/admin/payments/stroud')).status).toBe(404);
    await other.get('/admin/payments/cheltenham');
    expect((await other.post('/admin/payments/stroud/keys', { name: 'sneaky' })).status).toBe(404);
    const keys = await db()
      .selectFrom('pay_api_keys')
      .select('name')
      .where('name', '=', 'sneaky')
      .execute();
    expect(keys).toHaveLength(0);
  });
});
