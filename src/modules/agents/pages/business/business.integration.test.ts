import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../../../test/helpers/app.js';
import { aCitizenAccount, auditOf, lastMailTo } from '../../test/helpers.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

async function signedIn(email: string, password: string) {
  const visitor = new Visitor(app.baseUrl);
  await visitor.signIn(email, password);
  return visitor;
}

async function createBusiness(visitor: Visitor, fields: Record<string, string>) {
  await visitor.get('/business/new');
  return visitor.post('/business/new', {
    name: '',
    type: '',
    companiesHouseNumber: '',
    charityNumber: '',
    ...fields,
  });
}

function businessIdFrom(location: string | null): string {
  const id = /^\/business\/([0-9a-f-]{36})$/.exec(location ?? '')?.[1];
  expect(id, `redirect ${location}`).toBeDefined();
  return id!;
}

function codeIn(text: string): string {
  const code = /code: (\d{8})/.exec(text)?.[1];
  expect(code).toBeDefined();
  return code!;
}

describe('business and charity accounts', () => {
  it('a citizen creates a business account and becomes its administrator', async () => {
    const owner = await aCitizenAccount(app, 'owner@bakery.example.com', 'Bea Baker');
    const visitor = await signedIn(owner.email, owner.password);
    const created = await createBusiness(visitor, {
      name: 'Stroud Bakery Ltd',
      type: 'business',
      companiesHouseNumber: '0123 4567',
    });
    expect(created.status).toBe(303);
    const id = businessIdFrom(created.headers.get('location'));
    const page = await visitor.get(`/business/${id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Stroud Bakery Ltd');
    expect(page.html).toContain('01234567');
    expect(page.html).toContain('Administrator');
    const list = await visitor.get('/business');
    expect(list.html).toContain(`href="/business/${id}"`);
    const [entry] = (await auditOf(app, 'business.created')).filter((e) => e.resource_id === id);
    expect(entry).toMatchObject({
      actor_user_id: owner.id,
      subject_user_id: owner.id,
      actor_role: 'administrator',
    });
  });

  it('refuses a missing name, a missing type and badly formed registration numbers, saying why', async () => {
    const owner = await aCitizenAccount(app, 'bad-input@example.com', 'Ivy Input');
    const visitor = await signedIn(owner.email, owner.password);
    const empty = await createBusiness(visitor, { companiesHouseNumber: '1234' });
    expect(empty.status).toBe(400);
    expect(empty.html).toContain('govuk-error-summary');
    expect(empty.html).toContain('Enter the name of the business or charity');
    expect(empty.html).toContain('Select whether it is a business or a charity');
    expect(empty.html).toContain('Companies House number must be 8 characters');
    const charity = await createBusiness(visitor, {
      name: 'Friends of Stroud Library',
      type: 'charity',
      companiesHouseNumber: 'S1234567',
      charityNumber: '12345',
    });
    expect(charity.status).toBe(400);
    expect(charity.html).toContain('Enter a Companies House number in the correct format');
    expect(charity.html).toContain('Enter a charity number in the correct format');
    const good = await createBusiness(visitor, {
      name: 'Friends of Stroud Library',
      type: 'charity',
      charityNumber: 'sc012345',
    });
    expect(good.status).toBe(303);
    const page = await visitor.get(good.headers.get('location')!);
    expect(page.html).toContain('SC012345');
  });

  it('an administrator invites someone by e-mail, who registers, signs in and joins with the code; the code cannot be used twice', async () => {
    const owner = await aCitizenAccount(app, 'owner@garage.example.com', 'Gus Garage');
    const admin = await signedIn(owner.email, owner.password);
    const id = businessIdFrom(
      (await createBusiness(admin, { name: 'Cainscross Garage', type: 'business' })).headers.get(
        'location',
      ),
    );
    await admin.get(`/business/${id}/invite`);
    expect((await admin.post(`/business/${id}/invite`, { email: 'not-an-email' })).status).toBe(
      400,
    );
    const invited = await admin.post(`/business/${id}/invite`, {
      email: 'Helper@Garage.example.com',
    });
    expect(invited.status).toBe(303);
    expect((await admin.get(invited.headers.get('location')!)).html).toContain(
      'Helper@Garage.example.com',
    );

    const mail = await lastMailTo(app, 'Helper@Garage.example.com');
    const link = /(\/business\/invitations\/[0-9a-f-]{36})/.exec(mail.text)![1]!;
    const code = codeIn(mail.text);
    const [invitedEntry] = (await auditOf(app, 'business.member_invited')).filter(
      (e) => e.resource_id === id,
    );
    expect(invitedEntry).toMatchObject({ actor_user_id: owner.id });

    // Someone else signed in cannot use it, even with the code.
    const stranger = await aCitizenAccount(app, 'stranger@example.com', 'Stan Stranger');
    const other = await signedIn(stranger.email, stranger.password);
    await other.get(link);
    const refused = await other.post(link, { code });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('This invitation is for a different e-mail address');

    // The invitee has no account yet: signing in is asked for first.
    const anonymous = new Visitor(app.baseUrl);
    expect((await anonymous.get(link)).headers.get('location')).toContain('/sign-in?returnTo=');

    const helper = await aCitizenAccount(app, 'helper@garage.example.com', 'Hal Helper');
    const invitee = await signedIn(helper.email, helper.password);
    expect((await invitee.get('/business')).html).toContain('Join Cainscross Garage');
    await invitee.get(link);
    const wrong = await invitee.post(link, { code: code === '00000000' ? '11111111' : '00000000' });
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('The code is not right');
    const short = await invitee.post(link, { code: '123' });
    expect(short.html).toContain('The code must be 8 digits');
    const joined = await invitee.post(link, { code });
    expect(joined.status).toBe(303);
    expect(joined.headers.get('location')).toBe(`/business/${id}`);
    const page = await invitee.get(`/business/${id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Assistant');
    expect((await invitee.get('/business')).html).toContain(`href="/business/${id}"`);

    await invitee.get(link);
    const replay = await invitee.post(link, { code });
    expect(replay.status).toBe(400);
    expect(replay.html).toContain('This invitation has already been used');

    const [accepted] = (await auditOf(app, 'business.invitation_accepted')).filter(
      (e) => e.resource_id === id,
    );
    expect(accepted).toMatchObject({ actor_user_id: helper.id, subject_user_id: helper.id });
  });

  it('a non-member gets 404 for a business, and an assistant cannot invite or remove members', async () => {
    const owner = await aCitizenAccount(app, 'owner@florist.example.com', 'Flo Florist');
    const admin = await signedIn(owner.email, owner.password);
    const id = businessIdFrom(
      (await createBusiness(admin, { name: 'Nailsworth Flowers', type: 'business' })).headers.get(
        'location',
      ),
    );
    const outsider = await aCitizenAccount(app, 'outsider@example.com', 'Otto Outsider');
    const visitor = await signedIn(outsider.email, outsider.password);
    expect((await visitor.get(`/business/${id}`)).status).toBe(404);
    expect((await visitor.get(`/business/${id}/invite`)).status).toBe(404);
    expect((await visitor.get('/business')).html).not.toContain('Nailsworth Flowers');
    expect((await visitor.get('/business/not-a-uuid')).status).toBe(404);

    // Made an assistant directly, the outsider still cannot manage the business.
    await app.platform.database.db
      .insertInto('business_members')
      .values({ business_id: id, user_id: outsider.id, role: 'assistant' })
      .execute();
    const page = await visitor.get(`/business/${id}`);
    expect(page.status).toBe(200);
    expect(page.html).not.toContain('/members/');
    expect((await visitor.get(`/business/${id}/invite`)).status).toBe(404);
    const removal = await visitor.post(`/business/${id}/members/${owner.id}/remove`, {});
    expect(removal.status).toBe(404);
    expect((await visitor.post(`/business/${id}/invite`, { email: 'x@example.com' })).status).toBe(
      404,
    );
  });

  it('an administrator removes a member, who then cannot see the business; the only administrator cannot be removed', async () => {
    const owner = await aCitizenAccount(app, 'owner@cafe.example.com', 'Cal Cafe');
    const member = await aCitizenAccount(app, 'member@cafe.example.com', 'Mo Member');
    const admin = await signedIn(owner.email, owner.password);
    const id = businessIdFrom(
      (await createBusiness(admin, { name: 'Bisley Cafe', type: 'business' })).headers.get(
        'location',
      ),
    );
    await app.platform.database.db
      .insertInto('business_members')
      .values({ business_id: id, user_id: member.id, role: 'assistant' })
      .execute();
    const visitor = await signedIn(member.email, member.password);
    expect((await visitor.get(`/business/${id}`)).status).toBe(200);

    await admin.get(`/business/${id}`);
    const removed = await admin.post(`/business/${id}/members/${member.id}/remove`, {});
    expect(removed.status).toBe(303);
    expect((await visitor.get(`/business/${id}`)).status).toBe(404);
    const [entry] = (await auditOf(app, 'business.member_removed')).filter(
      (e) => e.resource_id === id,
    );
    expect(entry).toMatchObject({ actor_user_id: owner.id, subject_user_id: member.id });

    await admin.get(`/business/${id}`);
    const last = await admin.post(`/business/${id}/members/${owner.id}/remove`, {});
    expect(last.status).toBe(400);
    expect(last.html).toContain('You cannot remove the only administrator');
  });

  it('staff of a public body cannot make a business account', async () => {
    const staff = await signedIn('caseworker@stroud.example.gov.uk', 'demo-stroud-caseworker');
    expect((await staff.get('/business/new')).status).toBe(404);
  });

  it('shows the business pages in Welsh', async () => {
    const owner = await aCitizenAccount(app, 'cymraeg@example.com', 'Carys Cymraeg');
    const visitor = await signedIn(owner.email, owner.password);
    const page = await visitor.get('/business/new?lang=cy');
    expect(page.html).toContain('Creu cyfrif busnes neu elusen');
  });
});
