import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../helpers/app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

describe('deleting an account', () => {
  it('tells every module: drafts go, agents lose their authority, relying parties are signed out', async () => {
    const db = app.platform.database.db;
    const citizen = new Visitor(app.baseUrl);
    await citizen.signIn('citizen@example.com', 'demo-citizen-password');
    const user = await db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'citizen@example.com')
      .executeTakeFirstOrThrow();

    await citizen.get('/services/request-a-bulky-waste-collection/apply/items');
    await citizen.post('/services/request-a-bulky-waste-collection/apply/items', {
      items: 'sofa',
      itemDetails: '',
    });
    const drafts = () =>
      db.selectFrom('form_drafts').select('id').where('user_id', '=', user.id).execute();
    expect(await drafts()).toHaveLength(1);
    const approved = () =>
      db
        .selectFrom('agent_authorities')
        .select('id')
        .where('client_user_id', '=', user.id)
        .where('status', '=', 'approved')
        .execute();
    expect(await approved()).toHaveLength(1);

    await citizen.get('/account/delete');
    const deleted = await citizen.post('/account/delete', { password: 'demo-citizen-password' });
    expect(deleted.status).toBe(303);

    expect(await drafts()).toHaveLength(0);
    expect(await approved()).toHaveLength(0);
    const logout = await db
      .selectFrom('outbox')
      .select('payload')
      .where('topic', '=', 'sso.backchannel-logout')
      .execute();
    expect(logout.map((m) => m.payload.userId)).toContain(user.id);
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('subject_user_id', '=', user.id)
      .execute();
    expect(audit.map((a) => a.action)).toContain('account.deleted');
    expect((await citizen.get('/applications')).headers.get('location')).toMatch(/^\/sign-in/);
  });
});
