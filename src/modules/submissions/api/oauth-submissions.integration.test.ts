import { sql } from 'kysely';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../../test/helpers/app.js';
import { attachmentsByIds } from '../../attachments/index.js';
import { publishService } from '../../catalogue/index.js';
import { publishForm } from '../../forms/index.js';
import { findOrganisationBySlug } from '../../organisations/index.js';
import { introspectAccessToken, oidcClientCreate } from '../../sso/index.js';
import { createHubKey } from '../hub/keys.js';

// A portal registered with Joinedup's OpenID Connect provider sends an application for the demo
// citizen with the access token the citizen granted it: the real flow, through the real pages.

const SERVICE = 'request-a-bulky-waste-collection'; // Stroud's, with the bulky-waste form
const CITIZEN = ['citizen@example.com', 'demo-citizen-password'] as const;
const CALLBACK = 'https://advice.example.org.uk/callback';

let app: TestApp;
const db = () => app.platform.database.db;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

interface Portal {
  clientId: string;
  config: oidc.Configuration;
}

/** A relying party with a client secret, registered with the CLI's command. */
async function aPortal(name: string, extra: string[] = ['--allow-submissions']): Promise<Portal> {
  const created = await oidcClientCreate(db(), [
    '--name',
    name,
    '--redirect-uri',
    CALLBACK,
    '--auth',
    'client_secret_post',
    ...extra,
  ]);
  expect(created.code, created.err.join('\n')).toBe(0);
  const clientId = /^client_id (\S+)$/.exec(created.out[0]!)![1]!;
  const secret = /^client_secret (\S+)/.exec(created.out[1]!)![1]!;
  const config = await oidc.discovery(
    new URL(`${app.baseUrl}/oidc`),
    clientId,
    { id_token_signed_response_alg: 'ES256' },
    oidc.ClientSecretPost(secret),
    { execute: [oidc.allowInsecureRequests] },
  );
  return { clientId, config };
}

interface Started {
  url: URL;
  verifier: string;
  state: string;
  nonce: string;
}

async function authorizationRequest(portal: Portal, scope: string): Promise<Started> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(portal.config, {
    redirect_uri: CALLBACK,
    scope,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    vtr: '["Cl"]',
  });
  return { url, verifier, state, nonce };
}

/** Follows redirects like a browser until a page is shown or the way leads to the portal. */
async function follow(visitor: Visitor, start: string) {
  let location = start;
  for (let hop = 0; hop < 12; hop += 1) {
    if (location.startsWith(CALLBACK)) return { location, response: null };
    const response = await visitor.get(location.replace(app.baseUrl, ''));
    const next = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !next) return { location, response };
    location = next;
  }
  throw new Error('too many redirects');
}

/** The demo citizen, signed in, starts at the portal; returns the page they are shown. */
async function startAsCitizen(portal: Portal, scope = 'openid submissions', visitor?: Visitor) {
  const citizen = visitor ?? new Visitor(app.baseUrl);
  if (!visitor) await citizen.signIn(...CITIZEN);
  const started = await authorizationRequest(portal, scope);
  const shown = await follow(citizen, started.url.href);
  return { citizen, started, shown };
}

