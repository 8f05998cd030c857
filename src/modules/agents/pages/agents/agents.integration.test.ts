import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../../../test/helpers/app.js';
import { publishService, searchServices } from '../../../catalogue/index.js';
import { findOrganisationBySlug } from '../../../organisations/index.js';
import { canActFor } from '../../policies/agents.js';
import { aCitizenAccount, auditOf, lastMailTo, userIdOf } from '../../test/helpers.js';

const AGENT = ['agent@cotswold-accountants.example.com', 'demo-agent-password'] as const;
const CITIZEN = ['citizen@example.com', 'demo-citizen-password'] as const;
const BANNER = 'You are acting for';

let app: TestApp;
let bulkyWasteId: string;
let otherServiceId: string;
let agencyId: string;
beforeAll(async () => {
  app = await startTestApp();
  const db = app.platform.database.db;
  bulkyWasteId = (await searchServices(db, 'en', 'bulky waste'))[0]!.id;
  const cheltenham = (await findOrganisationBySlug(db, 'cheltenham'))!;
  const other = await publishService(db, {
    organisationId: cheltenham.id,
    slug: 'apply-for-a-parking-permit',
    title: 'Apply for a parking permit',
    titleCy: 'Gwneud cais am drwydded barcio',
    summary: 'Residents’ parking permits.',
    summaryCy: 'Trwyddedau parcio i breswylwyr.',
    body: 'Apply online.',
    bodyCy: 'Gwnewch gais ar-lein.',
    keywords: 'parking permit',
    formKey: null,
  });
  if (!other.ok) throw new Error('could not publish');
  otherServiceId = other.service.id;
  agencyId = (
    await db
      .selectFrom('business_accounts')
      .select('id')
      .where('name', '=', 'Cotswold Accountants LLP')
      .executeTakeFirstOrThrow()
  ).id;
});
afterAll(async () => {
  await app?.close();
});

async function signedIn(email: string, password: string) {
  const visitor = new Visitor(app.baseUrl);
  await visitor.signIn(email, password);
  return visitor;
}

