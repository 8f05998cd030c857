import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishService, searchServices } from '../../src/modules/catalogue/index.js';
import { aConfirmedCitizen } from '../helpers/citizens.js';
import { approveBulkyWaste } from '../helpers/journeys.js';
import { findOrganisationBySlug } from '../../src/modules/organisations/index.js';
import { hiddenValue, startTestApp, Visitor, weekdayAhead, type TestApp } from '../helpers/app.js';

// An agent acting for a client applies for a service in the client's name (issue 3, item 5).

const BULKY = '/services/request-a-bulky-waste-collection';
const OTHER = '/services/request-a-cheltenham-bulky-waste-collection';
const AGENT = ['agent@cotswold-accountants.example.com', 'demo-agent-password'] as const;
const CITIZEN = ['citizen@example.com', 'demo-citizen-password'] as const;
const STROUD = ['caseworker@stroud.example.gov.uk', 'demo-stroud-caseworker'] as const;
const AGENCY = 'Cotswold Accountants LLP';

let app: TestApp;
let bulkyId: string;
let otherId: string;
let agencyId: string;
let agentId: string;
let citizenId: string;

const db = () => app.platform.database.db;

beforeAll(async () => {
  app = await startTestApp();
  bulkyId = (await searchServices(db(), 'en', 'bulky waste'))[0]!.id;
  // A second service with a form, which the demo citizen has NOT given the agent authority for.
  const cheltenham = (await findOrganisationBySlug(db(), 'cheltenham'))!;
  const other = await publishService(db(), {
    organisationId: cheltenham.id,
    slug: 'request-a-cheltenham-bulky-waste-collection',
    title: 'Request a Cheltenham bulky waste collection',
    titleCy: 'Gofyn am gasgliad gwastraff swmpus yn Cheltenham',
    summary: 'Large items collected from your home.',
    summaryCy: 'Casglu eitemau mawr o’ch cartref.',
    body: 'Apply online.',
    bodyCy: 'Gwnewch gais ar-lein.',
    keywords: 'bulky waste cheltenham',
    formKey: 'bulky-waste',
  });
  if (!other.ok) throw new Error(JSON.stringify(other.errors));
  otherId = other.service.id;
  agencyId = (
    await db()
      .selectFrom('business_accounts')
      .select('id')
      .where('name', '=', AGENCY)
      .executeTakeFirstOrThrow()
  ).id;
  agentId = await userIdOf(AGENT[0]);
  citizenId = await userIdOf(CITIZEN[0]);
});
afterAll(async () => {
  await app?.close();
});

async function userIdOf(email: string): Promise<string> {
  return (
    await db()
      .selectFrom('users')
      .select('id')
      .where(sql`lower(email)`, '=', email)
      .executeTakeFirstOrThrow()
  ).id;
}

async function signedIn(email: string, password: string): Promise<Visitor> {
  const visitor = new Visitor(app.baseUrl);
  await visitor.signIn(email, password);
  return visitor;
}

/** The approved authority a client gave the demo agency, as the "Act for" button posts it. */
async function authorityIdFor(clientId: string): Promise<string> {
  return (
    await db()
      .selectFrom('agent_authorities')
      .select('id')
      .where('client_user_id', '=', clientId)
      .where('agent_business_id', '=', agencyId)
      .where('status', '=', 'approved')
      .executeTakeFirstOrThrow()
  ).id;
}

/** The demo agent, signed in and acting for the client through the "Act for" button. */
async function agentActingFor(clientId: string): Promise<Visitor> {
  const agent = await signedIn(...AGENT);
  await agent.get('/agents/clients');
  const acted = await agent.post('/agents/act', { authorityId: await authorityIdFor(clientId) });
  expect(acted.status).toBe(303);
  return agent;
}