/** The whole flow: sign in, agree on the consent page, exchange the code for tokens. */
async function accessTokenFor(portal: Portal, scope = 'openid submissions'): Promise<string> {
  const { citizen, started, shown } = await startAsCitizen(portal, scope);
  let callback = shown.location;
  if (!callback.startsWith(CALLBACK)) {
    expect(shown.response?.status).toBe(200);
    expect(shown.location).toMatch(/^\/oidc\/interaction\//);
    const agreed = await citizen.post(shown.location, { decision: 'agree' });
    expect(agreed.status).toBe(303);
    callback = (await follow(citizen, agreed.headers.get('location')!)).location;
  }
  expect(callback.startsWith(CALLBACK)).toBe(true);
  const tokens = await oidc.authorizationCodeGrant(portal.config, new URL(callback), {
    pkceCodeVerifier: started.verifier,
    expectedState: started.state,
    expectedNonce: started.nonce,
    idTokenExpected: true,
  });
  return tokens.access_token;
}

/** A weekday `days` or more ahead of today in the UK, as YYYY-MM-DD. */
function weekdayAhead(days: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
  const date = new Date(`${today}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  while (date.getUTCDay() === 0 || date.getUTCDay() === 6) date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

const ANSWERS = {
  items: ['sofa'],
  addressLine1: '1 High Street',
  town: 'Stroud',
  postcode: 'GL5 4UB',
  preferredDate: weekdayAhead(7),
};

interface Answer {
  status: number;
  json: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON the test reads
}

let counter = 0;

async function call(method: string, path: string, bearer: string, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${bearer}`,
    'idempotency-key': `oauth-test-${Date.now()}-${++counter}`,
  };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(app.baseUrl + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : {} };
}

const submit = (token: string, body: unknown = { answers: ANSWERS }) =>
  call('POST', `/api/v1/services/${SERVICE}/submissions`, token, body);

async function citizenId(): Promise<string> {
  const row = await db()
    .selectFrom('users')
    .select('id')
    .where('email', '=', CITIZEN[0])
    .executeTakeFirstOrThrow();
  return row.id;
}

describe('asking the person for permission to send applications', () => {
  it('shows the submissions permission on its own page and refuses a choice not made', async () => {
    const portal = await aPortal('Citizens Advice Stroud');
    const { citizen, shown } = await startAsCitizen(portal);
    expect(shown.response?.status).toBe(200);
    const page = shown.response!.html;
    expect(page).toContain('Do you want Citizens Advice Stroud to send applications for you?');
    expect(page).toContain('data-scope="submissions"');
    expect(page).toContain('Send applications for you');
    expect(page).toContain('name="_csrf"');

    const none = await citizen.post(shown.location, {});
    expect(none.status).toBe(400);
    expect(none.html).toContain('govuk-error-summary');
    expect(none.html).toContain('Select yes if you want the service to send applications for you');
  });

  it('asks in Welsh for a Welsh speaker', async () => {
    const portal = await aPortal('Porth Cyngor');
    const citizen = new Visitor(app.baseUrl);
    await citizen.signIn(...CITIZEN);
    await citizen.get('/?lang=cy');
    const { shown } = await startAsCitizen(portal, 'openid submissions', citizen);
    expect(shown.response?.html).toContain(
      'Ydych chi eisiau i Porth Cyngor anfon ceisiadau ar eich rhan?',
    );
    expect(shown.response?.html).toContain('Anfon ceisiadau ar eich rhan');
  });

  it('sends the person back with access_denied when they say no, and audits it', async () => {
    const portal = await aPortal('Refused portal');
    const { citizen, shown } = await startAsCitizen(portal);
    const refused = await citizen.post(shown.location, { decision: 'refuse' });
    expect(refused.status).toBe(303);
    const back = new URL((await follow(citizen, refused.headers.get('location')!)).location);
    expect(back.href.startsWith(CALLBACK)).toBe(true);
    expect(back.searchParams.get('error')).toBe('access_denied');
    const audit = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'sso.consent_refused')
      .where('resource_id', '=', portal.clientId)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.subject_user_id).toBe(await citizenId());
  });

  it('does not let a relying party registered without the permission ask for it', async () => {
    const portal = await aPortal('Sign-in only', []);
    const { shown } = await startAsCitizen(portal);
    const back = new URL(shown.location);
    expect(back.href.startsWith(CALLBACK)).toBe(true);
    expect(back.searchParams.get('error')).toBe('invalid_scope');
  });

  it('signs in without asking when the submissions scope is not requested', async () => {
    const portal = await aPortal('Quiet portal');
    const { shown } = await startAsCitizen(portal, 'openid email');
    expect(shown.location.startsWith(CALLBACK)).toBe(true);
    expect(new URL(shown.location).searchParams.get('code')).toBeTruthy();
  });
});