async function authorityIdFor(clientUserId: string, status = 'approved'): Promise<string> {
  const row = await app.platform.database.db
    .selectFrom('agent_authorities')
    .select('id')
    .where('client_user_id', '=', clientUserId)
    .where('agent_business_id', '=', agencyId)
    .where('status', '=', status as never)
    .orderBy('requested_at', 'desc')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The agent asks a client for authority in the given services; returns the code shown once. */
async function requestAuthority(agent: Visitor, clientEmail: string, services: string[]) {
  await agent.get(`/agents/request?business=${agencyId}`);
  const sent = await agent.post('/agents/request', { business: agencyId, clientEmail, services });
  expect(sent.status).toBe(200);
  const code = /app-agent-code">(\d{8})</.exec(sent.html)?.[1];
  expect(code).toBeDefined();
  return code!;
}

describe('agents acting for clients', () => {
  it('the demo agent holds the demo citizen’s authority for bulky waste and sees them as a client', async () => {
    const agent = await signedIn(...AGENT);
    const page = await agent.get('/agents/clients');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Cotswold Accountants LLP');
    expect(page.html).toContain('Sam Citizen');
    expect(page.html).toContain('Request a bulky waste collection');
    // …and for the grant, which the citizen applies for as Stroud Valley Bakery Ltd.
    expect(page.html).toContain('Apply for a small business grant');
    const client = await userIdOf(app, CITIZEN[0]);
    const agentId = await userIdOf(app, AGENT[0]);
    expect(await canActFor(app.platform.database.db, { id: agentId }, client, bulkyWasteId)).toBe(
      true,
    );
    const clientPage = await (await signedIn(...CITIZEN)).get('/agents/authorities');
    expect(clientPage.html).toContain('Cotswold Accountants LLP');
    expect(clientPage.html).toContain('Request a bulky waste collection');
  });

  it('an agent cannot act for a client without authority, nor in a service the client did not name', async () => {
    const db = app.platform.database.db;
    const agentId = await userIdOf(app, AGENT[0]);
    const stranger = await aCitizenAccount(app, 'no-authority@example.com', 'Nora None');
    expect(await canActFor(db, { id: agentId }, stranger.id, bulkyWasteId)).toBe(false);
    const client = await userIdOf(app, CITIZEN[0]);
    expect(await canActFor(db, { id: agentId }, client, otherServiceId)).toBe(false);
    // Someone not in the agent business has no authority either.
    expect(await canActFor(db, { id: stranger.id }, client, bulkyWasteId)).toBe(false);

    // An authority still waiting for the client cannot be acted on.
    const agent = await signedIn(...AGENT);
    await requestAuthority(agent, stranger.email, [bulkyWasteId]);
    const waiting = await authorityIdFor(stranger.id, 'requested');
    await agent.get('/agents/clients');
    const refused = await agent.post('/agents/act', { authorityId: waiting });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('You no longer have authority to act for this client');
    expect(refused.html).not.toContain(BANNER);
    expect(await canActFor(db, { id: agentId }, stranger.id, bulkyWasteId)).toBe(false);

    // Another person's authority cannot be used by someone outside the agent business.
    const outsider = await signedIn(stranger.email, 'a-long-test-password');
    await outsider.get('/agents/clients');
    const approved = await authorityIdFor(client);
    expect((await outsider.post('/agents/act', { authorityId: approved })).status).toBe(404);
    expect((await outsider.get(`/agents/request?business=${agencyId}`)).status).toBe(404);
  });

  it('acting for a client marks the agent’s session only, and starting and stopping are audited', async () => {
    const agent = await signedIn(...AGENT);
    const otherSession = await signedIn(...AGENT);
    const client = await userIdOf(app, CITIZEN[0]);
    const agentId = await userIdOf(app, AGENT[0]);
    const authorityId = await authorityIdFor(client);
    await agent.get('/agents/clients');
    const started = await agent.post('/agents/act', { authorityId });
    expect(started.status).toBe(303);
    const page = await agent.get('/agents/clients');
    expect(page.html).toContain(`${BANNER} Sam Citizen`);
    expect(page.html).toContain('Acting for them now');
    expect((await otherSession.get('/agents/clients')).html).not.toContain(BANNER);

    const [start] = (await auditOf(app, 'agent.acting_started')).slice(-1);
    expect(start).toMatchObject({
      actor_user_id: agentId,
      subject_user_id: client,
      resource_id: authorityId,
    });
    expect(start!.details).toMatchObject({
      on_behalf_of: client,
      agent_business_id: agencyId,
    });
    // The demo authority: bulky waste and the small business grant.
    expect(start!.details.service_ids).toEqual(expect.arrayContaining([bulkyWasteId]));
    expect(start!.details.service_ids).toHaveLength(2);

    const stopped = await agent.post('/agents/stop', {});
    expect(stopped.status).toBe(303);
    expect((await agent.get('/agents/clients')).html).not.toContain(BANNER);
    const [stop] = (await auditOf(app, 'agent.acting_stopped')).slice(-1);
    expect(stop).toMatchObject({ actor_user_id: agentId, subject_user_id: client });
    expect(stop!.details).toMatchObject({
      on_behalf_of: client,
      agent_business_id: agencyId,
      reason: 'stopped',
    });
  });

  it('signing out ends acting: the acting entry goes with the session', async () => {
    const agent = await signedIn(...AGENT);
    const client = await userIdOf(app, CITIZEN[0]);
    await agent.get('/agents/clients');
    await agent.post('/agents/act', { authorityId: await authorityIdFor(client) });
    const db = app.platform.database.db;
    const before = await db.selectFrom('acting_sessions').select('session_id_hash').execute();
    expect(before.length).toBeGreaterThan(0);
    await agent.get('/agents/clients');
    await agent.post('/sign-out', {});
    const after = await db.selectFrom('acting_sessions').select('session_id_hash').execute();
    expect(after.length).toBe(before.length - 1);
  });

  it('a client approves a request by entering the agent’s code; a wrong code and a replayed code are refused', async () => {
    const db = app.platform.database.db;
    const client = await aCitizenAccount(app, 'code-client@example.com', 'Cody Client');
    const agentId = await userIdOf(app, AGENT[0]);
    const agent = await signedIn(...AGENT);
    await agent.get(`/agents/request?business=${agencyId}`);
    const unknown = await agent.post('/agents/request', {
      business: agencyId,
      clientEmail: 'nobody@example.com',
      services: [],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.html).toContain('There is no personal account with this e-mail address');
    expect(unknown.html).toContain('Select at least one service');

    const code = await requestAuthority(agent, client.email, [bulkyWasteId]);
    const authorityId = await authorityIdFor(client.id, 'requested');
    const [requested] = (await auditOf(app, 'agent.authority_requested')).filter(
      (e) => e.resource_id === authorityId,
    );
    expect(requested).toMatchObject({ actor_user_id: agentId, subject_user_id: client.id });
    expect(requested!.details).toMatchObject({
      agent_business_id: agencyId,
      service_ids: [bulkyWasteId],
    });
    const mail = await lastMailTo(app, client.email);
    expect(mail.text).toContain('/agents/authorities');
    expect(mail.text).not.toContain(code);

    const visitor = await signedIn(client.email, client.password);
    const account = await visitor.get('/agents/authorities');
    expect(account.html).toContain('Cotswold Accountants LLP asks for authority');

    await visitor.get('/agents/authorise');
    const wrong = await visitor.post('/agents/authorise', {
      code: code === '12345678' ? '87654321' : '12345678',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('govuk-error-summary');
    expect(wrong.html).toContain('The code is not right');
    expect((await visitor.post('/agents/authorise', { code: '' })).html).toContain(
      'Enter the code',
    );
    expect(await canActFor(db, { id: agentId }, client.id, bulkyWasteId)).toBe(false);

    // Another citizen cannot use the code: it is bound to the client named in the request.
    const other = await aCitizenAccount(app, 'other-client@example.com', 'Olly Other');
    const otherVisitor = await signedIn(other.email, other.password);
    await otherVisitor.get('/agents/authorise');
    expect((await otherVisitor.post('/agents/authorise', { code })).status).toBe(400);

    const approved = await visitor.post('/agents/authorise', {
      code: code.slice(0, 4) + ' ' + code.slice(4),
    });
    expect(approved.status).toBe(303);
    expect(await canActFor(db, { id: agentId }, client.id, bulkyWasteId)).toBe(true);
    const [approval] = (await auditOf(app, 'agent.authority_approved')).filter(
      (e) => e.resource_id === authorityId,
    );
    expect(approval).toMatchObject({ actor_user_id: client.id, subject_user_id: client.id });
    expect(approval!.details).toMatchObject({ agent_business_id: agencyId, method: 'code' });

    await visitor.get('/agents/authorise');
    const replay = await visitor.post('/agents/authorise', { code });
    expect(replay.status).toBe(400);
    expect(replay.html).toContain('The code is not right or has already been used');

    // Revoked, then the old code typed again: the authority stays revoked.
    await visitor.get('/agents/authorities');
    expect((await visitor.post(`/agents/authorities/${authorityId}/revoke`, {})).status).toBe(303);
    await visitor.get('/agents/authorise');
    expect((await visitor.post('/agents/authorise', { code })).status).toBe(400);
    const row = await db
      .selectFrom('agent_authorities')
      .select('status')
      .where('id', '=', authorityId)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('revoked');
  });

  it('a code typed wrongly five times is spent, even if the right one is then typed', async () => {
    const client = await aCitizenAccount(app, 'five-tries@example.com', 'Fi Tries');
    const agent = await signedIn(...AGENT);
    const code = await requestAuthority(agent, client.email, [bulkyWasteId]);
    const visitor = await signedIn(client.email, client.password);
    const wrongCode = code === '00000000' ? '11111111' : '00000000';
    await visitor.get('/agents/authorise');
    for (let i = 0; i < 5; i++) await visitor.post('/agents/authorise', { code: wrongCode });
    const last = await visitor.post('/agents/authorise', { code });
    expect(last.status).toBe(400);
    expect(last.html).toContain('too many times');
    // The request can still be approved in the account.
    const authorityId = await authorityIdFor(client.id, 'requested');
    await visitor.get('/agents/authorities');
    expect((await visitor.post(`/agents/authorities/${authorityId}/approve`, {})).status).toBe(303);
  });

  it('a client approves or declines in their account, and no one else can decide for them', async () => {
    const client = await aCitizenAccount(app, 'account-client@example.com', 'Ana Account');
    const agent = await signedIn(...AGENT);
    await requestAuthority(agent, client.email, [bulkyWasteId, otherServiceId]);
    const first = await authorityIdFor(client.id, 'requested');

    const someoneElse = await signedIn(...CITIZEN);
    await someoneElse.get('/agents/authorities');
    expect((await someoneElse.post(`/agents/authorities/${first}/approve`, {})).status).toBe(404);
    await agent.get('/agents/clients');
    expect((await agent.post(`/agents/authorities/${first}/approve`, {})).status).toBe(404);

    const visitor = await signedIn(client.email, client.password);
    await visitor.get('/agents/authorities');
    expect((await visitor.post(`/agents/authorities/${first}/approve`, {})).status).toBe(303);
    const page = await visitor.get('/agents/authorities?changed=approve');
    expect(page.html).toContain('You have given the agent authority');
    expect(page.html).toContain('Apply for a parking permit');
    const agentId = await userIdOf(app, AGENT[0]);
    expect(
      await canActFor(app.platform.database.db, { id: agentId }, client.id, otherServiceId),
    ).toBe(true);
    expect((await visitor.post(`/agents/authorities/${first}/approve`, {})).status).toBe(400);

    await requestAuthority(agent, client.email, [otherServiceId]);
    const second = await authorityIdFor(client.id, 'requested');
    await visitor.get('/agents/authorities');
    expect((await visitor.post(`/agents/authorities/${second}/decline`, {})).status).toBe(303);
    const [declined] = (await auditOf(app, 'agent.authority_declined')).filter(
      (e) => e.resource_id === second,
    );
    expect(declined).toMatchObject({ actor_user_id: client.id, subject_user_id: client.id });
  });

  it('a revocation takes effect on the agent’s very next request', async () => {
    const db = app.platform.database.db;
    const client = await aCitizenAccount(app, 'revoking-client@example.com', 'Rev Oker');
    const agentId = await userIdOf(app, AGENT[0]);
    const agent = await signedIn(...AGENT);
    await requestAuthority(agent, client.email, [bulkyWasteId]);
    const authorityId = await authorityIdFor(client.id, 'requested');
    const visitor = await signedIn(client.email, client.password);
    await visitor.get('/agents/authorities');
    await visitor.post(`/agents/authorities/${authorityId}/approve`, {});

    await agent.get('/agents/clients');
    expect((await agent.post('/agents/act', { authorityId })).status).toBe(303);
    expect((await agent.get('/agents/clients')).html).toContain(`${BANNER} Rev Oker`);

    await visitor.get('/agents/authorities');
    const revoked = await visitor.post(`/agents/authorities/${authorityId}/revoke`, {});
    expect(revoked.status).toBe(303);
    const next = await agent.get('/agents/clients');
    expect(next.html).not.toContain(BANNER);
    expect(next.html).not.toContain('Act for Rev Oker');
    expect(await canActFor(db, { id: agentId }, client.id, bulkyWasteId)).toBe(false);
    const [entry] = (await auditOf(app, 'agent.authority_revoked')).filter(
      (e) => e.resource_id === authorityId,
    );
    expect(entry).toMatchObject({ actor_user_id: client.id, subject_user_id: client.id });
    expect(entry!.details).toMatchObject({ agent_business_id: agencyId, acting_sessions_ended: 1 });
    const stopped = (await auditOf(app, 'agent.acting_stopped')).filter(
      (e) => e.resource_id === authorityId,
    );
    expect(stopped.at(-1)!.details).toMatchObject({
      on_behalf_of: client.id,
      reason: 'revoked',
      agent_user_id: agentId,
    });
    const clientPage = await visitor.get('/agents/authorities');
    expect(clientPage.html).toContain('Revoked');
  });

  it('acting ends at the next request when the authority ends by any route, not only through the page', async () => {
    const db = app.platform.database.db;
    const client = await aCitizenAccount(app, 'hook-client@example.com', 'Hugh Hook');
    const agent = await signedIn(...AGENT);
    await requestAuthority(agent, client.email, [bulkyWasteId]);
    const authorityId = await authorityIdFor(client.id, 'requested');
    const visitor = await signedIn(client.email, client.password);
    await visitor.get('/agents/authorities');
    await visitor.post(`/agents/authorities/${authorityId}/approve`, {});
    await agent.get('/agents/clients');
    await agent.post('/agents/act', { authorityId });
    expect((await agent.get('/agents/clients')).html).toContain(`${BANNER} Hugh Hook`);
    // Ended directly in the database: the acting entry remains, but the hook no longer honours it.
    await db
      .updateTable('agent_authorities')
      .set({ status: 'revoked' })
      .where('id', '=', authorityId)
      .execute();
    expect((await agent.get('/agents/clients')).html).not.toContain(BANNER);
  });

  it('a removed member of the agent business stops acting at once', async () => {
    const db = app.platform.database.db;
    const assistant = await aCitizenAccount(
      app,
      'assistant@cotswold-accountants.example.com',
      'Asha Assistant',
    );
    await db
      .insertInto('business_members')
      .values({ business_id: agencyId, user_id: assistant.id, role: 'assistant' })
      .execute();
    const visitor = await signedIn(assistant.email, assistant.password);
    const client = await userIdOf(app, CITIZEN[0]);
    await visitor.get('/agents/clients');
    expect(
      (await visitor.post('/agents/act', { authorityId: await authorityIdFor(client) })).status,
    ).toBe(303);
    expect((await visitor.get('/agents/clients')).html).toContain(BANNER);
    expect(await canActFor(db, { id: assistant.id }, client, bulkyWasteId)).toBe(true);

    const admin = await signedIn(...AGENT);
    await admin.get(`/business/${agencyId}`);
    expect(
      (await admin.post(`/business/${agencyId}/members/${assistant.id}/remove`, {})).status,
    ).toBe(303);
    const page = await visitor.get('/agents/clients');
    expect(page.html).not.toContain(BANNER);
    expect(page.html).not.toContain('Sam Citizen');
    expect(await canActFor(db, { id: assistant.id }, client, bulkyWasteId)).toBe(false);
  });

  it('a business that is not an agent cannot ask for authority until its administrator makes it one', async () => {
    const owner = await aCitizenAccount(app, 'owner@shop.example.com', 'Shona Shop');
    const visitor = await signedIn(owner.email, owner.password);
    await visitor.get('/business/new');
    const created = await visitor.post('/business/new', {
      name: 'Stonehouse Shop',
      type: 'business',
      companiesHouseNumber: '',
      charityNumber: '',
    });
    const id = created.headers.get('location')!.split('/').at(-1)!;
    expect((await visitor.get(`/agents/request?business=${id}`)).status).toBe(404);
    await visitor.get(`/business/${id}`);
    expect((await visitor.post(`/business/${id}/agent`, {})).status).toBe(303);
    expect((await visitor.get(`/agents/request?business=${id}`)).status).toBe(200);
    const [marked] = (await auditOf(app, 'business.marked_agent')).filter(
      (e) => e.resource_id === id,
    );
    expect(marked).toMatchObject({ actor_user_id: owner.id });
  });

  it('shows the client’s authorities page and the code page in Welsh', async () => {
    const visitor = await signedIn(...CITIZEN);
    expect((await visitor.get('/agents/authorities?lang=cy')).html).toContain(
      'Asiantau sy’n gweithredu ar eich rhan',
    );
    expect((await visitor.get('/agents/authorise')).html).toContain('Rhowch y cod gan eich asiant');
  });
});