/** Answers one page of the journey as the page shows it (with its hidden fields). */
async function answer(
  visitor: Visitor,
  base: string,
  pageId: string,
  fields: Record<string, string | string[]>,
) {
  const page = await visitor.get(`${base}/apply/${pageId}`);
  expect(page.status).toBe(200);
  return visitor.post(`${base}/apply/${pageId}`, {
    actingFor: hiddenValue(page.html, 'actingFor'),
    ...fields,
  });
}

async function answerItemsAndAddress(visitor: Visitor, base = BULKY) {
  expect((await answer(visitor, base, 'items', { items: ['sofa'], itemDetails: '' })).status).toBe(
    303,
  );
  const address = {
    addressLine1: '7 Mill Lane',
    addressLine2: '',
    town: 'Stroud',
    postcode: 'GL5 1AA',
  };
  expect((await answer(visitor, base, 'address', address)).status).toBe(303);
}

async function answerDate(visitor: Visitor, base = BULKY) {
  const [d, m, y] = weekdayAhead(7);
  return answer(visitor, base, 'date', {
    'preferredDate-day': d,
    'preferredDate-month': m,
    'preferredDate-year': y,
  });
}

async function countOf(table: 'submissions' | 'form_drafts') {
  const row = await db()
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function auditOf(action: string) {
  return db()
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', action)
    .orderBy('id')
    .execute();
}

/** A new citizen with a confirmed e-mail who has given the demo agency authority for bulky waste. */
async function aClientWithAuthority(email: string, displayName: string) {
  const made = await aConfirmedCitizen(db(), {
    email,
    displayName,
    password: 'a-long-test-password',
  });
  const authority = await db()
    .insertInto('agent_authorities')
    .values({
      agent_business_id: agencyId,
      client_user_id: made.id,
      status: 'approved',
      requested_by: agentId,
      expires_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db()
    .insertInto('agent_authority_services')
    .values({ authority_id: authority.id, service_id: bulkyId })
    .execute();
  return { id: made.id, email, password: 'a-long-test-password', authorityId: authority.id };
}

/** The client takes the authority back on their "Agents" page. */
async function revoke(client: { email: string; password: string; authorityId: string }) {
  const visitor = await signedIn(client.email, client.password);
  await visitor.get('/agents/authorities');
  const revoked = await visitor.post(`/agents/authorities/${client.authorityId}/revoke`, {});
  expect(revoked.status).toBe(303);
}

describe('an agent applying for a client', () => {
  it('applies for the client end to end: the client is the applicant, the agent the sender, and every record says so', async () => {
    const agent = await agentActingFor(citizenId);
    await answerItemsAndAddress(agent);
    const dated = await answerDate(agent);
    expect(dated.headers.get('location')).toBe(`${BULKY}/apply/check-answers`);

    // The draft is the client's, marked as changed by the agent through the agency.
    const draft = await db()
      .selectFrom('form_drafts')
      .selectAll()
      .where('service_id', '=', bulkyId)
      .where('user_id', '=', citizenId)
      .executeTakeFirstOrThrow();
    expect(draft).toMatchObject({ agent_user_id: agentId, agent_business_id: agencyId });
    expect(
      await db()
        .selectFrom('form_drafts')
        .select('id')
        .where('user_id', '=', agentId)
        .executeTakeFirst(),
    ).toBeUndefined();

    const check = await agent.get(`${BULKY}/apply/check-answers`);
    expect(check.status).toBe(200);
    expect(check.html).toContain(`You are applying for Sam Citizen as ${AGENCY}`);
    expect(check.html).toContain('7 Mill Lane');

    const sent = await agent.post(`${BULKY}/apply/submit`, {
      draftId: hiddenValue(check.html, 'draftId'),
      actingFor: hiddenValue(check.html, 'actingFor'),
    });
    expect(sent.status).toBe(303);
    const reference = /JU-[A-Z0-9]{4}-[A-Z0-9]{4}/.exec(sent.headers.get('location')!)![0];
    const confirmation = await agent.get(sent.headers.get('location')!);
    expect(confirmation.status).toBe(200);
    expect(confirmation.html).toContain(reference);
    expect(confirmation.html).toContain(`You sent this application for Sam Citizen as ${AGENCY}`);
    expect(confirmation.html).toContain('We have sent a confirmation to citizen@example.com');

    const submission = await db()
      .selectFrom('submissions')
      .selectAll()
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    expect(submission).toMatchObject({
      applicant_user_id: citizenId,
      submitted_by_user_id: agentId,
      agent_business_id: agencyId,
    });
    const [event] = await db()
      .selectFrom('submission_events')
      .selectAll()
      .where('submission_id', '=', submission.id)
      .execute();
    expect(event).toMatchObject({ status: 'submitted', actor_user_id: agentId });
    expect(event!.details).toMatchObject({ on_behalf_of: citizenId, agent_business_id: agencyId });

    const created = (await auditOf('submission.created')).find(
      (e) => e.resource_id === submission.id,
    );
    expect(created).toMatchObject({
      actor_user_id: agentId,
      actor_role: 'agent',
      subject_user_id: citizenId,
    });
    expect(created!.details).toEqual({
      reference,
      on_behalf_of: citizenId,
      agent_business_id: agencyId,
    });

    // The receipt goes to the client, and says who sent it.
    await app.platform.worker.drain();
    const receipt = (
      await db()
        .selectFrom('outbox')
        .select('payload')
        .where('topic', '=', 'mail.send')
        .where('idempotency_key', '=', `submission.submitted:${submission.id}:mail`)
        .executeTakeFirstOrThrow()
    ).payload as { to: string; text: string };
    expect(receipt.to).toBe('citizen@example.com');
    expect(receipt.text).toContain(`Chris Agent (${AGENCY}) sent on your behalf`);
    expect(receipt.text).toContain('ar eich rhan');

    // The agent, still acting, finds it among the client's applications.
    const agentList = await agent.get('/applications');
    expect(agentList.html).toContain('Applications for Sam Citizen');
    expect(agentList.html).toContain(reference);
    const agentDetail = await agent.get(`/applications/${reference}`);
    expect(agentDetail.status).toBe(200);
    expect(agentDetail.html).toContain(`Sent by Chris Agent (${AGENCY}) on behalf of Sam Citizen`);
    const looked = (await auditOf('submission.viewed_by_agent')).find(
      (e) => e.resource_id === submission.id,
    );
    expect(looked).toMatchObject({ actor_user_id: agentId, subject_user_id: citizenId });
    expect(looked!.details).toMatchObject({ on_behalf_of: citizenId, agent_business_id: agencyId });

    // The client sees it as theirs, sent on their behalf, in English and Welsh.
    const citizen = await signedIn(...CITIZEN);
    const mine = await citizen.get('/applications');
    expect(mine.html).toContain('Your applications');
    expect(mine.html).toContain(reference);
    const detail = await citizen.get(`/applications/${reference}`);
    expect(detail.status).toBe(200);
    expect(detail.html).toContain(`Sent by Chris Agent (${AGENCY}) on behalf of you`);
    await citizen.get('/?lang=cy');
    const welsh = await citizen.get(`/applications/${reference}`);
    expect(welsh.html).toContain(`Anfonwyd gan Chris Agent (${AGENCY}) ar eich rhan`);

    // The caseworker sees who sent it for whom; the decision letter goes to the client's inbox,
    // and its e-mail to the client.
    const caseworker = await signedIn(...STROUD);
    const opened = await caseworker.get(`/casework/${reference}`);
    expect(opened.status).toBe(200);
    expect(opened.html).toContain(`Sent by Chris Agent (${AGENCY}) on behalf of Sam Citizen`);
    const decided = await approveBulkyWaste(caseworker, reference);
    expect(decided.status).toBe(303);
    await app.platform.worker.drain();
    const letter = await db()
      .selectFrom('inbox_messages')
      .select(['id', 'recipient_user_id'])
      .where('submission_id', '=', submission.id)
      .executeTakeFirstOrThrow();
    expect(letter.recipient_user_id).toBe(citizenId);
    const decision = (
      await db()
        .selectFrom('outbox')
        .select('payload')
        .where('idempotency_key', '=', `inbox.new-message:${letter.id}`)
        .executeTakeFirstOrThrow()
    ).payload as { to: string };
    expect(decision.to).toBe('citizen@example.com');
  });

  it('while acting, the agent’s applications list shows only the client’s applications in the services the authority covers', async () => {
    // The client applies to the other council's service themselves.
    const citizen = await signedIn(...CITIZEN);
    await answerItemsAndAddress(citizen, OTHER);
    await answerDate(citizen, OTHER);
    const check = await citizen.get(`${OTHER}/apply/check-answers`);
    expect(check.html).not.toContain('You are applying for');
    const sent = await citizen.post(`${OTHER}/apply/submit`, {
      draftId: hiddenValue(check.html, 'draftId'),
      actingFor: hiddenValue(check.html, 'actingFor'),
    });
    const otherReference = /JU-[A-Z0-9]{4}-[A-Z0-9]{4}/.exec(sent.headers.get('location')!)![0];
    const own = await db()
      .selectFrom('submissions')
      .selectAll()
      .where('reference', '=', otherReference)
      .executeTakeFirstOrThrow();
    expect(own).toMatchObject({
      applicant_user_id: citizenId,
      submitted_by_user_id: citizenId,
      agent_business_id: null,
    });
    const created = (await auditOf('submission.created')).find((e) => e.resource_id === own.id);
    expect(created).toMatchObject({ actor_user_id: citizenId, actor_role: 'citizen' });
    expect(created!.details).toEqual({ reference: otherReference });

    const bulkyReferences = (
      await db()
        .selectFrom('submissions')
        .select('reference')
        .where('applicant_user_id', '=', citizenId)
        .where('service_id', '=', bulkyId)
        .execute()
    ).map((r) => r.reference);
    expect(bulkyReferences.length).toBeGreaterThan(0);

    const agent = await agentActingFor(citizenId);
    const list = await agent.get('/applications');
    for (const reference of bulkyReferences) expect(list.html).toContain(reference);
    expect(list.html).not.toContain(otherReference);
    expect((await agent.get(`/applications/${otherReference}`)).status).toBe(404);

    // Not acting, the agent sees only their own (none) and none of the client's.
    await agent.post('/agents/stop', {});
    const notActing = await agent.get('/applications');
    expect(notActing.html).toContain('You have not sent any applications yet');
    expect((await agent.get(`/applications/${bulkyReferences[0]}`)).status).toBe(404);
  });

  it('an agent without authority for a service gets 403 on every page of its journey, and nothing is saved', async () => {
    const agent = await agentActingFor(citizenId);
    const drafts = await countOf('form_drafts');
    const start = await agent.get(`${OTHER}/apply`);
    expect(start.status).toBe(403);
    expect(start.html).toContain('You cannot act for Sam Citizen in this service');
    expect(start.html).toContain('action="/agents/stop"');
    expect(start.html).toContain('href="/agents/clients"');
    const page = await agent.get(`${OTHER}/apply/items`);
    expect(page.status).toBe(403);
    await agent.get('/agents/clients');
    const posted = await agent.post(`${OTHER}/apply/items`, {
      actingFor: citizenId,
      items: ['sofa'],
    });
    expect(posted.status).toBe(403);
    expect(await countOf('form_drafts')).toBe(drafts);
    expect(
      await db()
        .selectFrom('form_drafts')
        .select('id')
        .where('service_id', '=', otherId)
        .where('user_id', 'in', [citizenId, agentId])
        .executeTakeFirst(),
    ).toBeUndefined();

    await agent.get('/?lang=cy');
    const welsh = await agent.get(`${OTHER}/apply/items`);
    expect(welsh.status).toBe(403);
    expect(welsh.html).toContain('Ni allwch weithredu ar ran Sam Citizen yn y gwasanaeth hwn');
  });

  it('the client continues the draft the agent started, and their own changes clear the agent’s mark', async () => {
    const client = await aClientWithAuthority('continuing-client@example.com', 'Cara Client');
    const agent = await agentActingFor(client.id);
    await answerItemsAndAddress(agent);
    const visitor = await signedIn(client.email, client.password);
    const check = await answerDate(visitor);
    expect(check.headers.get('location')).toBe(`${BULKY}/apply/check-answers`);
    const page = await visitor.get(`${BULKY}/apply/check-answers`);
    expect(page.html).toContain('7 Mill Lane');
    expect(page.html).not.toContain('You are applying for');
    const draft = await db()
      .selectFrom('form_drafts')
      .selectAll()
      .where('user_id', '=', client.id)
      .executeTakeFirstOrThrow();
    expect(draft).toMatchObject({ agent_user_id: null, agent_business_id: null });
  });

  it('revoking the authority mid-journey makes the agent’s next page refuse, saving nothing anywhere', async () => {
    const client = await aClientWithAuthority('revoking-mid-journey@example.com', 'Rhys Revoker');
    const agent = await agentActingFor(client.id);
    await answerItemsAndAddress(agent);
    const datePage = await agent.get(`${BULKY}/apply/date`);
    expect(hiddenValue(datePage.html, 'actingFor')).toBe(client.id);

    await revoke(client);
    const [d, m, y] = weekdayAhead(7);
    const next = await agent.post(`${BULKY}/apply/date`, {
      actingFor: client.id,
      'preferredDate-day': d,
      'preferredDate-month': m,
      'preferredDate-year': y,
    });
    expect(next.status).toBe(403);
    expect(next.html).toContain('You cannot act for Rhys Revoker in this service');
    // Neither the client's draft nor a draft of the agent's own took the answer.
    const drafts = await db()
      .selectFrom('form_drafts')
      .selectAll()
      .where('service_id', '=', bulkyId)
      .where('user_id', 'in', [client.id, agentId])
      .execute();
    expect(drafts).toHaveLength(1);
    expect(drafts[0]!.user_id).toBe(client.id);
    expect(drafts[0]!.answers).not.toHaveProperty('preferredDate');
  });

  it('revoking the authority before "Accept and send" makes the submit fail without creating anything', async () => {
    const client = await aClientWithAuthority('revoking-at-submit@example.com', 'Sian Sender');
    const agent = await agentActingFor(client.id);
    await answerItemsAndAddress(agent);
    await answerDate(agent);
    const check = await agent.get(`${BULKY}/apply/check-answers`);
    expect(check.html).toContain(`You are applying for Sian Sender as ${AGENCY}`);
    const draftId = hiddenValue(check.html, 'draftId');

    await revoke(client);
    const submissions = await countOf('submissions');
    const created = (await auditOf('submission.created')).length;
    const outbox = await db()
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const sent = await agent.post(`${BULKY}/apply/submit`, { draftId, actingFor: client.id });
    expect(sent.status).toBe(403);
    expect(sent.html).toContain('You cannot act for Sian Sender in this service');
    expect(await countOf('submissions')).toBe(submissions);
    expect((await auditOf('submission.created')).length).toBe(created);
    const after = await db()
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(outbox.n));
    // The client's draft is still theirs to send.
    expect(
      await db()
        .selectFrom('form_drafts')
        .select('id')
        .where('id', '=', draftId)
        .executeTakeFirst(),
    ).toBeDefined();

    // Even a submit without the page's marker cannot send the client's draft as the agent's own.
    const bare = await agent.post(`${BULKY}/apply/submit`, { draftId });
    expect(bare.status).toBe(303);
    expect(bare.headers.get('location')).toBe(`${BULKY}/apply/check-answers`);
    expect(await countOf('submissions')).toBe(submissions);
  });
});