describe('sending an application with the person’s access token', () => {
  it('accepts it with 202: the citizen is the applicant, the client the channel, and it is in their applications', async () => {
    const portal = await aPortal('Advice portal');
    const token = await accessTokenFor(portal);

    const sent = await submit(token);
    expect(sent.status, JSON.stringify(sent.json)).toBe(202);
    expect(sent.json).toMatchObject({
      status: 'received',
      poll: `/api/v1/submissions/${sent.json.id}`,
    });

    const row = await db()
      .selectFrom('submissions')
      .selectAll()
      .where('id', '=', sent.json.id)
      .executeTakeFirstOrThrow();
    expect(row.applicant_user_id).toBe(await citizenId());
    expect(row.channel).toBe(`oauth:${portal.clientId}`);
    expect(row.submitted_by_organisation_id).toBeNull();
    expect(row.applicant).toBeNull();
    expect(row.answers.values).toMatchObject({ items: ['sofa'], postcode: 'GL5 4UB' });

    const audit = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'submission.created')
      .where('resource_id', '=', sent.json.id)
      .executeTakeFirstOrThrow();
    expect(audit.actor_user_id).toBe(await citizenId());
    expect(audit.actor_role).toBe(`oauth:${portal.clientId}`);
    expect(audit.details).toMatchObject({ clientId: portal.clientId });

    // The status API shows the channel to the portal that sent it.
    const status = await call('GET', sent.json.poll, token);
    expect(status.status).toBe(200);
    expect(status.json).toMatchObject({ id: sent.json.id, channel: `oauth:${portal.clientId}` });

    const citizen = new Visitor(app.baseUrl);
    await citizen.signIn(...CITIZEN);
    const applications = await citizen.get('/applications');
    expect(applications.html).toContain(sent.json.reference);
  });

  it('gives the same 202 for the same Idempotency-Key, and keeps each person’s keys apart', async () => {
    const portal = await aPortal('Retrying portal');
    const token = await accessTokenFor(portal);
    const headers = {
      authorization: `Bearer ${token}`,
      'idempotency-key': 'same-key',
      'content-type': 'application/json',
    };
    const send = () =>
      fetch(`${app.baseUrl}/api/v1/services/${SERVICE}/submissions`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ answers: ANSWERS }),
      }).then(async (r) => ({ status: r.status, json: (await r.json()) as { id: string } }));
    const first = await send();
    const again = await send();
    expect(first.status).toBe(202);
    expect(again).toEqual(first);
  });

  it('refuses applicant, channel and onBehalfOf in the body: the token says who and how', async () => {
    const token = await accessTokenFor(await aPortal('Overreaching portal'));
    const sent = await submit(token, {
      answers: ANSWERS,
      applicant: { name: 'Someone Else' },
      channel: 'counter',
      onBehalfOf: { consentReference: 'X' },
    });
    expect(sent.status).toBe(400);
    expect(sent.json.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'body.applicant',
      'body.channel',
      'body.onBehalfOf',
    ]);
  });

  it('answers 403 insufficient_scope for a token without the submissions scope', async () => {
    const token = await accessTokenFor(await aPortal('Scopeless portal'), 'openid email');
    expect((await introspectAccessToken(db(), token))?.scopes).not.toContain('submissions');
    const sent = await submit(token);
    expect(sent.status).toBe(403);
    expect(sent.json.errors[0].error).toBe('insufficient_scope');
  });

  it('answers 401 invalid_token for a revoked token', async () => {
    const portal = await aPortal('Revoking portal');
    const token = await accessTokenFor(portal);
    await oidc.tokenRevocation(portal.config, token);
    const sent = await submit(token);
    expect(sent.status).toBe(401);
    expect(sent.json).toMatchObject({ status_code: 401, errors: [{ error: 'invalid_token' }] });
  });

  it('answers 401 invalid_token for an expired token', async () => {
    const token = await accessTokenFor(await aPortal('Slow portal'));
    await db()
      .updateTable('oidc_payloads')
      .set({
        payload: sql`jsonb_set(payload, '{exp}', to_jsonb(extract(epoch from now())::int - 1))`,
      })
      .where('type', '=', 'AccessToken')
      .where('id', '=', token)
      .execute();
    const sent = await submit(token);
    expect(sent.status).toBe(401);
    expect(sent.json.errors[0].error).toBe('invalid_token');
  });

  it('answers 401 invalid_token once the person signs out of Joinedup', async () => {
    const portal = await aPortal('Signed-out portal');
    const { citizen, started, shown } = await startAsCitizen(portal);
    const agreed = await citizen.post(shown.location, { decision: 'agree' });
    const callback = (await follow(citizen, agreed.headers.get('location')!)).location;
    const tokens = await oidc.authorizationCodeGrant(portal.config, new URL(callback), {
      pkceCodeVerifier: started.verifier,
      expectedState: started.state,
      expectedNonce: started.nonce,
    });
    expect((await submit(tokens.access_token)).status).toBe(202);
    await citizen.get('/');
    expect((await citizen.post('/sign-out', {})).status).toBe(303);
    expect((await submit(tokens.access_token)).status).toBe(401);
  });

  it('answers 401 invalid_token for a made-up token', async () => {
    const sent = await submit('a'.repeat(43));
    expect(sent.status).toBe(401);
    expect(sent.json.errors[0].error).toBe('invalid_token');
  });
});

