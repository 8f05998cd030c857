/**
 * A service for businesses (the small business grant, `applicant: "business"`), walked through
 * HTTP against the real app and the demo seed: someone without a business account is shown how
 * to make one; a member of one business applies for it; someone in two chooses which; an agent
 * applies for a client's business with the client's authority.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hiddenValue,
  startTestApp,
  Visitor,
  type TestApp,
} from '../../../../../test/helpers/app.js';
import { aConfirmedCitizen } from '../../../../../test/helpers/citizens.js';
import { postFile } from '../../test/pages.js';

const GRANT = '/services/small-business-grant-stroud/apply';
const CITIZEN = ['citizen@example.com', 'demo-citizen-password'] as const;
const AGENT = ['agent@cotswold-accountants.example.com', 'demo-agent-password'] as const;
const BAKERY = 'Stroud Valley Bakery Ltd';
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);

let app: TestApp;
const db = () => app.platform.database.db;

beforeAll(async () => {
  app = await startTestApp();
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

/** The six-digit code in the newest second-factor e-mail sent to `to`. */
async function secondFactorCode(to: string): Promise<string> {
  const row = await db()
    .selectFrom('outbox')
    .select('payload')
    .where('topic', '=', 'mail.send')
    .where(sql<string>`payload->>'to'`, '=', to)
    .where('idempotency_key', 'like', 'second-factor-code:%')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  return /\b(\d{6})\b/.exec(String((row.payload as { text?: string }).text))![1]!;
}

/** Signs in and steps up to a second factor, as the grant (level 2) asks. */
async function signedInAtLevel2(email: string, password: string): Promise<Visitor> {
  const visitor = new Visitor(app.baseUrl);
  await visitor.signIn(email, password);
  // Their second factor: codes by e-mail.
  await db()
    .updateTable('users')
    .set({ second_factor: 'email', email_verified_at: new Date() })
    .where(sql`lower(email)`, '=', email)
    .execute();
  const start = await visitor.get(GRANT);
  const stepUp = start.headers.get('location')!;
  expect(stepUp).toMatch(/^\/sign-in\/second-factor/);
  await visitor.get(stepUp);
  const stepped = await visitor.post('/sign-in/second-factor', {
    code: await secondFactorCode(email),
    returnTo: GRANT,
  });
  expect(stepped.status).toBe(303);
  return visitor;
}

