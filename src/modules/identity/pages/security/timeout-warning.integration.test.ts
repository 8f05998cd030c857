import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../../platform/config/config.js';
import { csrfToken, startTestApp, Visitor, type TestApp } from '../../../../../test/helpers/app.js';

let app: TestApp;
const db = () => app.platform.database.db;

beforeAll(async () => {
  app = await startTestApp({ SESSION_IDLE_MINUTES: '10', SESSION_WARNING_SECONDS: '90' });
});
afterAll(async () => app?.close());

async function signedInCitizen(): Promise<Visitor> {
  const visitor = new Visitor(app.baseUrl);
  await visitor.signIn('citizen@example.com', 'demo-citizen-password');
  return visitor;
}

async function citizenSession() {
  return db()
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.id_hash', 'sessions.last_seen_at'])
    .where('users.email', '=', 'citizen@example.com')
    .orderBy('sessions.created_at', 'desc')
    .executeTakeFirstOrThrow();
}

function dialogData(html: string, name: string): string | undefined {
  return new RegExp(`data-${name}="([^"]*)"`).exec(html)?.[1];
}

describe('the time-out warning', () => {
  it('is on the pages of a signed-in person, with the time left counted from the server', async () => {
    const visitor = await signedInCitizen();
    const { id_hash } = await citizenSession();
    await db()
      .updateTable('sessions')
      .set({ last_seen_at: sql<Date>`now() - interval '30 seconds'` })
      .where('id_hash', '=', id_hash)
      .execute();
    const page = await visitor.get('/account');
    expect(page.status).toBe(200);
    expect(page.html).toContain('<dialog id="app-timeout-dialog"');
    expect(page.html).toContain('src="/assets/timeout-warning.js"');
    expect(dialogData(page.html, 'warning-seconds')).toBe('90');
    expect(dialogData(page.html, 'idle-seconds')).toBe('600');
    // Used 30 s ago (not long enough to be written again): 10 minutes less 30 s remain.
    const left = Number(dialogData(page.html, 'seconds-left'));
    expect(left).toBeGreaterThanOrEqual(568);
    expect(left).toBeLessThanOrEqual(571);
    expect(page.html).toContain('You’re about to be signed out');
    expect(page.html).toContain(
      'For your security, we will sign you out in 1 minute and 30 seconds.',
    );
  });

  it('is in Welsh for a person reading in Welsh', async () => {
    const visitor = await signedInCitizen();
    const page = await visitor.get('/account?lang=cy');
    expect(page.html).toContain('Rydych ar fin cael eich allgofnodi');
    expect(page.html).toContain('byddwn yn eich allgofnodi ymhen 1 munud a 30 eiliad.');
    expect(page.html).toContain('Parhau i fod wedi’ch mewngofnodi');
  });

  it('is not on the pages of someone signed out', async () => {
    const page = await new Visitor(app.baseUrl).get('/sign-in');
    expect(page.status).toBe(200);
    expect(page.html).not.toContain('app-timeout-dialog');
    expect(page.html).not.toContain('timeout-warning.js');
  });

  it('keeps the session alive when "Stay signed in" posts to /session/keep-alive, which answers 204', async () => {
    const visitor = await signedInCitizen();
    const page = await visitor.get('/account');
    const { id_hash } = await citizenSession();
    await db()
      .updateTable('sessions')
      .set({ last_seen_at: sql<Date>`now() - interval '9 minutes'` })
      .where('id_hash', '=', id_hash)
      .execute();
    const kept = await visitor.post('/session/keep-alive', {}, csrfToken(page.html));
    expect(kept.status).toBe(204);
    expect(kept.html).toBe('');
    const { last_seen_at } = await citizenSession();
    expect(Date.now() - last_seen_at.getTime()).toBeLessThan(30_000);
  });

  it('refuses a keep-alive without the CSRF token of one of its pages', async () => {
    const visitor = await signedInCitizen();
    await visitor.get('/account');
    const refused = await visitor.post('/session/keep-alive', {}, 'not-the-token');
    expect(refused.status).toBe(403);
  });

  it('answers 401 to a keep-alive once the session has gone idle, and ends it', async () => {
    const visitor = await signedInCitizen();
    const page = await visitor.get('/account');
    const { id_hash } = await citizenSession();
    await db()
      .updateTable('sessions')
      .set({ last_seen_at: sql<Date>`now() - interval '11 minutes'` })
      .where('id_hash', '=', id_hash)
      .execute();
    const late = await visitor.post('/session/keep-alive', {}, csrfToken(page.html));
    expect(late.status).toBe(401);
    const left = await db()
      .selectFrom('sessions')
      .select('id_hash')
      .where('id_hash', '=', id_hash)
      .execute();
    expect(left).toHaveLength(0);
  });

  it('ends sessions after SESSION_IDLE_MINUTES, not a fixed 30', async () => {
    const visitor = await signedInCitizen();
    const { id_hash } = await citizenSession();
    await db()
      .updateTable('sessions')
      .set({ last_seen_at: sql<Date>`now() - interval '10 minutes 5 seconds'` })
      .where('id_hash', '=', id_hash)
      .execute();
    const page = await visitor.get('/account');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/signed-out?reason=idle&returnTo=%2Faccount');
  });
});

describe('the time-out configuration', () => {
  it('refuses a warning that is not shorter than the idle time', () => {
    expect(() => loadConfig({ SESSION_IDLE_MINUTES: '2', SESSION_WARNING_SECONDS: '120' })).toThrow(
      ConfigError,
    );
    expect(loadConfig({}).SESSION_IDLE_MINUTES).toBe(30);
    expect(loadConfig({}).SESSION_WARNING_SECONDS).toBe(120);
  });
});