describe('files sent with the person’s access token', () => {
  /** A 1×1 PNG. */
  const PNG = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  );
  const EVIDENCE = 'send-us-a-photo-oauth-test';
  let token: string;

  async function upload(bearer: string, name = 'photo.png') {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(PNG)]), name);
    const response = await fetch(`${app.baseUrl}/api/v1/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}` },
      body: form,
    });
    return { status: response.status, json: (await response.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON the test reads
  }

  const sendPhoto = (bearer: string, id: string) =>
    call('POST', `/api/v1/services/${EVIDENCE}/submissions`, bearer, {
      answers: { details: 'The bin was left', photo: [{ id }] },
    });

  beforeAll(async () => {
    const stroud = (await findOrganisationBySlug(db(), 'stroud'))!.id;
    const text = (en: string) => ({ en, cy: `${en} (cy)` });
    const form = await db()
      .transaction()
      .execute((trx) =>
        publishForm(
          trx,
          {
            key: 'oauth-photo-test',
            title: text('Send us a photo'),
            pages: [
              {
                id: 'details',
                title: text('Details'),
                questions: [{ type: 'text', name: 'details', label: text('Details') }],
              },
              {
                id: 'photo',
                title: text('A photo'),
                questions: [
                  { type: 'file', name: 'photo', label: text('A photo'), accept: ['image/*'] },
                ],
              },
            ],
            confirmation: { body: text('Thank you') },
          },
          { userId: null, organisationId: stroud, role: 'test' },
        ),
      );
    expect(form, JSON.stringify(form)).toMatchObject({ ok: true });
    const service = await publishService(db(), {
      organisationId: stroud,
      slug: EVIDENCE,
      title: 'Send us a photo (test)',
      titleCy: 'Anfon llun (prawf)',
      summary: 'A test service.',
      summaryCy: 'Gwasanaeth prawf.',
      body: 'A test service.',
      bodyCy: 'Gwasanaeth prawf.',
      formKey: 'oauth-photo-test',
    });
    expect(service, JSON.stringify(service)).toMatchObject({ ok: true });
    token = await accessTokenFor(await aPortal('Photo portal'));
  });

  it('uploads a file as the person’s own and sends it with their application to the receiving body', async () => {
    const uploaded = await upload(token);
    expect(uploaded.status).toBe(201);
    expect(uploaded.json).toMatchObject({ type: 'image/png', size: PNG.length });
    const row = await db()
      .selectFrom('attachments')
      .select(['owner_user_id', 'uploader_organisation_id', 'submission_id'])
      .where('id', '=', uploaded.json.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      owner_user_id: await citizenId(),
      uploader_organisation_id: null,
      submission_id: null,
    });
    const sent = await sendPhoto(token, uploaded.json.id);
    expect(sent.status, JSON.stringify(sent.json)).toBe(202);
    const [file] = await attachmentsByIds(db(), [uploaded.json.id]);
    expect(file).toMatchObject({
      submissionId: sent.json.id,
      organisationId: (await findOrganisationBySlug(db(), 'stroud'))!.id,
    });
    const stored = await db()
      .selectFrom('submissions')
      .select('answers')
      .where('id', '=', sent.json.id)
      .executeTakeFirstOrThrow();
    expect(stored.answers.values.photo).toEqual([
      { id: uploaded.json.id, name: 'photo.png', type: 'image/png', size: PNG.length },
    ]);
    // Sent once: not again.
    const twice = await sendPhoto(token, uploaded.json.id);
    expect(twice.status).toBe(400);
    expect(twice.json.errors[0].field).toBe('body.answers.photo');
  });

  it('sends only the person’s own uploads: not a body’s, not another person’s; and a body cannot send the person’s', async () => {
    const stroud = (await findOrganisationBySlug(db(), 'stroud'))!.id;
    const bodyKey = (
      await createHubKey(
        db(),
        { organisationId: stroud, name: 'photo test', scope: 'submit' },
        { userId: null, organisationId: stroud, role: 'test' },
      )
    ).key;
    const bodys = await upload(bodyKey, 'body.png');
    expect(bodys.status).toBe(201);
    const count = async () =>
      Number(
        (
          await db()
            .selectFrom('submissions')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const refused = await sendPhoto(token, bodys.json.id);
    expect(refused.status).toBe(400);
    expect(refused.json.errors[0]).toMatchObject({
      field: 'body.answers.photo',
      message: expect.stringContaining('the person’s access token'),
    });

    const someoneElses = await upload(token, 'theirs.png');
    const other = await db()
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'agent@cotswold-accountants.example.com')
      .executeTakeFirstOrThrow();
    await db()
      .updateTable('attachments')
      .set({ owner_user_id: other.id })
      .where('id', '=', someoneElses.json.id)
      .execute();
    expect((await sendPhoto(token, someoneElses.json.id)).status).toBe(400);

    const persons = await upload(token, 'mine.png');
    const byBody = await call('POST', `/api/v1/services/${EVIDENCE}/submissions`, bodyKey, {
      answers: { details: 'x', photo: [{ id: persons.json.id }] },
    });
    expect(byBody.status).toBe(400);
    expect(await count()).toBe(before);
    expect((await attachmentsByIds(db(), [persons.json.id]))[0]!.submissionId).toBeNull();
  });

  it('sends to a service for businesses for one of the person’s own business accounts, and for no other', async () => {
    const GRANT = 'small-business-grant-stroud';
    const grant = async (business?: unknown) => {
      const uploaded = await upload(token, 'quote.png');
      return call('POST', `/api/v1/services/${GRANT}/submissions`, token, {
        answers: {
          businessName: 'Stroud Valley Bakery Ltd',
          companyNumber: '09876543',
          employees: '12',
          rateableValue: '£12,500',
          purpose: 'A second bread oven, so we can supply three more cafés.',
          amount: '£7,500',
          documents: [{ id: uploaded.json.id }],
        },
        ...(business === undefined ? {} : { business }),
      });
    };
    const bakery = await db()
      .selectFrom('business_accounts')
      .select('id')
      .where('name', '=', 'Stroud Valley Bakery Ltd')
      .executeTakeFirstOrThrow();
    // Their only business: no need to say which.
    const sent = await grant();
    expect(sent.status, JSON.stringify(sent.json)).toBe(202);
    const row = await db()
      .selectFrom('submissions')
      .select(['applicant_user_id', 'applicant_business_id', 'applicant_business'])
      .where('id', '=', sent.json.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      applicant_user_id: await citizenId(),
      applicant_business_id: bakery.id,
      applicant_business: {
        id: bakery.id,
        name: 'Stroud Valley Bakery Ltd',
        type: 'business',
        companiesHouseNumber: '09876543',
      },
    });
    expect((await grant({ id: bakery.id })).status).toBe(202);

    const notTheirs = await grant({ id: crypto.randomUUID() });
    expect(notTheirs.status).toBe(400);
    expect(notTheirs.json.errors[0].field).toBe('body.business.id');
    const named = await grant({ name: 'Any Business Ltd' });
    expect(named.status).toBe(400);
    expect(named.json.errors[0].field).toBe('body.business');

    // Without a business account of their own, the person cannot apply.
    const membership = await db()
      .deleteFrom('business_members')
      .where('business_id', '=', bakery.id)
      .where('user_id', '=', await citizenId())
      .returningAll()
      .executeTakeFirstOrThrow();
    try {
      const none = await grant();
      expect(none.status).toBe(400);
      expect(none.json.errors[0]).toMatchObject({
        field: 'body.business',
        message: expect.stringContaining('no business or charity account'),
      });
    } finally {
      await db().insertInto('business_members').values(membership).execute();
    }
  });

  it('takes no upload with a token that lacks the scope, or one that is not good', async () => {
    const scopeless = await accessTokenFor(await aPortal('Scopeless photo portal'), 'openid email');
    const refused = await upload(scopeless);
    expect(refused.status).toBe(403);
    expect(refused.json.errors[0].error).toBe('insufficient_scope');
    const madeUp = await upload('not-a-token-at-all');
    expect(madeUp.status).toBe(401);
    expect(madeUp.json.errors[0].error).toBe('invalid_token');
  });
});