async function aBusiness(name: string, members: [string, 'administrator' | 'assistant'][]) {
  const business = await db()
    .insertInto('business_accounts')
    .values({
      name,
      type: 'business',
      companies_house_number: null,
      charity_number: null,
      is_agent: false,
      created_by: members[0]![0],
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db()
    .insertInto('business_members')
    .values(members.map(([user_id, role]) => ({ business_id: business.id, user_id, role })))
    .execute();
  return business.id;
}

async function draftsOf(userId: string) {
  return db().selectFrom('form_drafts').selectAll().where('user_id', '=', userId).execute();
}

/** Answers every page of the grant after the business name, as `actingFor` (a client's id or ''). */
async function answerTheRest(visitor: Visitor, actingFor = '') {
  const post = async (page: string, fields: Record<string, string>) => {
    const shown = await visitor.get(`${GRANT}/${page}`);
    expect(shown.status, page).toBe(200);
    expect(hiddenValue(shown.html, 'actingFor')).toBe(actingFor);
    const sent = await visitor.post(`${GRANT}/${page}`, { actingFor, ...fields });
    expect(sent.status, `${page}: ${sent.html.slice(0, 300)}`).toBe(303);
  };
  await post('company-number', { companyNumber: '09876543' });
  await post('employees', { employees: '12' });
  await post('rateable-value', { rateableValue: '£12,500' });
  await post('purpose', { purpose: 'A second bread oven, so we can supply three more cafés.' });
  await post('amount', { amount: '£7,500' });
  const uploaded = await postFile(
    visitor,
    `${GRANT}/documents`,
    { name: 'quote.pdf', type: 'application/pdf', content: PDF },
    {},
    actingFor,
  );
  expect(uploaded.headers.get('location')).toBe(`${GRANT}/documents`);
  // "Continue" without another file.
  const done = await postFile(visitor, `${GRANT}/documents`, null, {}, actingFor);
  expect(done.headers.get('location')).toBe(`${GRANT}/check-answers`);
}

async function send(visitor: Visitor, actingFor = '') {
  const check = await visitor.get(`${GRANT}/check-answers`);
  expect(check.status).toBe(200);
  const declaration = await visitor.get(`${GRANT}/declaration`);
  const sent = await visitor.post(`${GRANT}/submit`, {
    draftId: hiddenValue(declaration.html, 'draftId'),
    actingFor,
    agree: 'yes',
  });
  expect(sent.status).toBe(303);
  const reference = /(JU-[A-Z0-9]{4}-[A-Z0-9]{4})/.exec(sent.headers.get('location') ?? '')?.[1];
  expect(reference, String(sent.headers.get('location'))).toBeDefined();
  return { check, reference: reference! };
}

async function submissionOf(reference: string) {
  return db()
    .selectFrom('submissions')
    .selectAll()
    .where('reference', '=', reference)
    .executeTakeFirstOrThrow();
}

describe('a service for businesses', () => {
  it('shows someone without a business or charity account how to make one, in English and Welsh, and saves nothing', async () => {
    const { id, email, password } = await aConfirmedCitizen(db(), {
      email: 'no-business@example.com',
      displayName: 'Nia Nobusiness',
    });
    const visitor = await signedInAtLevel2(email, password);
    const page = await visitor.get(GRANT);
    expect(page.status).toBe(200);
    expect(page.html).toContain('You need a business or charity account to apply');
    expect(page.html).toContain('href="/business/new"');
    expect(page.html).toContain('Create a business or charity account');
    expect(page.html).toContain('ask its administrator to invite you');
    expect(page.html).not.toContain('govuk-error-summary');
    // Every page of the journey says the same; a page posted changes nothing.
    expect((await visitor.get(`${GRANT}/business-name`)).html).toContain(
      'You need a business or charity account to apply',
    );
    const posted = await visitor.post(`${GRANT}/business-name`, {
      actingFor: '',
      businessName: 'Nia’s Cakes',
    });
    expect(posted.status).toBe(200);
    expect(await draftsOf(id)).toEqual([]);
    const welsh = await visitor.get(`${GRANT}?lang=cy`);
    expect(welsh.html).toContain('Mae angen cyfrif busnes neu elusen arnoch i wneud cais');
    expect(welsh.html).toContain('Creu cyfrif busnes neu elusen');
  });

  it('lets a member of one business apply for it: its details filled in, shown before sending, and recorded with the application', async () => {
    const visitor = await signedInAtLevel2(...CITIZEN);
    const start = await visitor.get(GRANT);
    // One business: nothing to choose.
    expect(start.headers.get('location')).toBe(`${GRANT}/business-name`);
    const name = await visitor.get(`${GRANT}/business-name`);
    expect(name.html).toContain(`value="${BAKERY}"`);
    expect(
      (await visitor.post(`${GRANT}/business-name`, { actingFor: '', businessName: BAKERY }))
        .status,
    ).toBe(303);
    expect((await visitor.get(`${GRANT}/company-number`)).html).toContain('value="09876543"');
    await answerTheRest(visitor);
    const { check, reference } = await send(visitor);
    expect(check.html).toContain('Business or charity');
    expect(check.html).toContain(BAKERY);
    expect(check.html).not.toContain(`href="${GRANT}/business"`);

    const bakery = await db()
      .selectFrom('business_accounts')
      .select('id')
      .where('name', '=', BAKERY)
      .executeTakeFirstOrThrow();
    const submission = await submissionOf(reference);
    expect(submission.applicant_user_id).toBe(await userIdOf(CITIZEN[0]));
    expect(submission.applicant_business_id).toBe(bakery.id);
    expect(submission.applicant_business).toEqual({
      id: bakery.id,
      name: BAKERY,
      type: 'business',
      companiesHouseNumber: '09876543',
    });
    const application = await visitor.get(`/applications/${reference}`);
    expect(application.html).toContain('Business or charity');
    expect(application.html).toContain(`${BAKERY}, Companies House number 09876543`);
  });

  it('asks someone in two businesses which one first, refuses no answer, and lets them change it', async () => {
    const { id, email, password } = await aConfirmedCitizen(db(), {
      email: 'two-businesses@example.com',
      displayName: 'Tam Twice',
    });
    const first = await aBusiness('Aardvark Joinery', [[id, 'administrator']]);
    const second = await aBusiness('Zebra Print Co', [[id, 'assistant']]);
    const visitor = await signedInAtLevel2(email, password);
    expect((await visitor.get(GRANT)).headers.get('location')).toBe(`${GRANT}/business`);
    // No page of the form before the choice.
    expect((await visitor.get(`${GRANT}/business-name`)).headers.get('location')).toBe(
      `${GRANT}/business`,
    );
    const ask = await visitor.get(`${GRANT}/business`);
    expect(ask.status).toBe(200);
    expect(ask.html).toContain('Which business or charity is this application for?');
    expect(ask.html).toContain('Aardvark Joinery');
    expect(ask.html).toContain('Zebra Print Co');
    const none = await visitor.post(`${GRANT}/business`, { actingFor: '' });
    expect(none.status).toBe(400);
    expect(none.html).toContain('govuk-error-summary');
    expect(none.html).toContain('Select the business or charity this application is for');
    const forged = await visitor.post(`${GRANT}/business`, {
      actingFor: '',
      business: crypto.randomUUID(),
    });
    expect(forged.status).toBe(400);
    expect(await draftsOf(id)).toEqual([]);

    const chosen = await visitor.post(`${GRANT}/business`, { actingFor: '', business: second });
    expect(chosen.headers.get('location')).toBe(`${GRANT}/business-name`);
    expect((await draftsOf(id))[0]!.business_id).toBe(second);
    expect((await visitor.get(`${GRANT}/business-name`)).html).toContain('value="Zebra Print Co"');
    expect(
      (
        await visitor.post(`${GRANT}/business-name`, {
          actingFor: '',
          businessName: 'Zebra Print Co',
        })
      ).status,
    ).toBe(303);
    await answerTheRest(visitor);
    const check = await visitor.get(`${GRANT}/check-answers`);
    expect(check.html).toContain(`href="${GRANT}/business"`);
    // Changed from "Check your answers": back there once chosen, the answers kept.
    const changed = await visitor.post(`${GRANT}/business`, { actingFor: '', business: first });
    expect(changed.headers.get('location')).toBe(`${GRANT}/check-answers`);
    const { reference } = await send(visitor);
    expect((await submissionOf(reference)).applicant_business_id).toBe(first);
  });

  it('lets an agent apply for a client’s business with the client’s authority, and tells them when the client has none', async () => {
    const agent = await signedInAtLevel2(...AGENT);
    const agency = await db()
      .selectFrom('business_accounts')
      .select('id')
      .where('name', '=', 'Cotswold Accountants LLP')
      .executeTakeFirstOrThrow();
    const citizenId = await userIdOf(CITIZEN[0]);
    const authority = await db()
      .selectFrom('agent_authorities')
      .select('id')
      .where('client_user_id', '=', citizenId)
      .where('agent_business_id', '=', agency.id)
      .executeTakeFirstOrThrow();
    await agent.get('/agents/clients');
    expect((await agent.post('/agents/act', { authorityId: authority.id })).status).toBe(303);
    // The demo citizen has given the agency authority for the grant: the bakery is theirs.
    expect((await agent.get(GRANT)).headers.get('location')).toBe(`${GRANT}/business-name`);
    const name = await agent.get(`${GRANT}/business-name`);
    expect(name.html).toContain(`value="${BAKERY}"`);
    expect(
      (await agent.post(`${GRANT}/business-name`, { actingFor: citizenId, businessName: BAKERY }))
        .status,
    ).toBe(303);
    await answerTheRest(agent, citizenId);
    const { reference } = await send(agent, citizenId);
    const submission = await submissionOf(reference);
    expect(submission).toMatchObject({
      applicant_user_id: citizenId,
      submitted_by_user_id: await userIdOf(AGENT[0]),
      agent_business_id: agency.id,
      applicant_business: { name: BAKERY, type: 'business' },
    });

    // A client who is only an assistant of a business: not theirs to hand to an agent.
    const client = await aConfirmedCitizen(db(), {
      email: 'assistant-client@example.com',
      displayName: 'Ash Assistant',
    });
    await aBusiness('Ash’s Employer Ltd', [
      [await userIdOf(CITIZEN[0]), 'administrator'],
      [client.id, 'assistant'],
    ]);
    const grantId = (
      await db()
        .selectFrom('services')
        .select('id')
        .where('slug', '=', 'small-business-grant-stroud')
        .executeTakeFirstOrThrow()
    ).id;
    const theirs = await db()
      .insertInto('agent_authorities')
      .values({
        agent_business_id: agency.id,
        client_user_id: client.id,
        status: 'approved',
        requested_by: await userIdOf(AGENT[0]),
        expires_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db()
      .insertInto('agent_authority_services')
      .values({ authority_id: theirs.id, service_id: grantId })
      .execute();
    await agent.get('/agents/clients');
    expect((await agent.post('/agents/act', { authorityId: theirs.id })).status).toBe(303);
    const page = await agent.get(GRANT);
    expect(page.status).toBe(200);
    expect(page.html).toContain(
      'Ash Assistant has no business or charity account you can apply for',
    );
    expect(page.html).toContain('must be an administrator');
    expect(await draftsOf(client.id)).toEqual([]);
  });
});