describe('what the token can read', () => {
  it('reads no other submission: another person’s, or the person’s own sent another way', async () => {
    const portal = await aPortal('Nosy portal');
    const token = await accessTokenFor(portal);
    const stroud = (await findOrganisationBySlug(db(), 'stroud'))!.id;
    const { key } = await createHubKey(
      db(),
      { organisationId: stroud, name: 'Stroud counter', scope: 'submit' },
      { userId: null, organisationId: stroud, role: 'test' },
    );
    const someoneElse = await submit(key, {
      answers: ANSWERS,
      applicant: { name: 'Kim Other' },
      channel: 'counter',
    });
    expect(someoneElse.status).toBe(202);
    expect((await call('GET', someoneElse.json.poll, token)).status).toBe(404);

    // The same person's submission sent by another portal is not this portal's to read.
    const other = await accessTokenFor(await aPortal('Other portal'));
    const theirs = await submit(other);
    expect(theirs.status).toBe(202);
    expect((await call('GET', theirs.json.poll, token)).status).toBe(404);
    expect((await call('GET', theirs.json.poll, other)).status).toBe(200);
  });

  it('opens no page of the person’s account and no other part of the hub', async () => {
    const token = await accessTokenFor(await aPortal('Pages portal'));
    const page = await fetch(`${app.baseUrl}/applications`, {
      headers: { authorization: `Bearer ${token}` },
      redirect: 'manual',
    });
    expect(page.status).toBeGreaterThanOrEqual(300);
    expect(page.status).toBeLessThan(400);
    expect(page.headers.get('location')).toMatch(/^\/sign-in/);
    const inbox = await call('GET', '/api/v1/inbox', token);
    expect(inbox.status).toBe(403);
    expect(inbox.json.errors[0].error).toBe('insufficient_scope');
  });
});

describe('the provider’s introspection endpoint', () => {
  it('tells a registered client about its own token (RFC 7662)', async () => {
    const portal = await aPortal('Introspecting portal');
    const token = await accessTokenFor(portal);
    const answer = await oidc.tokenIntrospection(portal.config, token);
    expect(answer.active).toBe(true);
    expect(answer.client_id).toBe(portal.clientId);
    expect(String(answer.scope).split(' ')).toContain('submissions');

    const stranger = await aPortal('Stranger portal');
    expect((await oidc.tokenIntrospection(stranger.config, token)).active).toBe(false);
  });
});
